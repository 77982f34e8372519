// A Compose project in the editor: compose.yaml with compose.override.yaml beside it. Findings land in the file
// that holds what they point at, a fix edits the file that holds the key, and an edit re-reads the project.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol/node';
import { applyTextEdits } from '../../server/src/engine/fixes/apply';
import { fileUri, LspClient, startScanning } from './lspClient';

const summary = (diagnostics: Diagnostic[]) => diagnostics.map(d =>
  `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);

const BASE = [
  'services:',
  '  web:',
  `    image: nginx@sha256:${'0123456789abcdef'.repeat(4)}`,
  '    user: "101"',
  '    security_opt: [no-new-privileges:true]',
  '    cap_drop: [ALL]',
  '    read_only: true',
  '    tmpfs: [/var/cache/nginx, /var/run]',
  '',
].join('\n');

const OVERRIDE = [
  'services:',
  '  web:',
  '    read_only: false # easier to debug',
  '    ports: ["8080:80"]',
  '',
].join('\n');

describe('Compose projects over stdio', function () {
  this.timeout(60000);
  let client: LspClient;
  let root: string;
  const file = (path: string) => join(root, path);
  const diagnosticsOf = (path: string) => client.diagnostics.get(fileUri(file(path)))?.diagnostics ?? [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kube-immutable-compose-'));
    writeFileSync(file('compose.yaml'), BASE);
    writeFileSync(file('compose.override.yaml'), OVERRIDE);
    client = await startScanning(root);
  });
  after(async () => { await client.stop(); });

  it('the override\'s read_only: false is the finding, on its line; the base, complete with it, has none', () => {
    assert.deepEqual(summary(diagnosticsOf('compose.override.yaml')), ['readonly-root-filesystem 2:15-2:20']);
    assert.deepEqual(diagnosticsOf('compose.yaml'), []);
  });

  it('fixes it in the override, and the finding is gone', async () => {
    const uri = fileUri(file('compose.override.yaml'));
    assert.deepEqual(summary(await client.open(uri, OVERRIDE, 'dockercompose')), ['readonly-root-filesystem 2:15-2:20']);
    const actions = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line: 2, character: 16 }, end: { line: 2, character: 16 } }, context: { diagnostics: [] },
    }) as CodeAction[];
    const preferred = actions.find(action => action.isPreferred)!;
    assert.equal(preferred.title, 'Set read_only: true');
    assert.deepEqual(Object.keys(preferred.edit!.changes!), [uri]);
    const fixed = applyTextEdits(OVERRIDE, preferred.edit!.changes![uri] as TextEdit[]);
    assert.equal(fixed, OVERRIDE.replace('read_only: false', 'read_only: true'));
    assert.deepEqual(await client.change(uri, [{ text: fixed }]), []);
  });

  it('an edit of the base re-reads the project: a key the base drops is reported there', async () => {
    const uri = fileUri(file('compose.yaml'));
    await client.open(uri, BASE, 'dockercompose');
    const next = client.nextDiagnostics(uri, p => p.diagnostics.length > 0);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: BASE.replace('    cap_drop: [ALL]\n', '') }] });
    assert.deepEqual(summary((await next).diagnostics), ['capabilities 1:2-1:5']);
  });

  it('an extends file that is not there is an error on its name, and the rest is still checked', async () => {
    const uri = fileUri(file('compose.override.yaml'));
    const next = client.nextDiagnostics(uri, p => p.diagnostics.length > 0);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text: 'services:\n  web:\n    extends: {file: gone.yaml, service: web}\n' }],
    });
    const { diagnostics } = await next;
    assert.deepEqual(diagnostics.map(d => `${summary([d])[0]} ${d.severity}`), ['compose-project 2:20-2:29 1']);
  });
});
