import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Diagnostic } from 'vscode-languageserver-protocol/node';
import { fileUri, LspClient } from './lspClient';
import { BARE_CONTAINER_RULES } from '../helpers';

const STREAM = [
  'apiVersion: v1',                         // 0
  'kind: ConfigMap',                        // 1
  'metadata: {name: settings}',             // 2
  '---',                                    // 3
  'apiVersion: apps/v1',                    // 4
  'kind: Deployment',                       // 5
  'metadata: {name: web}',                  // 6
  'spec:',                                  // 7
  '  template:',                            // 8
  '    spec:',                              // 9
  '      containers:',                      // 10
  '      - name: web',                      // 11
  '        image: nginx:1.27',              // 12
  '        securityContext:',               // 13
  '          readOnlyRootFilesystem: false', // 14
  '---',                                    // 15
  'apiVersion: v1',                         // 16
  'kind: Pod',                              // 17
  'metadata: {name: job}',                  // 18
  'spec:',                                  // 19
  '  containers:',                          // 20
  '  - name: job',                          // 21
  '    command: ["sh", "-c", "chmod -R a-w / && run"]', // 22
  '    securityContext: {readOnlyRootFilesystem: true}', // 23
  '',
].join('\n');

/** The hardening rules that fire on a securityContext that sets none of their fields, all on its key. */
const hardening = (range: string) => BARE_CONTAINER_RULES.slice(1).map(rule => `${rule} ${range}`);

const summary = (diagnostics: Diagnostic[]) => diagnostics.map(d =>
  `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);

describe('language server over stdio', function () {
  let client: LspClient;
  before(async () => { client = await LspClient.start(); });
  after(async () => { await client.stop(); });

  const uri = 'file:///workspace/stream.yaml';

  it('publishes the diagnostics of every document on open, with rule metadata', async () => {
    const diagnostics = await client.open(uri, STREAM);
    assert.deepEqual(summary(diagnostics), [
      'mutable-image-reference 12:20-12:25',
      ...hardening('13:8-13:23'),
      'readonly-root-filesystem 14:34-14:39',
      'chmod-immutability-hack 22:26-22:49',
      ...hardening('23:4-23:19'),
    ]);
    assert.equal(diagnostics[0].severity, 4, 'an image pinned by tag only is a hint');
    const first = diagnostics.find(d => d.code === 'readonly-root-filesystem')!;
    assert.equal(first.source, 'kube-immutable');
    assert.equal(first.severity, 2);
    assert.equal(first.codeDescription?.href, 'https://github.com/kube-immutable/kube-immutable/blob/main/docs/rules/readonly-root-filesystem.md');
    assert.match(first.message, /^Container "web" sets readOnlyRootFilesystem: false/);
  });

  it('updates after an incremental edit, without a save', async () => {
    const diagnostics = await client.change(uri, [{ range: { start: { line: 14, character: 34 }, end: { line: 14, character: 39 } }, text: 'true' }]);
    // With a read-only root, nginx's write paths need volumes.
    assert.deepEqual(summary(diagnostics), ['writable-paths-unmounted 12:15-12:25', 'mutable-image-reference 12:20-12:25', ...hardening('13:8-13:23'),
      'chmod-immutability-hack 22:26-22:49', ...hardening('23:4-23:19')]);
  });

  it('shifts the positions of later documents when lines are added above them', async () => {
    const diagnostics = await client.change(uri, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: '# a comment\n# another\n' }]);
    assert.deepEqual(summary(diagnostics), ['writable-paths-unmounted 14:15-14:25', 'mutable-image-reference 14:20-14:25', ...hardening('15:8-15:23'),
      'chmod-immutability-hack 24:26-24:49', ...hardening('25:4-25:19')]);
  });

  it('keeps reporting the other documents while one is broken', async () => {
    const diagnostics = await client.change(uri, [{ range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, text: '  bad: [\n' }]);
    assert.deepEqual(summary(diagnostics).filter(s => !s.startsWith('parse-error')), ['chmod-immutability-hack 25:26-25:49', ...hardening('26:4-26:19')]);
    assert.equal(summary(diagnostics).filter(s => s.startsWith('parse-error')).length, 1);
  });

  it('stays silent on YAML that is not Kubernetes and on other languages', async () => {
    assert.deepEqual(await client.open('file:///workspace/ci.yaml', 'jobs:\n  build:\n    containers:\n    - name: x\n'), []);
    assert.deepEqual(await client.open('file:///workspace/notes.md', 'apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a}]}\n', 'markdown'), []);
  });

  it('stays silent on a file in a Helm chart\'s templates folder', async () => {
    const chart = mkdtempSync(join(tmpdir(), 'chart-'));
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
    mkdirSync(join(chart, 'templates'));
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a}]}\n';
    assert.deepEqual(await client.open(fileUri(join(chart, 'templates', 'pod.yaml')), text), []);
  });

  it('answers a code action request sent right after an edit with the fixes of the edited text', async () => {
    const pod = 'file:///workspace/pod.yaml';
    await client.open(pod, 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    image: busybox:1.36\n');
    // The edit renames the container; the request does not wait for the diagnostics of the new version.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: pod, version: 2 },
      contentChanges: [{ range: { start: { line: 5, character: 10 }, end: { line: 5, character: 11 } }, text: 'renamed' }],
    });
    const actions: { title: string; diagnostics?: { range: Diagnostic['range'] }[] }[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: pod },
      range: { start: { line: 5, character: 4 }, end: { line: 5, character: 4 } },
      context: { diagnostics: [] },
    });
    const readOnly = actions.find(action => action.title === 'Set readOnlyRootFilesystem: true');
    assert.ok(readOnly, JSON.stringify(actions.map(a => a.title)));
    assert.deepEqual(readOnly.diagnostics?.[0].range, { start: { line: 5, character: 4 }, end: { line: 5, character: 17 } });
  });

  it('clears the diagnostics of a closed document', async () => {
    assert.deepEqual(await client.close(uri), []);
  });
});
