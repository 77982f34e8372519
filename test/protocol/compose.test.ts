// A compose.yaml with nginx over stdio: the finding, its quick fix, and the file after it.
import * as assert from 'node:assert/strict';
import { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol/node';
import { applyTextEdits } from '../../server/src/engine/fixes/apply';
import { LspClient } from './lspClient';

const TEXT = [
  'services:',                        // 0
  '  web:',                           // 1
  '    image: nginx:1.27.2',          // 2
  '    ports: ["8080:80"]  # public',  // 3
  '    security_opt: [no-new-privileges:true]',
  '    cap_drop: [ALL]',
  '    user: "101:101"',
  '',
].join('\n');

describe('a compose.yaml over stdio', function () {
  let client: LspClient;
  let diagnostics: Diagnostic[];
  const uri = 'file:///workspace/compose.yaml';
  before(async () => {
    client = await LspClient.start();
    diagnostics = await client.open(uri, TEXT);
  });
  after(async () => { await client.stop(); });

  it('reports the service without read_only on its name', () => {
    assert.deepEqual(diagnostics.map(d => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code}`), [
      '1:2-1:5 readonly-root-filesystem',
      '2:16-2:23 mutable-image-reference',
    ]);
    assert.match(diagnostics[0].message, /^Service "web" does not set read_only: true:/);
  });

  it('fixes it with read_only and tmpfs at the paths nginx writes', async () => {
    const diagnostic = diagnostics[0];
    const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] },
    });
    assert.deepEqual(actions.map(action => `${action.isPreferred ? '*' : '-'} ${action.title}`), [
      '* Set read_only: true and mount tmpfs at /var/cache/nginx, /var/run',
      '- Set read_only: true',
      '- Harden service "web": read-only, no new privileges, no capabilities (nginx:1.27.2 then cannot switch to user nginx)',
    ]);
    const preferred = actions.find(action => action.isPreferred)!;
    assert.equal(preferred.title, 'Set read_only: true and mount tmpfs at /var/cache/nginx, /var/run');
    const fixed = applyTextEdits(TEXT, preferred.edit!.changes![uri] as TextEdit[]);
    assert.equal(fixed, [
      ...TEXT.split('\n').slice(0, 7),
      '    read_only: true',
      '    tmpfs: [/var/cache/nginx, /var/run]',
      '',
    ].join('\n'));
    const after = await client.change(uri, [{ text: fixed }]);
    assert.deepEqual(after.map(d => d.code), ['mutable-image-reference']);
  });
});
