// Which Kustomize trees a folder holds, and which files each reads. A kustomization that no other one includes
// is top-level: it is built and linted; the ones it includes (bases, components) and every file it reads
// (resources, patches) are linted only through it, never on their own, since a patch or a base alone is not
// what the cluster receives.
import * as posix from './posixPath';
import { parse } from 'yaml';
import { buildKustomization, findKustomizationFile, KustomizeBuild } from './kustomize';
import { SourceFileSystem } from './origin';
import { Rendering } from './sourceFindings';
import { trimTrailing } from './text';

/** Folders a walk never enters. */
const SKIPPED = new Set(['node_modules', '.git']);

/** A top-level kustomization and its build. */
export interface KustomizeTree {
  dir: string;
  build: KustomizeBuild;
  rendering: Rendering;
  /** What the build read, and the kustomization files of every kustomization it went through. */
  reads: Set<string>;
}

/** Every directory below `folder` (itself included) that holds a kustomization file, sorted. */
export function kustomizationDirs(folder: string, fs: SourceFileSystem): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    if (findKustomizationFile(dir, fs)) found.push(dir);
    for (const name of fs.readDirectory(dir) ?? []) {
      const path = `${dir}/${name}`;
      if (!SKIPPED.has(name) && fs.isDirectory(path)) visit(path);
    }
  };
  visit(trimTrailing(folder, '/'));
  return found.sort();
}

/** A remote resource (a URL or a git reference), which is never fetched, and so includes nothing here. */
function isRemote(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^(git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/.test(entry);
}

/** The kustomization directories one kustomization names in resources, bases and components. */
export function includedDirs(dir: string, fs: SourceFileSystem): string[] {
  const file = findKustomizationFile(dir, fs);
  let content: unknown;
  try { content = file && parse(fs.readFile(file) ?? '', { uniqueKeys: false, maxAliasCount: 100 }); } catch { return []; }
  if (!content || typeof content !== 'object') return [];
  const entries = ['resources', 'bases', 'components'].flatMap(key => {
    const list = (content as Record<string, unknown>)[key];
    return Array.isArray(list) ? list.filter((entry): entry is string => typeof entry === 'string') : [];
  });
  return entries.filter(entry => !isRemote(entry)).map(entry => trimTrailing(posix.normalize(posix.join(dir, entry)), '/'))
    .filter(path => fs.isDirectory(path) && findKustomizationFile(path, fs) !== undefined);
}

/** The kustomization directories that none of the others includes. */
export function topLevel(dirs: readonly string[], fs: SourceFileSystem): string[] {
  const included = new Set(dirs.flatMap(dir => includedDirs(dir, fs)));
  return dirs.filter(dir => !included.has(dir));
}

/** How messages name a kustomization: its path below the folder, or the folder's own name. */
export function kustomizationLabel(folder: string, dir: string): string {
  const below = posix.relative(trimTrailing(folder, '/'), dir);
  return below || posix.basename(dir);
}

/** Builds a kustomization and records what it read. */
export function buildTree(folder: string, dir: string, fs: SourceFileSystem): KustomizeTree {
  const build = buildKustomization(dir, fs);
  const rootFile = findKustomizationFile(dir, fs) ?? `${dir}/kustomization.yaml`;
  const reads = new Set(build.filesRead);
  for (const kustomization of build.kustomizations) {
    const file = findKustomizationFile(kustomization, fs);
    if (file) reads.add(file);
  }
  reads.add(rootFile);
  return {
    dir, build, reads,
    rendering: { rootFile, label: kustomizationLabel(folder, dir), documents: build.documents, problems: build.problems },
  };
}

/**
 * The top-level Kustomize trees of some folders, built (a kustomization included by one in another folder is not
 * top-level); and any kustomization no build went through (one of a cycle
 * of kustomizations that include each other), so that its problem is reported too.
 */
export function kustomizeTrees(folders: readonly string[], fs: SourceFileSystem): KustomizeTree[] {
  const folderOf = new Map<string, string>();
  for (const folder of folders) for (const dir of kustomizationDirs(folder, fs)) if (!folderOf.has(dir)) folderOf.set(dir, folder);
  const dirs = [...folderOf.keys()].sort();
  const trees = topLevel(dirs, fs).map(dir => buildTree(folderOf.get(dir)!, dir, fs));
  const reached = new Set(trees.flatMap(tree => tree.build.kustomizations));
  for (const dir of dirs) {
    if (reached.has(dir)) continue;
    const tree = buildTree(folderOf.get(dir)!, dir, fs);
    trees.push(tree);
    tree.build.kustomizations.forEach(kustomization => reached.add(kustomization));
  }
  return trees;
}
