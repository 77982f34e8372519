// `npm run fuzz -- --config`: hostile `.kube-immutable.yaml` files, the kind a repository nobody has reviewed
// may hold: deep, huge, alias bombs, values of the wrong type, globs built to backtrack, and the small damages
// of mutations.ts. Each goes through the engine's reader and the glob matcher in-process, the language server
// (as the config file of its workspace, with hostile settings beside it) and, for a sample, the CLI. Whatever
// the file, the result must be a configuration or clear problems, soon: never a crash, a hang or a stack trace.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeText, CONFIG_FILE_NAME, matchesAnyGlob, mergeConfig, parseConfigFile, parseSettings, toAnalyzeOptions } from '../../server/src/engine';
import { fileUri, LspClient } from '../protocol/lspClient';
import { CaseReport, CLI, Failure, FuzzCase, FuzzOptions, SLOW_MS, Timings } from './fuzzer';
import { mutate } from './mutations';
import { Random } from './random';
import { NORMAL_POD } from './samples';

const HANG_MS = 60_000;
const CLI_HANG_MS = 120_000;

const BASES = [
  'rules:\n  readonly-root-filesystem: error\n  capabilities: off\nexclude:\n  - vendor/**\n  - "*.generated.yaml"\n'
    + 'imageWritePaths:\n  registry.example.com/shop/web: [/var/cache/web, /tmp]\nexemptImages:\n  - registry.example.com/debug/*\npeerAnnotations: true\n',
  'exclude: [vendor/**, "**/*.tmp.yaml", "k8s/{dev,test}/*.yaml", "env-[!p].yaml"]\n',
  '# only severities\nrules: {mutable-image-reference: hint, run-as-root: "off"}\n',
  'peerAnnotations: false\nexemptImages: [busybox, "registry.example.com/*"]\n',
];

/** Globs built to make a matcher backtrack or recurse, at sizes from small to past every bound. */
const HOSTILE_GLOBS: ((n: number) => string)[] = [
  n => `${'**/'.repeat(n)}zz`,
  n => `${'*a'.repeat(n)}*zz`,
  n => `${'{a,'.repeat(n)}b${'}'.repeat(n)}`,
  n => '{a,'.repeat(n),
  n => '['.repeat(n),
  n => `${'?'.repeat(n)}*`,
  n => `${'+(a|'.repeat(n)}b${')'.repeat(n)}`,
  n => `${'@(*|'.repeat(n)}x${')'.repeat(n)}`,
  n => `${'!('.repeat(n)}x${')'.repeat(n)}`,
  n => '\\'.repeat(n),
  n => '/'.repeat(n),
  n => `{1..${n * 1000}}`,
  n => `[${'a-'.repeat(n)}z]`,
  n => '{a,b}'.repeat(Math.min(n, 40)),
  n => '**/..'.repeat(n),
];

const quoted = (value: string) => JSON.stringify(value);

/** The text with `key` set to `value` (the text after `key:`): an earlier `key` goes, so that no damage is a mere duplicate key. */
function withKey(text: string, key: string, value: string): string {
  let dropping = false;
  const kept = text.split('\n').filter(line => {
    if (line && line[0] !== ' ' && line[0] !== '#') dropping = line.startsWith(`${key}:`);
    return !dropping;
  });
  return `${kept.join('\n').trimEnd()}\n${key}:${value}\n`;
}

/** One damage that only a configuration file gets; the name says which. */
const CONFIG_DAMAGES: { name: string; weight: number; apply(text: string, random: Random): string }[] = [
  { name: 'hostile glob', weight: 5, apply: (text, r) => {
    const globs = Array.from({ length: r.between(1, 4) }, () => r.pick(HOSTILE_GLOBS)(r.pick([1, 3, 14, 40, 100, 300, 600, 5000])));
    return withKey(text, 'exclude', ` [${globs.map(quoted).join(', ')}]`);
  } },
  { name: 'many globs', weight: 1, apply: (text, r) => withKey(text, 'exclude', `\n${Array.from({ length: r.pick([99, 100, 101, 1000, 20_000]) }, (_, i) => `  - "d${i}/**/*a*b*c"`).join('\n')}`) },
  { name: 'wrong type', weight: 4, apply: (text, r) => {
    const key = r.pick(['rules', 'exclude', 'imageWritePaths', 'exemptImages', 'peerAnnotations', 'kubeImmutable', '? [a]', '!!binary aGk=', '123']);
    const value = r.pick(['42', 'true', 'null', '~', '"text"', '[1, [2, [3]]]', '{a: {b: c}}', '!!binary aGVsbG8=', '!!set {a, b}', '!custom x',
      '{readonly-root-filesystem: [error]}', '[vendor/**, 3, null, {a: b}, ""]', '{web: /tmp}', '{web: [tmp, 5]}', '2001-01-01', '.inf', '0x1F']);
    return withKey(text, key, ` ${value}`);
  } },
  { name: 'deep nesting', weight: 2, apply: (text, r) => {
    const depth = r.pick([200, 257, 1000, 100_000]);
    return r.chance(0.5)
      ? withKey(text, 'rules', ` ${'['.repeat(depth)}${']'.repeat(r.chance(0.5) ? depth : 0)}`)
      : withKey(text, 'imageWritePaths', `\n${Array.from({ length: Math.min(depth, 5000) }, (_, i) => `${' '.repeat(2 * i + 2)}k${i}:`).join('\n')}`);
  } },
  { name: 'alias bomb', weight: 2, apply: (text, r) => {
    let bomb = '\n  l0: &l0 [/a, /a, /a, /a, /a, /a, /a, /a, /a]';
    for (let i = 1; i <= 9; i++) bomb += `\n  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`;
    const withBomb = withKey(text, 'imageWritePaths', bomb);
    return r.chance(0.5) ? withKey(withKey(withKey(withBomb, 'exclude', ' *l9'), 'exemptImages', ' *l9'), 'rules', ' *l9') : withBomb;
  } },
  { name: 'huge value', weight: 1, apply: (text, r) => withKey(text, 'exemptImages', ` [${quoted('x'.repeat(r.pick([1 << 10, 60 << 10, 1 << 16, 3 << 20])))}]`) },
  { name: 'many keys', weight: 1, apply: (text, r) => withKey(text, 'rules', `\n${Array.from({ length: r.pick([100, 1000, 50_000]) }, (_, i) => `  rule-${i}: error`).join('\n')}`) },
  { name: 'two documents', weight: 1, apply: (text, r) => `${text}---\n${r.pick(BASES)}` },
];

export function buildConfigCase(options: FuzzOptions, index: number): FuzzCase {
  const random = new Random(options.seed, index);
  let text = random.pick(BASES);
  const steps: string[] = [];
  for (let n = random.between(1, 2); n > 0; n--) {
    const damage = random.weighted(CONFIG_DAMAGES);
    text = damage.apply(text, random);
    steps.push(damage.name);
  }
  let bytes: Buffer = Buffer.from(text);
  if (random.chance(0.3)) {
    const mutated = mutate(bytes, random);
    bytes = mutated.bytes;
    steps.push(...mutated.steps);
  }
  return { index, recipe: steps.join(', '), bytes, heavy: false };
}

/** Settings an untrusted workspace's `.vscode/settings.json` might hold, for the language server to validate beside the file. */
function hostileSettings(random: Random): unknown {
  return random.pick([
    { workspace: { scan: true } },
    { workspace: { scan: true }, exclude: [random.pick(HOSTILE_GLOBS)(random.pick([14, 40, 600]))] },
    { workspace: { scan: 'yes' }, exclude: 'vendor/**', rules: ['error'], peerAnnotations: 0 },
    { workspace: { scan: true }, exclude: Array.from({ length: random.pick([100, 1500]) }, (_, i) => `p${i}/**/*a*b`) },
  ]);
}

/** Paths a walk meets: deep folders and long names, where backtracking globs take longest. */
const PATHS = [
  'pod.yaml', 'vendor/a/b.yaml', `${Array.from({ length: 25 }, (_, i) => `d${i}`).join('/')}/pod.yaml`,
  `${'a'.repeat(200)}.yaml`, `k8s/${'ab'.repeat(100)}/zz`, `${'a/'.repeat(60)}zz`,
];

/** The engine's reader and the glob matcher, in-process: a configuration or problems, each with a message. */
export function checkConfigInProcess(text: string, settings: unknown): { ms: number; failures: Failure[] } {
  const failures: Failure[] = [];
  const started = performance.now();
  try {
    const file = parseConfigFile(text);
    const fromSettings = parseSettings(settings);
    for (const problem of [...file.problems, ...fromSettings.problems]) {
      if (!problem.message.trim()) failures.push({ where: 'engine', kind: 'wrong result', message: `a problem without a message at ${problem.path}` });
    }
    const config = mergeConfig(fromSettings.layer, file.layer);
    for (const path of PATHS) matchesAnyGlob(path, config.exclude);
    const result = analyzeText(NORMAL_POD, toAnalyzeOptions(config));
    for (const error of result.errors ?? []) failures.push({ where: 'engine', kind: 'internal error', message: `${error.rule ?? 'analysis'} threw: ${error.message}` });
  } catch (error) {
    failures.push({ where: 'engine', kind: 'crash', message: (error as Error).stack ?? String(error) });
  }
  const ms = performance.now() - started;
  if (ms > SLOW_MS) failures.push({ where: 'engine', kind: 'slow request', message: `reading the configuration and matching its globs took ${Math.round(ms)} ms` });
  return { ms, failures };
}

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;
/** What the CLI prints for a configuration it will not use: `kube-immutable: ` and then `path[:line:col]: message` lines. */
const CONFIG_ERROR = /^kube-immutable: \S+?\.kube-immutable\.yaml(:\d+:\d+)?: \S.*(\n\S+?\.kube-immutable\.yaml(:\d+:\d+)?: \S.*)*\n$/;

/** The built CLI on a folder holding the configuration: lints (exit 0 or 1) or stops with a clear configuration error (exit 2). */
export function checkConfigCli(dir: string): { ms: number; failures: Failure[] } {
  const started = performance.now();
  const run = spawnSync(process.execPath, [CLI, '--format', 'json', dir], { encoding: 'utf8', timeout: CLI_HANG_MS, maxBuffer: 1 << 28 });
  const ms = performance.now() - started;
  const failures: Failure[] = [];
  if (run.signal) failures.push({ where: 'cli', kind: 'hang', message: `killed by ${run.signal} after ${Math.round(ms)} ms` });
  else if (![0, 1, 2].includes(run.status ?? -1)) failures.push({ where: 'cli', kind: 'crash', message: `exit status ${run.status}: ${run.stderr.slice(0, 2000)}` });
  else if (STACK_TRACE.test(run.stderr) || run.stderr.includes('internal error')) failures.push({ where: 'cli', kind: 'crash', message: run.stderr.slice(0, 2000) });
  else if (run.status === 2 && !CONFIG_ERROR.test(run.stderr)) failures.push({ where: 'cli', kind: 'wrong result', message: `not a configuration error: ${run.stderr.slice(0, 2000)}` });
  else if (run.status !== 2) {
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

/** A language server on the fuzz folder: each case is its configuration file changing on disk, then a code action. */
class ConfigServer {
  private client?: LspClient;
  private exited = false;
  private scans = 0;
  private readonly errorsLogged: string[] = [];
  private readonly open = 'file:///elsewhere/open.yaml';

  constructor(private readonly dir: string) {}

  async check(random: Random): Promise<{ timings: Partial<Timings>; failures: Failure[] }> {
    const timings: Partial<Timings> = {};
    const failures: Failure[] = [];
    const client = await this.running();
    try {
      client.settings = { kubeImmutable: hostileSettings(random) };
      let started = performance.now();
      await client.filesChanged([{ uri: fileUri(join(this.dir, CONFIG_FILE_NAME)), type: 2 }]);
      await within(client.progressEnded(++this.scans, HANG_MS), HANG_MS, 'the scan after the configuration changed');
      timings.openMs = performance.now() - started;
      started = performance.now();
      const diagnostics = client.diagnostics.get(this.open)?.diagnostics ?? [];
      await within(client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: this.open }, range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: diagnostics.slice(0, 1) },
      }), HANG_MS, 'codeAction');
      timings.codeActionMs = performance.now() - started;
      if (timings.codeActionMs > SLOW_MS) failures.push({ where: 'server', kind: 'slow request', message: `codeAction took ${Math.round(timings.codeActionMs)} ms` });
    } catch (error) {
      failures.push({ where: 'server', kind: this.exited ? 'crash' : 'hang', message: `${(error as Error).message}${this.exited ? ` (the server exited: ${client.stderr.join('').slice(-2000)})` : ''}` });
      if (!this.exited) client.process.kill();
      this.client = undefined;
    }
    for (const message of this.errorsLogged.splice(0)) failures.push({ where: 'server', kind: 'internal error', message });
    return { timings, failures };
  }

  async stop(): Promise<void> {
    await this.client?.stop();
    this.client = undefined;
  }

  private async running(): Promise<LspClient> {
    if (this.client) return this.client;
    const client = await LspClient.start({
      rootUri: fileUri(this.dir), workspaceFolders: [{ uri: fileUri(this.dir), name: 'fuzz' }],
      capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
    });
    client.settings = { kubeImmutable: { workspace: { scan: true } } };
    this.exited = false;
    client.process.on('exit', () => { this.exited = true; });
    client.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      if (params.type === 1) this.errorsLogged.push(params.message);
    });
    this.scans = 0;
    await within(client.progressEnded(++this.scans, HANG_MS), HANG_MS, 'the first scan');
    await client.open(this.open, NORMAL_POD);
    return this.client = client;
  }
}

/** Runs configuration cases [from, to) and calls `done` after each. */
export async function runConfigCases(options: FuzzOptions, from: number, to: number, done: (report: CaseReport) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-config-fuzz-'));
  mkdirSync(join(dir, PATHS[2], '..'), { recursive: true });
  for (const path of [PATHS[0], PATHS[2]]) writeFileSync(join(dir, path), NORMAL_POD);
  const server = new ConfigServer(dir);
  try {
    for (let index = from; index < to; index++) {
      const fuzzCase = buildConfigCase(options, index);
      writeFileSync(join(dir, CONFIG_FILE_NAME), fuzzCase.bytes);
      const random = new Random(options.seed, -1 - index);
      const inProcess = checkConfigInProcess(fuzzCase.bytes.toString('utf8'), hostileSettings(random));
      const timings: Timings = { engineMs: inProcess.ms };
      const failures = [...inProcess.failures];
      const served = await server.check(random);
      Object.assign(timings, served.timings);
      failures.push(...served.failures);
      if (options.cliEvery && index % options.cliEvery === 0) {
        const cli = checkConfigCli(dir);
        timings.cliMs = cli.ms;
        failures.push(...cli.failures);
      }
      done({ fuzzCase, timings, failures });
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
