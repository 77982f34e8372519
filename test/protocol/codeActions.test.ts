import * as assert from 'node:assert/strict';
import { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol/node';
import { applyTextEdits } from '../../server/src/engine/fixes/apply';
import { LspClient } from './lspClient';

const TEXT = [
  'apiVersion: v1',            // 0
  'kind: Pod',                 // 1
  'metadata: {name: web}',     // 2
  'spec:',                     // 3
  '  containers:',             // 4
  '  - name: web',             // 5
  '    image: httpd:2.4',      // 6
  '  - name: sidecar',         // 7
  '    image: registry.example.com/tools/sidecar:1.0',
  '    securityContext: {readOnlyRootFilesystem: false}',
  '',
].join('\n');

describe('code actions over stdio', function () {
  let client: LspClient;
  let diagnostics: Diagnostic[];
  const uri = 'file:///workspace/fixes.yaml';
  before(async () => {
    client = await LspClient.start();
    diagnostics = await client.open(uri, TEXT);
  });
  after(async () => { await client.stop(); });

  const request = (range: Diagnostic['range'], only?: string[], context = diagnostics): Promise<CodeAction[]> =>
    client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: context, ...(only ? { only } : {}) } });
  const apply = (action: CodeAction) => applyTextEdits(TEXT, action.edit!.changes![uri] as TextEdit[]);

  it('offers the quick fixes of the diagnostic at the cursor, the preferred one first', async () => {
    const diagnostic = diagnostics.find(d => d.code === 'readonly-root-filesystem' && d.range.start.line === 5)!;
    const actions = await request(diagnostic.range, undefined, [diagnostic]);
    assert.deepEqual(actions.map(a => `${a.kind} ${a.isPreferred ? '*' : '-'} ${a.title}`), [
      'quickfix * Set readOnlyRootFilesystem: true and mount emptyDir volumes at /usr/local/apache2/logs',
      'quickfix - Set readOnlyRootFilesystem: true',
      'quickfix - Harden container "web" to the restricted Pod Security Standard (httpd:2.4 runs as root, so the kubelet will not start it)',
      // The other diagnostics on the same range; httpd starts as root and switches user, so two fixes are not preferred.
      'quickfix - Set runAsNonRoot: true (httpd:2.4 runs as root, so the kubelet will not start it)',
      'quickfix * Set allowPrivilegeEscalation: false',
      'quickfix - Drop ALL capabilities (httpd:2.4 then cannot switch to user daemon)',
      'quickfix - Ignore readonly-root-filesystem for this container',
      'quickfix - Ignore run-as-root for this container',
      'quickfix - Ignore privilege-escalation for this container',
      'quickfix - Ignore capabilities for this container',
    ]);
    assert.deepEqual(actions[0].diagnostics, [diagnostic]);
    assert.equal(apply(actions[0]), [
      ...TEXT.split('\n').slice(0, 7),
      '    securityContext:',
      '      readOnlyRootFilesystem: true',
      '    volumeMounts:',
      '    - name: usr-local-apache2-logs',
      '      mountPath: /usr/local/apache2/logs',
      ...TEXT.split('\n').slice(7, 10),
      '  volumes:',
      '  - name: usr-local-apache2-logs',
      '    emptyDir: {}',
      '',
    ].join('\n'));
  });

  it('fixes all on request of source.fixAll, as editor.codeActionsOnSave asks', async () => {
    const whole = { start: { line: 0, character: 0 }, end: { line: 11, character: 0 } };
    const actions = await request(whole, ['source.fixAll']);
    assert.deepEqual(actions.map(a => a.kind), ['source.fixAll.kube-immutable']);
    assert.equal(actions[0].edit!.changes![uri].length, 1);
    const fixed = apply(actions[0]);
    assert.equal(fixed, [
      ...TEXT.split('\n').slice(0, 7),
      '    securityContext:',
      '      readOnlyRootFilesystem: true',
      '      allowPrivilegeEscalation: false',
      '    volumeMounts:',
      '    - name: usr-local-apache2-logs',
      '      mountPath: /usr/local/apache2/logs',
      ...TEXT.split('\n').slice(7, 9),
      '    securityContext: {readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}',
      '  volumes:',
      '  - name: usr-local-apache2-logs',
      '    emptyDir: {}',
      '',
    ].join('\n'));
  });

  it('keeps fix-all out of quick-fix requests, and quick fixes out of source requests', async () => {
    const whole = { start: { line: 0, character: 0 }, end: { line: 11, character: 0 } };
    assert.ok((await request(whole, ['quickfix'])).every(a => a.kind === 'quickfix'));
    assert.deepEqual((await request(whole, ['source'])).map(a => a.kind), ['source.fixAll.kube-immutable']);
  });
});
