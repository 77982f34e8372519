// A Compose project: the files `docker compose` reads as one model. The chain (`compose.yaml`, then
// `compose.override.yaml`, or the files of `-f a -f b`), the files their top-level `include` names, and the files
// their services `extends`. Each file is read once through a SourceFileSystem and kept as written; a service is
// then read across them, nearest first (the last file of the chain first), so a value keeps its node in the
// file that writes it and findings and fixes land there. The merge rules are the model's (engine/compose/model.ts).
// Spec: https://github.com/compose-spec/compose-spec/blob/main/13-merge.md, /14-include.md, /05-services.md#extends
import * as posix from '../posixPath';
import { Document, isMap, isScalar, isSeq, Node, Pair, Scalar } from 'yaml';
import { aliasExpansionExceeded, parseBounded } from '../../engine/limits';
import { ComposeFile, ComposeService, ExtendsTarget, mergedService, readComposeFile, ServiceDefinition } from '../../engine/compose/model';
import { deref, findPair } from '../../engine/yamlNodes';
import { SourceFileSystem, SourceProblem } from '../origin';

/** A file of a project as read: its Compose model and every YAML document of it, or why it is not one. */
export interface ProjectFile {
  compose: ComposeFile;
  /** Every document of the file (the first is the Compose file): fixes are checked against them. */
  docs: Document[];
}

export interface ComposeProject {
  /** The chain, base first: a key a service lacks is added to its definition in the oldest file. */
  chain: string[];
  /** Every file it reads, found or not: an edit of one changes the project. */
  reads: Set<string>;
  /** The files that were read as Compose, by path. */
  files: Map<string, ProjectFile>;
  /** Each service once, read across the files. */
  services: ComposeService[];
  /** What keeps a part of the project from being read as `docker compose` would read it. */
  problems: SourceProblem[];
  /** The text of every file read, where the problems sit. */
  texts: Map<string, string>;
}

/** Why a file cannot be a part of a project, at a place in it when it is there. */
interface Unreadable { reason: string; at?: readonly [number, number] }

/** Reads a project from its chain of files (absolute paths, `/` separators). */
export function loadComposeProject(chain: readonly string[], fs: SourceFileSystem): ComposeProject {
  const project: ComposeProject = { chain: [...chain], reads: new Set(), files: new Map(), services: [], problems: [], texts: new Map() };
  const read = new Map<string, ProjectFile | Unreadable>();
  const problem = (message: string, file?: string, at?: readonly [number, number]) =>
    project.problems.push({ message, severity: 'error', ...(file !== undefined ? { span: { file, start: at?.[0] ?? 0, end: at?.[1] ?? 0 } } : {}) });

  const load = (path: string): ProjectFile | Unreadable => {
    const known = read.get(path);
    if (known) return known;
    project.reads.add(path);
    const text = fs.readFile(path);
    if (text !== undefined) project.texts.set(path, text);
    const loaded = readProjectFile(text, path);
    read.set(path, loaded);
    if ('compose' in loaded) project.files.set(path, loaded);
    else if (loaded.at) problem(`${posix.basename(path)} is not read as a part of the Compose project: ${loaded.reason}.`, path, loaded.at);
    return loaded;
  };

  const resolveExtends = (from: ComposeFile, target: ExtendsTarget): ServiceDefinition | undefined => {
    const path = posix.resolve(posix.dirname(from.path!), target.file!);
    const fileValue = spanOf(findFileValue(target.pair, from.doc) ?? target.pair.key);
    const loaded = load(path);
    if (!('compose' in loaded)) {
      problem(`extends names ${target.file}, which cannot be read: ${loaded.reason}. The service is checked only for the values it has.`, from.path, fileValue);
      return undefined;
    }
    const definition = loaded.compose.definitions.get(target.service);
    if (!definition) problem(`extends names the service "${target.service}" of ${target.file}, which that file does not define.`, from.path, fileValue);
    return definition;
  };

  /** The files a file brings in, in merge order: each `include` (with what it includes) before the file itself. */
  const brought = new Map<string, ComposeFile[]>();
  const withIncludes = (path: string, including: readonly string[]): ComposeFile[] => {
    // Each file's includes are followed once: a diamond of includes 30 levels deep must not be walked 2^30 times.
    const known = brought.get(path);
    if (known) return known;
    const files = includedFiles(path, including);
    brought.set(path, files);
    return files;
  };
  const includedFiles = (path: string, including: readonly string[]): ComposeFile[] => {
    const loaded = load(path);
    if (!('compose' in loaded)) return [];
    const files: ComposeFile[] = [];
    for (const entry of includeEntries(loaded.compose)) {
      for (const { path: relative, at } of entry) {
        const included = posix.resolve(posix.dirname(path), relative);
        if (included === path || including.includes(included)) {
          problem(`include makes a cycle (${[...including, path, included].map(p => posix.basename(p)).join(' -> ')}): docker compose refuses it, so ${relative} is not included again.`, path, at);
          continue;
        }
        const target = load(included);
        if (!('compose' in target)) {
          if (!target.at) problem(`include names ${relative}, which cannot be read: ${target.reason}.`, path, at);
          continue;
        }
        for (const file of withIncludes(included, [...including, path])) if (!files.includes(file)) files.push(file);
      }
    }
    files.push(loaded.compose);
    return files;
  };

  const ordered: ComposeFile[] = [];
  for (const path of chain) {
    const loaded = load(path);
    if (!('compose' in loaded) && !loaded.at) problem(`${posix.basename(path)}, a file of the Compose project, cannot be read: ${loaded.reason}.`, chain.find(p => p !== path && 'compose' in load(p)));
    for (const file of withIncludes(path, [])) if (!ordered.includes(file)) ordered.push(file);
  }

  const names = [...new Set(ordered.flatMap(file => [...file.definitions.keys()]))];
  const onExtendsProblem = (file: ComposeFile, pair: Pair<Scalar, unknown>, message: string) => problem(message, file.path, spanOf(pair.key));
  for (const name of names) {
    const definitions = ordered.flatMap(file => file.definitions.get(name) ?? []).reverse();
    project.services.push(mergedService(definitions, resolveExtends, onExtendsProblem));
  }
  return project;
}

/** Reads one file as a part of a project (a Compose file whose `services:` may be missing, as in an override file). */
function readProjectFile(text: string | undefined, path: string): ProjectFile | Unreadable {
  if (text === undefined) return { reason: 'it is not there' };
  if (text.includes('\0')) return { reason: 'it holds binary data (a NUL byte)', at: [0, 0] };
  const docs = parseBounded(text, { version: '1.1' });
  if (!Array.isArray(docs)) return { reason: 'it nests too deeply', at: [docs.tooDeepAt, docs.tooDeepAt + 1] };
  const doc = docs[0];
  if (!doc || doc.contents === null) return { reason: 'it is empty', at: [0, 0] };
  if (doc.errors.length) return { reason: `it is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, at: [Math.min(doc.errors[0].pos[0], text.length), Math.min(doc.errors[0].pos[1], text.length)] };
  const bomb = aliasExpansionExceeded(doc);
  if (bomb) return { reason: 'its aliases expand beyond the limit', at: spanOf(bomb) };
  const compose = readComposeFile(doc.contents, doc, text, path);
  if (!compose) return { reason: 'it is not a Compose file (a top-level map whose services: maps names to services, without apiVersion or kind)', at: [doc.range?.[0] ?? 0, doc.range?.[0] ?? 0] };
  return { compose, docs };
}

/** The `file:` value of a long-syntax `extends`. */
function findFileValue(pair: Pair<Scalar, unknown>, doc: Document): Node | undefined {
  const value = deref(pair.value, doc);
  return isMap(value) ? findPair(value, 'file')?.value as Node | undefined : undefined;
}

/**
 * The entries of a top-level `include`, each a chain of paths merged as `-f a -f b` would (short syntax: one
 * path; long syntax: `path:` as one path or a list). `project_directory` and `env_file` change how paths and
 * variables of the included model are read, which no check here depends on.
 */
function includeEntries(file: ComposeFile): { path: string; at: [number, number] }[][] {
  const include = deref(findPair(file.root, 'include')?.value, file.doc);
  if (!isSeq(include)) return [];
  const pathOf = (node: unknown): { path: string; at: [number, number] }[] => {
    const value = deref(node, file.doc);
    return isScalar(value) && typeof value.value === 'string' && value.value ? [{ path: value.value, at: spanOf(value) }] : [];
  };
  return include.items.map(item => {
    const entry = deref(item, file.doc);
    if (!isMap(entry)) return pathOf(entry);
    const path = deref(findPair(entry, 'path')?.value, file.doc);
    return isSeq(path) ? path.items.flatMap(pathOf) : pathOf(path);
  });
}

function spanOf(node: Node | null | undefined): [number, number] {
  return node?.range ? [node.range[0], node.range[1]] : [0, 0];
}
