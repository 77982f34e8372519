// The fuzz loop: builds seeded cases (mutated repository manifests and hostile files), runs each through the
// engine in-process, the language server over stdio (open, edit, code actions) and, for a sample, the CLI as a
// child process, and records crashes, hangs, internal errors and slow requests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeText, AnalysisResult, EDITOR_LIMITS, Finding, namespacePoliciesIn, Range } from '../../server/src/engine';
import { configuredPolicies } from '../../server/src/engine/podSecurity/namespaces';
import { analysedLength } from '../../server/src/editorLimits';
import { LspClient } from '../protocol/lspClient';
import { HOSTILE } from './hostile';
import { mutate } from './mutations';
import { Random } from './random';
import { ROOT, Seed } from './corpus';

export const CLI = join(ROOT, 'dist', 'cli.js');
/** A request (or the diagnostics after a notification) slower than this is reported. */
export const SLOW_MS = 1000;
/** Waiting longer than this for an answer counts as a hang. */
const HANG_MS = 60_000;
/** Texts above this are analysed in-process the way the editor does only; the CLI runs cover them in full. */
const IN_PROCESS_FULL_MAX = 1 << 20;
const CLI_HANG_MS = 180_000;

export interface FuzzCase { index: number; recipe: string; bytes: Buffer; heavy: boolean }

export interface FuzzOptions {
  seed: number;
  /** Run the CLI on every n-th case (0: never). */
  cliEvery: number;
  /** Whether to build the multi-megabyte hostile files. */
  heavy: boolean;
}

export function buildCase(seeds: readonly Seed[], options: FuzzOptions, index: number): FuzzCase {
  const random = new Random(options.seed, index);
  const seed = random.pick(seeds);
  if (random.chance(0.12)) {
    const hostile = random.weighted(HOSTILE.filter(h => options.heavy || !h.heavy));
    return { index, recipe: `${hostile.name} (from ${seed.name})`, bytes: hostile.build(random, seed.bytes), heavy: !!hostile.heavy };
  }
  const { bytes, steps } = mutate(seed.bytes, random);
  return { index, recipe: `${seed.name}: ${steps.join(', ')}`, bytes, heavy: false };
}

export interface Failure {
  where: 'engine' | 'cli' | 'server';
  /** `slow request`: a request answered after SLOW_MS; `slow diagnostics`: diagnostics published after SLOW_MS. */
  kind: 'crash' | 'hang' | 'internal error' | 'slow request' | 'slow diagnostics' | 'wrong result';
  message: string;
}

export interface Timings { engineMs: number; cliMs?: number; openMs?: number; editMs?: number; codeActionMs?: number }

/** The lines of a text the way the engine counts them (`\n` only), as [start, end) offsets without the `\n`. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function rangeProblem(range: Range, text: string, starts: number[]): string | undefined {
  for (const { line, character } of [range.start, range.end]) {
    // The start of the line after the last: the LSP idiom for "to the end, line break included".
    if (line === starts.length && character === 0) continue;
    if (line < 0 || line >= starts.length) return `line ${line} is outside the text (${starts.length} lines)`;
    const length = (line + 1 < starts.length ? starts[line + 1] - 1 : text.length) - starts[line];
    if (character < 0 || character > length) return `character ${character} is outside line ${line} (${length} characters)`;
  }
  return undefined;
}

function applyEdits(text: string, starts: number[], finding: Finding): string {
  const offset = ({ line, character }: Range['start']) => (line < starts.length ? starts[line] + character : text.length);
  const edits = [...finding.fixes![0].edits].map(edit => ({ start: offset(edit.range.start), end: offset(edit.range.end), text: edit.newText }))
    .sort((a, b) => b.start - a.start);
  return edits.reduce((result, edit) => result.slice(0, edit.start) + edit.text + result.slice(edit.end), text);
}

/** What is wrong with an engine result: an internal error, a range off the text, the parser's stack overflowing. */
function resultProblems(result: AnalysisResult, text: string, label: string): string[] {
  const problems: string[] = [];
  const starts = lineStarts(text);
  for (const error of result.errors ?? []) problems.push(`${label}: ${error.rule ?? 'analysis'} threw: ${error.message}`);
  for (const finding of result.findings) {
    if (/Maximum call stack size exceeded/.test(finding.message)) problems.push(`${label}: the parser's stack overflowed: ${finding.message}`);
    const ranges = [finding.range, ...(finding.fixes ?? []).flatMap(fix => fix.edits.map(edit => edit.range))];
    for (const range of ranges) {
      const problem = rangeProblem(range, text, starts);
      if (problem) problems.push(`${label}: ${finding.rule}: ${problem}`);
    }
  }
  return problems;
}

/** Runs the engine as the CLI does (and as the editor does where its limits matter), then applies a fix and analyses the result. */
export function checkEngine(text: string): { ms: number; failures: Failure[] } {
  const failures: Failure[] = [];
  const started = performance.now();
  let ms = 0;
  try {
    const full = text.length <= IN_PROCESS_FULL_MAX;
    // As the CLI lints a file: with the Namespaces it defines, and a Pod Security level for every other namespace.
    const cli = { allRules: true, podSecurity: { ...configuredPolicies({ '*': 'restricted' }), ...namespacePoliciesIn(text) } };
    const result = full ? analyzeText(text, cli) : analyzeText(text.slice(0, analysedLength(text)), { limits: EDITOR_LIMITS });
    ms = performance.now() - started;
    const problems = resultProblems(result, text, full ? 'CLI options' : 'editor limits');
    if (full && text.length > EDITOR_LIMITS.maxDocumentBytes) problems.push(...resultProblems(analyzeText(text, { limits: EDITOR_LIMITS }), text, 'editor limits'));
    if (text.length < 200_000) {
      const starts = lineStarts(text);
      for (const finding of result.findings.filter(f => f.fixes?.length).slice(0, 1)) {
        const fixed = applyEdits(text, starts, finding);
        problems.push(...resultProblems(analyzeText(fixed, cli), fixed, `after the fix of ${finding.rule}`));
      }
    }
    failures.push(...problems.map(message => ({ where: 'engine' as const, kind: message.includes('threw') ? 'internal error' as const : 'wrong result' as const, message })));
  } catch (error) {
    ms = performance.now() - started;
    failures.push({ where: 'engine', kind: 'crash', message: (error as Error).stack ?? String(error) });
  }
  return { ms, failures };
}

const STACK_TRACE = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

/** Runs the built CLI on the bytes as a file: exit 0, 1 or 2, JSON on stdout, never a stack trace. */
export function checkCli(bytes: Buffer, dir: string): { ms: number; failures: Failure[] } {
  const file = join(dir, 'case.yaml');
  writeFileSync(file, bytes);
  const started = performance.now();
  const run = spawnSync(process.execPath, [CLI, '--format', 'json', file], { encoding: 'utf8', timeout: CLI_HANG_MS, maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  const failures: Failure[] = [];
  if (run.signal) failures.push({ where: 'cli', kind: 'hang', message: `killed by ${run.signal} after ${Math.round(ms)} ms` });
  else if (![0, 1, 2].includes(run.status ?? -1)) failures.push({ where: 'cli', kind: 'crash', message: `exit status ${run.status}: ${run.stderr.slice(0, 2000)}` });
  else if (STACK_TRACE.test(run.stderr)) failures.push({ where: 'cli', kind: 'crash', message: `stack trace on stderr: ${run.stderr.slice(0, 2000)}` });
  else if (run.status === 2) failures.push({ where: 'cli', kind: 'internal error', message: run.stderr.slice(0, 2000) });
  else {
    try { JSON.parse(run.stdout); } catch { failures.push({ where: 'cli', kind: 'wrong result', message: `stdout is not JSON: ${run.stdout.slice(0, 200)}` }); }
  }
  return { ms, failures };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${ms} ms`)), ms); }),
  ]);
}


/** One language server, restarted after a crash or a hang, that every case is opened, edited and fixed in. */
export class ServerSession {
  private client?: LspClient;
  private errorsLogged: string[] = [];
  private exited = false;

  async check(fuzzCase: FuzzCase, random: Random): Promise<{ timings: Partial<Timings>; failures: Failure[] }> {
    const client = await this.running();
    const text = fuzzCase.bytes.toString('utf8');
    const uri = `file:///fuzz/case-${fuzzCase.index}.yaml`;
    const timings: Partial<Timings> = {};
    const failures: Failure[] = [];
    const timed = async <T>(key: keyof Timings, what: string, step: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      const result = await within(step(), HANG_MS, what);
      timings[key] = performance.now() - started;
      const kind = key === 'codeActionMs' ? 'slow request' : 'slow diagnostics';
      if (timings[key]! > SLOW_MS) failures.push({ where: 'server', kind, message: `${what} took ${Math.round(timings[key]!)} ms` });
      return result;
    };
    try {
      await timed('openMs', 'didOpen', () => client.open(uri, text, 'yaml', HANG_MS));
      const starts = lineStarts(text);
      const line = random.int(starts.length);
      const character = random.int((line + 1 < starts.length ? starts[line + 1] - 1 : text.length) - starts[line] + 1);
      const insert = random.pick(['x', ' ', '\n', '- ', ': ', '[', '"', '\t', '---\n', '  securityContext: {readOnlyRootFilesystem: true}\n']);
      const diagnostics = await timed('editMs', 'didChange', () => client.change(uri, [{ range: { start: { line, character }, end: { line, character } }, text: insert }], HANG_MS));
      // What an editor asks when the cursor rests on a diagnostic (or on a line without one).
      const at = diagnostics.length ? random.pick(diagnostics).range : { start: { line, character: 0 }, end: { line, character: 0 } };
      await timed('codeActionMs', 'codeAction', () => client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri }, range: at, context: { diagnostics: diagnostics.filter(d => d.range.start.line <= at.end.line && d.range.end.line >= at.start.line) },
      }));
      await within(client.close(uri), HANG_MS, 'didClose');
    } catch (error) {
      const kind = this.exited ? 'crash' : 'hang';
      failures.push({ where: 'server', kind, message: `${(error as Error).message}${this.exited ? ` (the server exited: ${client.stderr.join('').slice(-2000)})` : ''}` });
      await this.restart();
    }
    for (const message of this.errorsLogged.splice(0)) failures.push({ where: 'server', kind: 'internal error', message });
    return { timings, failures };
  }

  async stop(): Promise<void> {
    await this.client?.stop();
    this.client = undefined;
  }

  private async restart(): Promise<void> {
    if (this.client && !this.exited) this.client.process.kill();
    this.client = undefined;
  }

  private async running(): Promise<LspClient> {
    if (this.client) return this.client;
    const client = await LspClient.start();
    this.exited = false;
    client.process.on('exit', () => { this.exited = true; });
    client.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      if (params.type === 1) this.errorsLogged.push(params.message);
    });
    return this.client = client;
  }
}

export interface CaseReport { fuzzCase: FuzzCase; timings: Timings; failures: Failure[] }

/** Runs cases [from, to) and calls `done` after each. */
export async function runCases(seeds: readonly Seed[], options: FuzzOptions, from: number, to: number, done: (report: CaseReport) => void): Promise<void> {
  const session = new ServerSession();
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-fuzz-'));
  try {
    for (let index = from; index < to; index++) {
      const fuzzCase = buildCase(seeds, options, index);
      const engine = checkEngine(fuzzCase.bytes.toString('utf8'));
      const timings: Timings = { engineMs: engine.ms };
      const failures = [...engine.failures];
      const server = await session.check(fuzzCase, new Random(options.seed, -1 - index));
      Object.assign(timings, server.timings);
      failures.push(...server.failures);
      if (fuzzCase.heavy || (options.cliEvery && index % options.cliEvery === 0)) {
        const cli = checkCli(fuzzCase.bytes, dir);
        timings.cliMs = cli.ms;
        failures.push(...cli.failures);
      }
      done({ fuzzCase, timings, failures });
    }
  } finally {
    await session.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
