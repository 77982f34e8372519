// `npm run bench`: the language server against yaml-language-server on the same edits, the cost of a first open
// next to the cost of parsing the text, CLI throughput with one and all cores, the server's peak memory, then the
// Kustomize, large-stream and Helm benchmarks.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient } from '../../test/protocol/lspClient';
import { deploymentStream } from './manifests';
import { benchKustomize } from './kustomize';
import { benchCli } from './cli';
import { benchEditorScale } from './editorScale';

const ROOT = resolve(__dirname, '..', '..');
const OUR_SERVER = join(ROOT, 'dist', 'server.js');
const YAML_LANGUAGE_SERVER = join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const ARGO_CD = resolve(process.argv[2] ?? join(ROOT, '..', 'shared', 'corpus', 'argo-cd-install.yaml'));
const EDITS = 21;
const TIMEOUT_MS = 120_000;

interface Stream { name: string; uri: string; text: string }
interface EditCase { title: string; stream: Stream; line: number; character: number }
interface Timings { median: number; max: number }

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

/** Where an edit goes: the first line matching `pattern` at or after `fromLine`, just after `after`. */
function editCase(title: string, stream: Stream, pattern: RegExp, fromLine: number, after: string): EditCase {
  const lines = stream.text.split('\n');
  const line = lines.findIndex((text, index) => index >= fromLine && pattern.test(text));
  if (line < 0) throw new Error(`${stream.name}: no line matching ${pattern} after line ${fromLine}`);
  return { title, stream, line, character: lines[line].indexOf(after) + after.length };
}

/**
 * The settings a VS Code user of the YAML extension has, without the Kubernetes schema association: the schema
 * is fetched from the network, which this machine does not reach, so it would only add a failed download.
 */
const YAML_SETTINGS = { yaml: { validate: true, schemaStore: { enable: false }, schemas: {} }, http: {}, '[yaml]': {}, editor: {} };

interface Server {
  name: string;
  client: LspClient;
  /** Whether a publish answers `version` (yaml-language-server does not say which version it analysed). */
  answers(params: PublishDiagnosticsParams, version: number): boolean;
  versions: Map<string, number>;
}

async function startServer(name: string, script: string): Promise<Server> {
  const client = await LspClient.start({ capabilities: { workspace: { configuration: true } } }, [], script);
  client.settings = YAML_SETTINGS;
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await new Promise(resolve => setTimeout(resolve, 500));
  const versioned = script === OUR_SERVER;
  return { name, client, versions: new Map(), answers: (params, version) => !versioned || params.version === version };
}

async function open(server: Server, stream: Stream): Promise<number> {
  server.versions.set(stream.uri, 1);
  const published = server.client.nextDiagnostics(stream.uri, () => true, TIMEOUT_MS);
  const start = performance.now();
  await server.client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: stream.uri, languageId: 'yaml', version: 1, text: stream.text } });
  await published;
  return performance.now() - start;
}

/**
 * Breaks and repairs one line's syntax in turn (`key: [true` then `key: true`), so each edit changes the
 * diagnostics of both servers, and times didChange -> publishDiagnostics of that version.
 */
async function timeEdits(server: Server, edit: EditCase, expectChange: boolean): Promise<Timings> {
  const times: number[] = [];
  const published: string[] = [];
  for (let i = 0; i < EDITS; i++) {
    const { uri } = edit.stream;
    const version = server.versions.get(uri)! + 1;
    server.versions.set(uri, version);
    const broken = i % 2 === 0;
    const at = { line: edit.line, character: edit.character };
    const change = broken ? { range: { start: at, end: at }, text: '[' } : { range: { start: at, end: { ...at, character: at.character + 1 } }, text: '' };
    const answer = server.client.nextDiagnostics(uri, params => server.answers(params, version), TIMEOUT_MS);
    const start = performance.now();
    await server.client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    const { diagnostics } = await answer;
    times.push(performance.now() - start);
    published.push(JSON.stringify(diagnostics));
  }
  // Proof that each publish came from analysing the edited text, not from an earlier state.
  const reacted = published.every((diagnostics, i) => i === 0 || (diagnostics !== published[i - 1]) === expectChange);
  if (!reacted) throw new Error(`${server.name} did not report the edits of "${edit.title}" as expected`);
  return { median: median(times), max: Math.max(...times) };
}

/** Peak resident memory of a process, from Linux's /proc (VmHWM). */
function peakMemoryMb(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch { return undefined; }
}

/** yaml.parseAllDocuments alone, warm: the median of 3 runs in this process. */
function timeParse(text: string): number {
  const times = [0, 1, 2].map(() => {
    const start = performance.now();
    parseAllDocuments(text);
    return performance.now() - start;
  });
  return median(times);
}

/** yaml.parseAllDocuments alone in a fresh process, as cold as a server that was just started. */
function timeParseFresh(file: string): number {
  const script = `const { parseAllDocuments } = require('yaml'); const text = require('fs').readFileSync(process.argv[1], 'utf8');
    const start = performance.now(); parseAllDocuments(text); console.log(performance.now() - start);`;
  const run = spawnSync(process.execPath, ['-e', script, file], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`parsing ${file} failed: ${run.stderr}`);
  return Number(run.stdout);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map(row => row[column].length)));
  return rows.map(row => row.map((cell, column) => column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])).join('  ')).join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(OUR_SERVER)) throw new Error('dist/server.js is missing: run npm run build');
  if (!existsSync(ARGO_CD)) throw new Error(`${ARGO_CD} is missing (pass the argo-cd install manifest's path)`);
  const work = mkdtempSync(join(tmpdir(), 'kube-immutable-bench-'));
  const argo: Stream = { name: 'argo-cd-install.yaml', uri: fileUri(join(work, 'argo-cd-install.yaml')), text: readFileSync(ARGO_CD, 'utf8') };
  const generated: Stream = { name: '1,000 Deployments', uri: fileUri(join(work, 'deployments.yaml')), text: deploymentStream(1000) };
  const lineCount = (stream: Stream) => stream.text.split('\n').length.toLocaleString('en');
  const argoLines = argo.text.split('\n');
  const crd = largestDocument(argoLines);
  const cases: [EditCase, boolean][] = [
    [editCase(`edit in a Deployment, ${argo.name} (${lineCount(argo)} lines)`, argo, /^\s+readOnlyRootFilesystem: true/, argoLines.indexOf('kind: Deployment'), 'readOnlyRootFilesystem: '), true],
    [editCase(`edit in the ${crd.length.toLocaleString('en')}-line CRD, ${argo.name}`, argo, /^\s+type: string$/, crd.start + Math.floor(crd.length / 2), 'type: '), false],
    [editCase(`edit in a Deployment, ${generated.name} (${lineCount(generated)} lines)`, generated, /^\s+readOnlyRootFilesystem: true/, 17000, 'readOnlyRootFilesystem: '), true],
  ];
  console.log(`kube-immutable benchmark: node ${process.version}, load average ${loadavg().map(l => l.toFixed(2)).join(' ')} at start`);

  const results = new Map<string, { open: Map<string, number>; reopen: Map<string, number>; edits: Timings[]; memory?: number }>();
  for (const [name, script] of [['kube-immutable', OUR_SERVER], ['yaml-language-server', YAML_LANGUAGE_SERVER]]) {
    const server = await startServer(name, script);
    const openTimes = new Map<string, number>();
    for (const stream of [argo, generated]) openTimes.set(stream.name, await open(server, stream));
    const edits: Timings[] = [];
    // Our server's edits change its diagnostics except inside the CRD, a kind it does not analyse.
    for (const [edit, changesOurs] of cases) edits.push(await timeEdits(server, edit, script === OUR_SERVER ? changesOurs : true));
    // A first open again, in a server that has been running: closed documents leave nothing cached behind.
    for (const { uri } of [argo, generated]) await server.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const reopenTimes = new Map<string, number>();
    for (const stream of [argo, generated]) reopenTimes.set(stream.name, await open(server, { ...stream, uri: stream.uri.replace(/\.yaml$/, '-again.yaml') }));
    results.set(name, { open: openTimes, reopen: reopenTimes, edits, memory: peakMemoryMb(server.client.process.pid!) });
    await server.client.stop();
  }

  const parseMs = new Map([argo, generated].map(stream => [stream.name, timeParse(stream.text)]));
  writeFileSync(join(work, 'deployments.yaml'), generated.text);
  const freshParseMs = new Map([[argo.name, timeParseFresh(ARGO_CD)], [generated.name, timeParseFresh(join(work, 'deployments.yaml'))]]);
  rmSync(work, { recursive: true, force: true });

  const ours = results.get('kube-immutable')!;
  const theirs = results.get('yaml-language-server')!;
  const timing = (t: Timings) => `${ms(t.median)} / ${ms(t.max)}`;
  console.log(`\nLSP round trip, didChange -> publishDiagnostics, median / max of ${EDITS} edits`);
  console.log(table([
    ['case', 'kube-immutable', 'yaml-language-server', 'ours / yls (median)'],
    ...cases.map(([edit], i) => [edit.title, timing(ours.edits[i]), timing(theirs.edits[i]), percent(ours.edits[i].median / theirs.edits[i].median)]),
  ]));
  console.log('\nFirst diagnostics after didOpen, next to yaml.parseAllDocuments alone on the same text');
  console.log('(just started: the server\'s first document, parse in a fresh process; running: after other documents, parse median of 3)');
  console.log(table([
    ['stream', 'server', 'kube-immutable', 'yaml-language-server', 'parseAllDocuments', 'ours / parse', 'ours / yls'],
    ...[argo, generated].flatMap(({ name }) => [
      [name, 'just started', ours.open, theirs.open, freshParseMs] as const,
      [name, 'running', ours.reopen, theirs.reopen, parseMs] as const,
    ]).map(([name, state, our, their, parse]) => [name, state, ms(our.get(name)!), ms(their.get(name)!), ms(parse.get(name)!),
      percent(our.get(name)! / parse.get(name)!), percent(our.get(name)! / their.get(name)!)]),
  ]));
  const mb = (value?: number) => (value === undefined ? 'n/a' : `${value.toFixed(0)} MB`);
  console.log(`\nPeak memory (VmHWM) with both streams open after the edits: kube-immutable ${mb(ours.memory)}, yaml-language-server ${mb(theirs.memory)}`);
  benchCli();
  await benchKustomize();
  await benchEditorScale();
  // Helm's renderer and the editor on a chart (scripts/bench-helm/main.ts, also `npm run bench:helm`).
  console.log('');
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench-helm.mjs')], { cwd: ROOT, stdio: 'inherit' });
  console.log(`Load average ${loadavg().map(l => l.toFixed(2)).join(' ')} at the end (2-core figures above are noisy when it is high)`);
}

/** The first line and the length of the longest document (the run of lines between two `---`). */
function largestDocument(lines: string[]): { start: number; length: number } {
  let largest = { start: 0, length: 0 };
  for (let start = 0; start < lines.length;) {
    const next = lines.indexOf('---', start + 1);
    const end = next < 0 ? lines.length : next;
    if (end - start > largest.length) largest = { start, length: end - start };
    start = end;
  }
  return largest;
}

main().then(() => process.exit(0), error => {
  console.error(error);
  process.exit(1);
});
