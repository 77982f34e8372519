// The editor on large and dense streams (issue 16): when the first and the last diagnostics of a large stream come,
// how much memory the server holds, how long a request about another file waits meanwhile, and how long an edit
// and a first open take next to parsing the same text. Each figure is printed with its limit and their ratio.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { heapAfterCollection, heapProbeArgs } from '../../test/protocol/heapProbe';
import { fileUri, LspClient } from '../../test/protocol/lspClient';
import { deploymentStream, writeManifestTree } from './manifests';

const ROOT = resolve(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const ARGO_CD = join(ROOT, '..', 'shared', 'corpus', 'argo-cd-install.yaml');
const TIMEOUT_MS = 600_000;
const EDITS = 21;

/** 40,000 Deployments of one container each, `image: nginx` and no securityContext: four findings each. */
export function denseStream(count = 40_000): string {
  let text = '';
  for (let i = 0; i < count; i++) {
    text += `${i ? '---\n' : ''}apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx\n`;
  }
  return text;
}

const load = () => loadavg().map(l => l.toFixed(2)).join(' ');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;

/** One figure: its value, its limit and their ratio, and the load average when it was taken. */
function figure(name: string, value: string, limit: string, ratio: number): void {
  console.log(`${name}: ${value} (limit ${limit}, ${(ratio * 100).toFixed(0)}% of it; ${ratio <= 1 ? 'within' : 'OVER'}) load ${load()}`);
}

/** Resident memory of a process from Linux's /proc: now (VmRSS) and at its peak (VmHWM), in MB. */
function memoryMb(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { now: kb('VmRSS'), peak: kb('VmHWM') };
}

/**
 * CPU time a process has used so far, user and system, in ms, from Linux's /proc (in USER_HZ ticks, 100 a second):
 * on a shared machine it says what the server did better than the wall clock.
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function parseFresh(file: string): number {
  const script = `const { parseAllDocuments } = require('yaml'); const text = require('fs').readFileSync(process.argv[1], 'utf8');
    const start = performance.now(); parseAllDocuments(text); console.log(performance.now() - start);`;
  const run = spawnSync(process.execPath, ['-e', script, file], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`parsing ${file} failed: ${run.stderr}`);
  return Number(run.stdout);
}

function parseWarm(text: string): number {
  return median([0, 1, 2].map(() => {
    const start = performance.now();
    parseAllDocuments(text);
    return performance.now() - start;
  }));
}

const start = () => LspClient.start({ capabilities: { textDocument: { codeAction: { resolveSupport: { properties: ['edit'] } } } } }, [], SERVER);

/**
 * Opens a stream; resolves with the times of the first publication and of the complete one after didOpen. `sent`
 * is called once didOpen is written.
 */
async function open(client: LspClient, uri: string, text: string, sent?: () => void): Promise<{ first: number; complete: number; params: PublishDiagnosticsParams }> {
  const began = performance.now();
  let first: number | undefined;
  const firstPublished = client.nextDiagnostics(uri, () => true, TIMEOUT_MS, true).then(() => { first = performance.now() - began; });
  const completed = client.nextDiagnostics(uri, () => true, TIMEOUT_MS);
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  sent?.();
  const params = await completed;
  const complete = performance.now() - began;
  await firstPublished;
  return { first: first!, complete, params };
}

/** The median time from didChange to the diagnostics of that version, over edits that break and repair one line. */
async function timeEdits(client: LspClient, uri: string, text: string, pattern: RegExp, after: string): Promise<number> {
  const lines = text.split('\n');
  const line = lines.findIndex(l => pattern.test(l));
  const character = lines[line].indexOf(after) + after.length;
  const times: number[] = [];
  for (let i = 0, version = 2; i < EDITS; i++, version++) {
    const at = { line, character };
    const change = i % 2 === 0 ? { range: { start: at, end: at }, text: '[' } : { range: { start: at, end: { ...at, character: character + 1 } }, text: '' };
    const answer = client.nextDiagnostics(uri, p => p.version === version, TIMEOUT_MS);
    const began = performance.now();
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    await answer;
    times.push(performance.now() - began);
  }
  return median(times);
}

async function denseStreamFigures(work: string): Promise<void> {
  const text = denseStream();
  const client = await start();
  const other = fileUri(join(work, 'other.yaml'));
  const otherText = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n';
  await client.open(other, otherText);
  // Code actions on the other file, one after another while the large stream is analysed, from when didOpen is
  // written: one asked before would also wait for this process, which encodes and writes the 5.7 MB of didOpen
  // meanwhile and only then reads the answer.
  // Each latency is noted with whether the request was sent after the first diagnostics came: the server was
  // analysing then for sure, while one sent before may wait behind the 5.7 MB didOpen in the stream, read and parsed
  // before any message after it.
  const latencies: { ms: number; analysing: boolean }[] = [];
  let analysing = true;
  let firstCame = false;
  let askWhileAnalysing: Promise<void> = Promise.resolve();
  const ask = async () => {
    while (analysing) {
      const began = performance.now();
      const afterFirst = firstCame;
      await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: other }, range: { start: { line: 6, character: 4 }, end: { line: 6, character: 4 } }, context: { diagnostics: [] },
      });
      latencies.push({ ms: performance.now() - began, analysing: afterFirst });
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  };
  const uri = fileUri(join(work, 'dense.yaml'));
  const cpuBefore = cpuMs(client.process.pid!);
  void client.nextDiagnostics(uri, () => true, TIMEOUT_MS, true).then(() => { firstCame = true; });
  const { first, complete, params } = await open(client, uri, text, () => { askWhileAnalysing = ask(); });
  const cpu = cpuMs(client.process.pid!) - cpuBefore;
  analysing = false;
  await askWhileAnalysing;
  const memory = memoryMb(client.process.pid!);
  console.log(`\n${(40_000).toLocaleString('en')} Deployments, ${(text.length / (1 << 20)).toFixed(1)} MB, in a fresh server: ${params.diagnostics.length} diagnostics published (capped)`);
  figure('first diagnostics after didOpen', ms(first), '1500 ms', first / 1500);
  figure('whole capped set after didOpen', ms(complete), '4000 ms', complete / 4000);
  console.log(`  server CPU time from didOpen to the whole capped set: ${ms(cpu)} (code actions included)`);
  figure('server RSS at the end (peak)', `${memory.now.toFixed(0)} MB (${memory.peak.toFixed(0)} MB)`, '300 MB', memory.peak / 300);
  const slowest = Math.max(...latencies.map(latency => latency.ms));
  figure(`slowest of ${latencies.length} code actions on another file during the analysis`, ms(slowest), '50 ms', slowest / 50);
  const sentAnalysing = latencies.filter(latency => latency.analysing).map(latency => latency.ms);
  const sentBefore = latencies.filter(latency => !latency.analysing).map(latency => latency.ms);
  console.log(`  of those sent before the first diagnostics came (${sentBefore.length}): slowest ${ms(Math.max(...sentBefore))}; `
    + `sent after (${sentAnalysing.length}): slowest ${ms(Math.max(...sentAnalysing))}, median ${ms(median(sentAnalysing))}`);
  await client.stop();
}

/**
 * The dense stream opened and closed 20 times: resident memory after the first and the 20th close, and the heap
 * after a full collection at both (test/protocol/heapProbe.ts), which says whether the server keeps anything.
 */
async function memoryFigures(work: string): Promise<void> {
  const text = denseStream();
  const client = await LspClient.start({}, [], SERVER, heapProbeArgs(join(ROOT, 'out', 'test', 'protocol', 'heapProbe.js')));
  const pid = client.process.pid!;
  const resident: number[] = [];
  const heaps: { heap: number; external: number }[] = [];
  for (let i = 0; i < 20; i++) {
    const uri = fileUri(join(work, `dense-${i}.yaml`));
    const published = client.nextDiagnostics(uri, () => true, TIMEOUT_MS, true);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    await published;
    await client.close(uri);
    resident.push(memoryMb(pid).now);
    if (i === 0 || i === 19) heaps.push(await heapAfterCollection(client.process));
  }
  await client.stop();
  console.log('\nThe same stream opened and closed 20 times in one server, closed as soon as its first diagnostics came');
  figure('RSS after the 20th close, next to that after the first', `${resident[19].toFixed(0)} MB / ${resident[0].toFixed(0)} MB, ${(resident[19] - resident[0]).toFixed(0)} MB more`, '50 MB more', (resident[19] - resident[0]) / 50);
  console.log(`  RSS after each close: ${resident.map(mb => mb.toFixed(0)).join(', ')} MB`);
  const figures = ({ heap, external }: { heap: number; external: number }) => `${heap.toFixed(1)} MB (external ${external.toFixed(1)} MB)`;
  console.log(`  heap after a full collection: ${figures(heaps[0])} after the first close, ${figures(heaps[1])} after the 20th`);
}

async function deploymentFigures(work: string): Promise<void> {
  const text = deploymentStream(1000);
  const file = join(work, 'deployments.yaml');
  writeFileSync(file, text);
  const parse = parseFresh(file);
  const client = await start();
  const uri = fileUri(file);
  const { first } = await open(client, uri, text);
  const cpuBefore = cpuMs(client.process.pid!);
  const edit = await timeEdits(client, uri, text, /^\s+readOnlyRootFilesystem: true/, 'readOnlyRootFilesystem: ');
  const cpu = (cpuMs(client.process.pid!) - cpuBefore) / EDITS;
  await client.stop();
  console.log(`\n1,000 Deployments (${text.split('\n').length.toLocaleString('en')} lines), in a fresh server`);
  figure('first diagnostics after didOpen, next to parseAllDocuments in a fresh process', `${ms(first)} / ${ms(parse)}`, '1.0x', first / parse);
  figure(`edit in a Deployment, didChange -> diagnostics, median of ${EDITS}`, ms(edit), '20 ms', edit / 20);
  console.log(`  server CPU time per edit, mean of ${EDITS}: ${ms(cpu)}`);
}

async function argoFigures(): Promise<void> {
  if (!existsSync(ARGO_CD)) {
    console.log(`\nargo-cd: skipped, ${ARGO_CD} is absent`);
    return;
  }
  const text = readFileSync(ARGO_CD, 'utf8');
  const parse = parseWarm(text);
  const fromLine = text.split('\n').indexOf('kind: Deployment');
  const lines = text.split('\n').map((line, i) => (i < fromLine ? '' : line));
  /** Opens argo-cd in a fresh server and, after `pauseMs` without a message, times the edits. */
  const run = async (pauseMs: number) => {
    const client = await start();
    const uri = fileUri(ARGO_CD);
    const { first } = await open(client, uri, text);
    await new Promise(resolve => setTimeout(resolve, pauseMs));
    const cpuBefore = cpuMs(client.process.pid!);
    const edit = await timeEdits(client, uri, lines.join('\n'), /^\s+readOnlyRootFilesystem: true/, 'readOnlyRootFilesystem: ');
    const cpu = (cpuMs(client.process.pid!) - cpuBefore) / EDITS;
    await client.stop();
    return { first, edit, cpu };
  };
  const { first, edit, cpu } = await run(0);
  // The server parses sample documents once it has been quiet for half a second, so that the general parser that
  // broken YAML needs is not cold at the first syntax error (server/src/lsp/parserWarmUp.ts).
  const afterPause = await run(2000);
  console.log(`\nargo-cd install.yaml (${text.split('\n').length.toLocaleString('en')} lines), in a fresh server`);
  figure('first diagnostics after didOpen, next to parseAllDocuments in a warm process', `${ms(first)} / ${ms(parse)}`, '0.5x', first / parse / 0.5);
  figure(`edit in a Deployment, didChange -> diagnostics, median of ${EDITS}, the first edit as soon as the diagnostics came`, ms(edit), '10 ms', edit / 10);
  console.log(`  server CPU time per edit, mean of ${EDITS}: ${ms(cpu)}`);
  console.log(`  the same edits, the first 2 s after the diagnostics came: median ${ms(afterPause.edit)} (${(afterPause.edit / 10 * 100).toFixed(0)}% of 10 ms); server CPU time per edit ${ms(afterPause.cpu)}`);
}

/** Items of the List whose quick fixes are timed: one document of about 190 KB, within the editor's 256 KB. */
const LIST_ITEMS = 1000;
/** Quick-fix requests timed on it, each at another container. */
const LIST_REQUESTS = 12;

/** Quick fixes at containers of a List of LIST_ITEMS Deployments, one document: a fix needs that document parsed again. */
async function listFigures(work: string): Promise<void> {
  const items = Array.from({ length: LIST_ITEMS }, (_, i) => [
    '- apiVersion: apps/v1', '  kind: Deployment', '  metadata:', `    name: app-${i}`, '  spec:', '    template:', '      spec:',
    '        containers:', '        - name: app', `          image: registry.example.com/app:${i}`, '',
  ].join('\n'));
  const text = `apiVersion: v1\nkind: List\nitems:\n${items.join('')}`;
  const file = join(work, 'list.yaml');
  writeFileSync(file, text);
  const client = await start();
  const uri = fileUri(file);
  const { params } = await open(client, uri, text);
  const warnings = params.diagnostics.filter(d => d.severity === 2);
  const times: number[] = [];
  for (let k = 0; k < LIST_REQUESTS; k++) {
    const diagnostic = warnings[(k * 397) % warnings.length];
    const began = performance.now();
    const actions = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }) as unknown[];
    times.push(performance.now() - began);
    if (!actions.length) throw new Error(`no quick fix at line ${diagnostic.range.start.line + 1} of the List`);
  }
  await client.stop();
  console.log(`
A List of ${LIST_ITEMS.toLocaleString('en')} Deployments, one document of ${(text.length / 1024).toFixed(0)} KB, in a fresh server`);
  console.log(`  quick fixes at a container, ${LIST_REQUESTS} requests at containers apart: median ${ms(median(times))}, slowest ${ms(Math.max(...times))}, load average ${load()}`);
}

/** Manifests in the workspace the scan figure opens: the CLI bench's tree. */
const SCANNED_FILES = 10_000;

/** A fresh server on a workspace of SCANNED_FILES manifests: from `initialize` to the end of its scan's progress report. */
async function scanFigures(work: string): Promise<void> {
  const root = join(work, 'workspace');
  writeManifestTree(root, SCANNED_FILES);
  const started = performance.now();
  const client = await LspClient.start({
    rootUri: fileUri(root), workspaceFolders: [{ uri: fileUri(root), name: 'workspace' }],
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
  }, [], SERVER);
  client.settings = { kubeImmutable: { workspace: { scan: true } } };
  await client.progressEnded(1, 120_000);
  const scan = performance.now() - started;
  const published = client.diagnostics.size;
  await client.stop();
  console.log(`
Workspace of ${SCANNED_FILES.toLocaleString('en')} manifests, in a fresh server: every file linted and ${published.toLocaleString('en')} published `
    + `${(scan / 1000).toFixed(2)} s after initialize (${(SCANNED_FILES / scan * 1000).toFixed(0)} files/s), load average ${load()}`);
}

export async function benchEditorScale(): Promise<void> {
  if (!existsSync(SERVER)) throw new Error('dist/server.js is missing: run npm run build');
  const work = mkdtempSync(join(tmpdir(), 'kube-immutable-scale-'));
  console.log(`\nEditor on large streams: node ${process.version}, load average ${load()} at start`);
  try {
    await denseStreamFigures(work);
    await memoryFigures(work);
    await deploymentFigures(work);
    await argoFigures();
    await listFigures(work);
    await scanFigures(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
