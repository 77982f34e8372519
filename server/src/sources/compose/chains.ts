// Which files make a Compose project: the chain `docker compose` reads in a folder when given no `-f` (the first
// of its default names there, and the first override file beside it), or a chain the configuration names for a
// folder (`compose: {projects: {"deploy/": {files: [compose.yaml, compose.prod.yaml]}}}`, like `-f a -f b`).
// Names: https://docs.docker.com/compose/intro/compose-application-model/#the-compose-file and
// https://docs.docker.com/compose/how-tos/multiple-compose-files/merge/
import * as posix from '../posixPath';
import { SourceFileSystem } from '../origin';

/** The names `docker compose` looks for in a folder, in its order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** The override files it merges over the one it found, when one is there. */
export const OVERRIDE_FILE_NAMES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

/** Is the file one that `docker compose` reads in its folder by default (a base or an override)? */
export function isDefaultComposeFile(path: string): boolean {
  const name = posix.basename(path);
  return COMPOSE_FILE_NAMES.includes(name) || OVERRIDE_FILE_NAMES.includes(name);
}

/** The default chain of a folder: its base file and the override beside it; undefined without a base file. */
export function defaultChain(dir: string, fs: SourceFileSystem): string[] | undefined {
  const names = new Set(fs.readDirectory(dir) ?? []);
  const base = COMPOSE_FILE_NAMES.find(name => names.has(name));
  if (!base) return undefined;
  const override = OVERRIDE_FILE_NAMES.find(name => names.has(name));
  return [posix.join(dir, base), ...(override ? [posix.join(dir, override)] : [])];
}

/** A folder as the configuration names it (`deploy/`, `./deploy`, `.`), relative to the configuration's folder. */
export function configuredFolder(root: string, folder: string): string {
  return posix.resolve(root, folder.replace(/\\/g, '/'));
}

/** The chain the configuration at `root` names for `dir`, as absolute paths; undefined when it names none. */
export function configuredChain(root: string, projects: Readonly<Record<string, string[]>>, dir: string): string[] | undefined {
  const entry = Object.entries(projects).find(([folder]) => configuredFolder(root, folder) === dir);
  return entry?.[1].map(file => posix.resolve(dir, file.replace(/\\/g, '/')));
}
