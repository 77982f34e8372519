// Path facts that the CLI and both language server hosts share. Nothing here touches a file: in the browser
// host `node:path` is served by sources/posixPath.ts, since there every path is the path of a URI.
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { matchesAnyGlob } from './engine';

export const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
const YAML_FILE = /\.ya?ml$/i;

export function isYamlFile(path: string): boolean {
  return YAML_FILE.test(path);
}

/**
 * A file in a Helm chart's `templates/` folder (a folder beside a Chart.yaml): not YAML until rendered.
 * `fileExists` is the host's answer for the Chart.yaml beside each `templates` folder above the file.
 */
export function isInChartTemplates(path: string, fileExists: (path: string) => boolean): boolean {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    if (basename(dir) === 'templates' && fileExists(join(dirname(dir), 'Chart.yaml'))) return true;
  }
  return false;
}

/** A symbolic link a walk did not follow because it loops or leaves the folder walked. */
export interface LinkNotFollowed { path: string; reason: string }

/**
 * Why a walk of `root` (a real path) does not follow the link at `path` to `target` (its real path), when that
 * is worth saying: it leads to a folder above it (a loop), or out of `root`. A link to anything else in `root`
 * is skipped without a word, since the walk reaches its target under its own path.
 */
export function linkNotFollowed(root: string, path: string, target: string | undefined): LinkNotFollowed | undefined {
  if (target === undefined) return undefined;
  if (pathBelow(root, target) === undefined && target !== root) return { path, reason: `it leads out of ${root}, to ${target}` };
  const linkFolder = dirname(path);
  if (target === linkFolder || pathBelow(target, linkFolder) !== undefined) return { path, reason: `it leads to ${target}, a folder above it (a loop)` };
  return undefined;
}

/** `file` relative to `root` with `/` separators, or undefined when it is not below `root`. */
export function pathBelow(root: string, file: string): string | undefined {
  const path = relative(root, file);
  if (!path || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) return undefined;
  return path.split(sep).join('/');
}

/** Is `file` excluded by globs that are relative to `root`? Files outside `root` never are. */
export function isExcludedFrom(root: string, file: string, globs: readonly string[]): boolean {
  const path = globs.length ? pathBelow(root, file) : undefined;
  return path !== undefined && matchesAnyGlob(path, globs);
}
