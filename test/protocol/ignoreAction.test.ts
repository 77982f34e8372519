import * as assert from 'node:assert/strict';
import { CodeAction } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lspClient';
import { BARE_CONTAINER_RULES } from '../helpers';

const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: web}',
  'spec:',
  '  containers:',
  '    - name: web',
  '      image: registry.example.com/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  '    - name: sidecar',
  '      image: registry.example.com/sidecar@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  '',
].join('\n');

describe('"Ignore <rule> for this container" over stdio', () => {
  let client: LspClient;
  before(async () => { client = await LspClient.start(); });
  after(async () => { await client.stop(); });

  it('inserts the suppression comment above the container, after which only the other container is reported', async () => {
    const uri = 'file:///workspace/ignore.yaml';
    const diagnostics = (await client.open(uri, POD)).filter(d => d.code === 'readonly-root-filesystem');
    assert.deepEqual(diagnostics.map(d => d.range.start.line), [5, 7]);
    const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics: [diagnostics[0]] },
    });
    const ignore = actions.filter(action => action.title.startsWith('Ignore '));
    assert.deepEqual(ignore.map(action => action.title), BARE_CONTAINER_RULES.map(rule => `Ignore ${rule} for this container`));
    assert.equal(ignore[0].kind, 'quickfix');
    const [edit] = ignore[0].edit!.changes![uri];
    assert.deepEqual(edit, { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: '    # kube-immutable-ignore readonly-root-filesystem -- <reason>\n' });
    const after = await client.change(uri, [{ range: edit.range, text: edit.newText }]);
    assert.deepEqual(after.filter(d => d.code === 'readonly-root-filesystem' || d.code === 'unused-suppression').map(d => `${d.code} ${d.range.start.line}`), ['readonly-root-filesystem 8']);
  });
});
