// Helm charts in the language server: the test chart (test/fixtures/helm/shop) rendered with the open
// documents' text, its findings published in templates and values.yaml, updated on an edit of values.yaml, a
// template error shown where Helm names it while the other templates still report, quick fixes in values.yaml.
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol/node';
import { applyTextEdits } from '../../server/src/engine/fixes/apply';
import { fileUri, LspClient, startScanning } from './lspClient';

const SHOP = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'helm', 'shop');
const summary = (diagnostics: Diagnostic[]) => diagnostics.map(d =>
  `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);

describe('Helm charts over stdio', function () {
  this.timeout(60000);
  let client: LspClient;
  let root: string;
  const file = (path: string) => join(root, 'chart', path);
  const diagnosticsOf = (path: string) => client.diagnostics.get(fileUri(file(path)))?.diagnostics ?? [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kube-immutable-helm-'));
    cpSync(SHOP, join(root, 'chart'), { recursive: true });
    client = await startScanning(root);
  });
  after(async () => { await client.stop(); });

  it('publishes the chart\'s findings in values.yaml and the templates, none in the rendered text\'s other files', () => {
    assert.deepEqual(summary(diagnosticsOf('values.yaml')), [
      'mutable-image-reference 2:2-2:15', 'readonly-root-filesystem 4:0-4:15', 'run-as-root 4:0-4:15', 'privilege-escalation 4:0-4:15', 'capabilities 4:0-4:15',
    ]);
    assert.deepEqual(summary(diagnosticsOf('templates/worker.yaml')).slice(0, 2), ['privilege-escalation 10:10-10:26', 'readonly-root-filesystem 12:36-12:41']);
    assert.deepEqual(summary(diagnosticsOf('charts/cache/values.yaml')), ['readonly-root-filesystem 2:2-2:31']);
    for (const path of ['templates/deployment.yaml', 'templates/_helpers.tpl', 'Chart.yaml']) assert.deepEqual(diagnosticsOf(path), [], path);
  });

  it('updates the chart\'s diagnostics on an edit of values.yaml, and fixes it there', async () => {
    const uri = fileUri(file('values.yaml'));
    const text = readFileSync(file('values.yaml'), 'utf8');
    await client.open(uri, text);
    const cacheUri = fileUri(file('charts/cache/values.yaml'));
    // A value of the parent chart for the subchart: the subchart's finding goes, the values file's stay.
    const cacheCleared = client.nextDiagnostics(cacheUri, p => p.diagnostics.length === 0);
    const edited = `${text}cache:\n  securityContext:\n    readOnlyRootFilesystem: true\n`;
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: edited }] });
    await cacheCleared;
    const actions = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, context: { diagnostics: [] },
    }) as CodeAction[];
    const preferred = actions.filter(action => action.isPreferred).map(action => action.title);
    assert.deepEqual(preferred, ['Set readOnlyRootFilesystem: true and mount emptyDir volumes at /var/cache/nginx, /var/run', 'Set allowPrivilegeEscalation: false']);
    const fix = actions.find(action => action.isPreferred)!;
    assert.deepEqual(Object.keys(fix.edit!.changes!), [uri]);
    const fixed = applyTextEdits(edited, fix.edit!.changes![uri] as TextEdit[]);
    assert.deepEqual(summary(await client.change(uri, [{ text: fixed }])), ['mutable-image-reference 2:2-2:15', 'run-as-root 4:0-4:15', 'privilege-escalation 4:0-4:15', 'capabilities 4:0-4:15']);
  });

  it('shows a template parse error at its position, and the other templates still report', async () => {
    const uri = fileUri(file('templates/broken.yaml'));
    const good = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n';
    writeFileSync(file('templates/broken.yaml'), good);
    await client.filesChanged([{ uri, type: 1 }]);
    await client.open(uri, good);
    const broken = client.nextDiagnostics(uri, p => p.diagnostics.length > 0);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: good.replace('}}', '}') }] });
    const { diagnostics } = await broken;
    assert.deepEqual(diagnostics.map(d => `${summary([d])[0]} ${d.message}`), ['helm-template 3:25-3:26 parse error at (shop/templates/broken.yaml:4): unexpected "}" in operand']);
    assert.deepEqual(summary(diagnosticsOf('templates/worker.yaml')).slice(0, 2), ['privilege-escalation 10:10-10:26', 'readonly-root-filesystem 12:36-12:41']);
    assert.equal(diagnosticsOf('values.yaml').length > 0, true);
  });
});

describe('Helm value sets over stdio', function () {
  this.timeout(60000);
  let client: LspClient;
  let root: string;
  const file = (path: string) => join(root, 'chart', path);
  const diagnosticsOf = (path: string) => client.diagnostics.get(fileUri(file(path)))?.diagnostics ?? [];
  /** A diagnostic, with the value sets its "Rendered by" related information names. */
  const renderedBy = (diagnostics: Diagnostic[]) => diagnostics.map(d => `${summary([d])[0]} ${(d.relatedInformation ?? [])
    .filter(r => r.message.startsWith('Rendered by')).map(r => r.message.replace(/^Rendered by chart shop( with )?| as .*$/g, '') || 'defaults').join(' + ')}`);

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kube-immutable-helm-sets-'));
    cpSync(SHOP, join(root, 'chart'), { recursive: true });
    writeFileSync(file('values-prod.yaml'), 'image:\n  tag: latest\ncache:\n  securityContext:\n    readOnlyRootFilesystem: true\n');
    writeFileSync(join(root, '.kube-immutable.yaml'), [
      'helm:', '  charts:', '    chart:', '      - {}', '      - name: prod', '        values: [values-prod.yaml]', '        namespace: prod',
      'podSecurity:', '  namespaces:', '    prod: restricted', '',
    ].join('\n'));
    client = await startScanning(root);
  });
  after(async () => { await client.stop(); });

  it('renders each value set, a problem they share once, naming the value sets that render it', () => {
    assert.deepEqual(renderedBy(diagnosticsOf('values.yaml')), [
      'mutable-image-reference 2:2-2:15 defaults',
      'readonly-root-filesystem 4:0-4:15 defaults + prod',
      // The message names the image, whose tag the prod values change: two problems.
      'run-as-root 4:0-4:15 defaults',
      'privilege-escalation 4:0-4:15 defaults + prod',
      'capabilities 4:0-4:15 defaults',
      'pod-security-admission 4:0-4:15 prod',
      'run-as-root 4:0-4:15 prod',
      'capabilities 4:0-4:15 prod',
    ]);
    assert.deepEqual(renderedBy(diagnosticsOf('values-prod.yaml')), ['mutable-image-reference 1:2-1:13 prod']);
    // The prod values make the subchart's container read-only: only the default values render the finding.
    assert.deepEqual(renderedBy(diagnosticsOf('charts/cache/values.yaml')), ['readonly-root-filesystem 2:2-2:31 defaults']);
    assert.deepEqual(renderedBy(diagnosticsOf('templates/worker.yaml')), [
      'privilege-escalation 10:10-10:26 defaults + prod',
      'pod-security-admission 10:10-10:26 prod',
      'readonly-root-filesystem 12:36-12:41 defaults + prod',
      'readonly-root-filesystem 15:10-15:23 defaults + prod',
      'run-as-root 15:10-15:23 defaults + prod',
      'privilege-escalation 15:10-15:23 defaults + prod',
      'capabilities 15:10-15:23 defaults + prod',
    ]);
    assert.deepEqual(renderedBy(diagnosticsOf('charts/cache/templates/statefulset.yaml')), ['pod-security-admission 6:4-6:8 prod']);
  });

  it('renders the chart again when the configuration names other value sets', async () => {
    const config = join(root, '.kube-immutable.yaml');
    const cacheCleared = client.nextDiagnostics(fileUri(file('charts/cache/values.yaml')), p => p.diagnostics.length === 0);
    const valuesAgain = client.nextDiagnostics(fileUri(file('values.yaml')));
    writeFileSync(config, readFileSync(config, 'utf8').replace('      - {}\n', ''));
    await client.filesChanged([{ uri: fileUri(config), type: 2 }]);
    await Promise.all([cacheCleared, valuesAgain]);
    assert.deepEqual(renderedBy(diagnosticsOf('values.yaml')), [
      'pod-security-admission 4:0-4:15 prod', 'readonly-root-filesystem 4:0-4:15 prod', 'run-as-root 4:0-4:15 prod', 'privilege-escalation 4:0-4:15 prod', 'capabilities 4:0-4:15 prod',
    ]);
    assert.deepEqual(renderedBy(diagnosticsOf('values-prod.yaml')), ['mutable-image-reference 1:2-1:13 prod']);
  });
});

describe('Helm template comments that suppress nothing, over stdio', function () {
  this.timeout(60000);
  let client: LspClient;
  let root: string;
  const file = (path: string) => join(root, 'chart', path);
  const diagnosticsOf = (path: string) => client.diagnostics.get(fileUri(file(path)))?.diagnostics ?? [];
  const SIDECAR = '        {{- /* kube-immutable-ignore capabilities, privileged-container -- a vendor sidecar */}}\n';
  const DEBUG = [
    '{{- if .Values.debug }}', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: debug', 'spec:', '  containers:',
    '    {{- /* kube-immutable-ignore privileged-container -- a debug pod */}}', '    - name: debug',
    `      image: busybox@sha256:${'0123456789abcdef'.repeat(4)}`, '{{- end }}', '',
  ].join('\n');

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kube-immutable-helm-'));
    cpSync(SHOP, join(root, 'chart'), { recursive: true });
    writeFileSync(file('templates/worker.yaml'), readFileSync(file('templates/worker.yaml'), 'utf8').replace('        - name: sidecar\n', `${SIDECAR}        - name: sidecar\n`));
    writeFileSync(file('templates/debug.yaml'), DEBUG);
    client = await startScanning(root);
  });
  after(async () => { await client.stop(); });

  it('shows the rule a template comment names in vain as unused, faded, and takes it out of the comment', async () => {
    const unused = diagnosticsOf('templates/worker.yaml').filter(d => d.code === 'unused-suppression');
    assert.deepEqual(unused.map(d => [summary([d])[0], d.severity, d.tags, d.message]), [[
      'unused-suppression 15:51-15:71', 4, [1],
      '{{/* kube-immutable-ignore */}} ignores privileged-container, but privileged-container reports nothing here: remove it so that it does not hide a future finding.',
    ]]);
    const uri = fileUri(file('templates/worker.yaml'));
    const actions = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: unused[0].range, context: { diagnostics: unused } }) as CodeAction[];
    assert.deepEqual(actions.map(action => action.title), ['Remove privileged-container from the suppression comment']);
    const text = readFileSync(file('templates/worker.yaml'), 'utf8');
    assert.equal(applyTextEdits(text, actions[0].edit!.changes![uri] as TextEdit[]), text.replace(', privileged-container', ''));
  });

  it('leaves a template comment alone while what it covers is not rendered, and judges it once a value renders it', async () => {
    assert.deepEqual(diagnosticsOf('templates/debug.yaml'), []);
    const uri = fileUri(file('values.yaml'));
    const debugUri = fileUri(file('templates/debug.yaml'));
    const judged = client.nextDiagnostics(debugUri, p => p.diagnostics.length > 0);
    await client.open(uri, readFileSync(file('values.yaml'), 'utf8'));
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${readFileSync(file('values.yaml'), 'utf8')}debug: true\n` }] });
    // The debug container is not hardened, and not privileged: the comment suppresses nothing.
    assert.deepEqual(summary((await judged).diagnostics), [
      'unused-suppression 7:33-7:53', 'readonly-root-filesystem 8:6-8:17', 'run-as-root 8:6-8:17', 'privilege-escalation 8:6-8:17', 'capabilities 8:6-8:17',
    ]);
  });
});
