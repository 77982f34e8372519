// File-system facts that the CLI and the language server share (the engine itself never touches files).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';

export const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
const YAML_FILE = /\.ya?ml$/i;

export function isYamlFile(path: string): boolean {
  return YAML_FILE.test(path);
}

/** A file in a Helm chart's `templates/` folder (a folder beside a Chart.yaml): not YAML until rendered. */
export function isChartTemplate(path: string): boolean {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    if (basename(dir) === 'templates' && existsSync(join(dirname(dir), 'Chart.yaml'))) return true;
  }
  return false;
}

/** Every `*.yaml`/`*.yml` file below `root`, sorted, skipping node_modules and .git. */
export function walkYamlFiles(root: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      let stat;
      try { stat = statSync(path); } catch { continue; }
      if (stat.isDirectory()) { if (!SKIPPED_DIRECTORIES.has(name)) visit(path); }
      else if (stat.isFile() && isYamlFile(name)) found.push(path);
    }
  };
  visit(root);
  return found;
}

/** `file` relative to `root` with `/` separators, or undefined when it is not below `root`. */
export function pathBelow(root: string, file: string): string | undefined {
  const path = relative(root, file);
  if (!path || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) return undefined;
  return path.split(sep).join('/');
}
