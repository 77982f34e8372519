#!/usr/bin/env node
// The CLI's executable (dist/cli.js): it runs the CLI's bundle (dist/cliMain.js) with V8's code cache, as Node 22's
// module.enableCompileCache() does for the modules it loads, so that a fresh process does not compile the bundle
// again. Compiling it is a good part of a short command's time: `kube-immutable render` of a chart of 40 templates
// spends about a fifth of its CPU there (`npm run bench:helm` prints the figures with and without the cache).
//
// The cache is kept in a folder of the temporary directory that only this user may write, one file per command and
// per build of the bundle, Node version and architecture; V8 itself refuses a cache made by another V8 or for another
// text, and then the bundle is compiled as without one. NODE_DISABLE_COMPILE_CACHE=1, Node's own switch for its
// compile cache, turns it off. The cache is best effort: any failure to read or write it leaves the command as it was.
//
// This file is bundled alone, with nothing but Node's modules, so that it loads at once.
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { isMainThread } from 'node:worker_threads';

const BUNDLE = join(__dirname, 'cliMain.js');

/** The CommonJS module system's parts that this loader uses, as Node has them (node:module's types leave them out). */
interface ModuleInternals {
  wrap(source: string): string;
  _nodeModulePaths(dir: string): string[];
  _resolveFilename(request: string, parent: Module): string;
}

run();

function run(): void {
  const source = readFileSync(BUNDLE, 'utf8');
  const command = !isMainThread || process.argv[2] !== 'render' ? 'lint' : 'render';
  const cacheFile = process.env.NODE_DISABLE_COMPILE_CACHE ? undefined : cachePath(command, source.length);
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  const internals = Module as unknown as ModuleInternals;
  const script = new Script(internals.wrap(source), { filename: BUNDLE, cachedData });
  // Written by the main thread only (the worker threads read its cache). A render's cache is written once it has run,
  // so that it holds every function the render compiled on the way: a chart of 40 templates renders in about 80% of
  // the time without a cache. A lint's holds only what compiling the bundle compiles, taken before it runs: with the
  // functions a lint compiled, a long lint ran up to 1.8x slower (a stream of 26,000 containers on one line, 5.2 s
  // against 2.9 s; the profile puts the time in the function that turns offsets into lines, and why V8 runs it
  // slower when it comes from a cache is not known).
  if (cacheFile && isMainThread && (!cachedData || script.cachedDataRejected)) {
    if (command === 'render') process.once('exit', () => writeCache(cacheFile, script));
    else writeCache(cacheFile, script);
  }
  const bundle = new Module(BUNDLE, module);
  bundle.filename = BUNDLE;
  bundle.paths = internals._nodeModulePaths(dirname(BUNDLE));
  const load = (request: string) => bundle.require(request);
  load.main = bundle;
  load.resolve = (request: string) => internals._resolveFilename(request, bundle);
  bundle.loaded = true;
  (script.runInThisContext() as (...args: unknown[]) => void).call(bundle.exports, bundle.exports, load, bundle, BUNDLE, dirname(BUNDLE));
}

/**
 * The cache file for this bundle and command, or undefined where the folder cannot be made safe: it must belong to
 * this user and be writable by no one else, since V8 runs what a cache holds.
 */
function cachePath(command: string, sourceLength: number): string | undefined {
  try {
    const user = process.getuid?.();
    const dir = join(tmpdir(), `kube-immutable-code-cache${user === undefined ? '' : `-${user}`}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const folder = statSync(dir);
    if (!folder.isDirectory() || (user !== undefined && (folder.uid !== user || (folder.mode & 0o022) !== 0))) return undefined;
    const bundle = statSync(BUNDLE);
    // V8 refuses a cache made by another V8 or for a text of another length; the name keeps apart the builds of the
    // bundle, wherever installed, that V8 could not tell apart.
    return join(dir, `${command}-${process.version}-${process.arch}-${fnv1a(BUNDLE)}-${sourceLength}-${Math.round(bundle.mtimeMs)}.bin`);
  } catch {
    return undefined;
  }
}

/** FNV-1a, 32 bits, in hexadecimal: a short name for a path (loading node:crypto would cost more than the hash). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function readCache(file: string): Buffer | undefined {
  try {
    const fd = openSync(file, 'r');
    try {
      const stat = fstatSync(fd);
      const user = process.getuid?.();
      if (!stat.isFile() || (user !== undefined && (stat.uid !== user || (stat.mode & 0o022) !== 0))) return undefined;
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** Writes the cache beside its place and renames it there, so that a process never reads half a cache. */
function writeCache(file: string, script: Script): void {
  const partial = `${file}.${process.pid}`;
  try {
    writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    renameSync(partial, file);
  } catch {
    // Best effort: the next command compiles the bundle as this one did.
  }
}
