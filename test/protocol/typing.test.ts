import * as assert from 'node:assert/strict';
import { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lspClient';

const deployment = (i: number) => [
  'apiVersion: apps/v1', 'kind: Deployment', `metadata: {name: app-${i}}`, 'spec:', '  template:', '    spec:', '      containers:',
  '      - name: app', `        image: registry.example.com/app:1.${i}`, '        securityContext: {readOnlyRootFilesystem: true}', '',
].join('\n');
const STREAM = Array.from({ length: 200 }, (_, i) => deployment(i)).join('---\n');
/** The line of the 100th Deployment's `readOnlyRootFilesystem: true` and the column of `true`. */
const LINE = 99 * 11 + 9;
const COLUMN = '        securityContext: {readOnlyRootFilesystem: '.length;

const summary = (params: PublishDiagnosticsParams) => params.diagnostics.map(d => `${d.code} ${d.range.start.line}:${d.range.start.character}`);

describe('language server while typing', function () {
  let client: LspClient;
  before(async () => { client = await LspClient.start(); });
  after(async () => { await client.stop(); });

  it('answers a burst of keystrokes with the diagnostics of the last version, never going back to an older one', async () => {
    const uri = 'file:///workspace/typing.yaml';
    await client.open(uri, STREAM);
    // `true` becomes `false` one keystroke at a time: delete four characters, then type five, without waiting.
    const edits = [
      ...[3, 2, 1, 0].map(n => ({ range: { start: { line: LINE, character: COLUMN + n }, end: { line: LINE, character: COLUMN + n + 1 } }, text: '' })),
      ...'false'.split('').map((c, n) => ({ range: { start: { line: LINE, character: COLUMN + n }, end: { line: LINE, character: COLUMN + n } }, text: c })),
    ];
    const versions: number[] = [];
    const last = client.nextDiagnostics(uri, params => {
      versions.push(params.version!);
      return params.version === edits.length + 1;
    });
    edits.forEach((change, i) => void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [change] }));
    const final = await last;

    const expected = await client.open('file:///workspace/typed-at-once.yaml', STREAM.replace(/app-99}[\s\S]*?readOnlyRootFilesystem: true/, m => m.replace(/true$/, 'false')));
    assert.deepEqual(summary(final), expected.map(d => `${d.code} ${d.range.start.line}:${d.range.start.character}`));
    assert.ok(summary(final).includes(`readonly-root-filesystem ${LINE}:${COLUMN}`), summary(final).join('\n'));
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `versions published: ${versions}`);
  });

  it('analyses the changes that come in one read once, and publishes only the last of them', async () => {
    const uri = 'file:///workspace/pasted.yaml';
    await client.open(uri, deployment(1));
    const published: number[] = [];
    const last = client.nextDiagnostics(uri, params => { published.push(params.version!); return params.version === 4; });
    // A paste and its format, as an editor sends them: three versions written to the server's input at once.
    const line = (text: string) => ({ range: { start: { line: 9, character: 0 }, end: { line: 10, character: 0 } }, text });
    const changes = [
      line('        securityContext: {readOnlyRootFilesystem: false}\n'),
      line('        securityContext: {readOnlyRootFilesystem:   true}\n'),
      line('        securityContext: {readOnlyRootFilesystem: false}\n'),
    ];
    const messages = changes.map((change, i) => {
      const body = JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version: i + 2 }, contentChanges: [change] } });
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    });
    client.process.stdin!.write(messages.join(''));
    const final = await last;
    assert.deepEqual(published, [4]);
    assert.deepEqual(summary(final), [
      'mutable-image-reference 8:39', 'run-as-root 9:8', 'privilege-escalation 9:8', 'capabilities 9:8', 'readonly-root-filesystem 9:50',
    ]);
  });

  it('publishes for a syntax error typed after a quiet second, once the parser was warmed up, what a fresh server publishes', async () => {
    const uri = 'file:///workspace/quiet.yaml';
    const text = Array.from({ length: 20 }, (_, i) => deployment(i)).join('---\n');
    await client.open(uri, text);
    // The server warms the general YAML parser up once its analyses have been quiet for half a second.
    await new Promise(resolve => setTimeout(resolve, 1500));
    const line = 9 * 11 + 9;
    const at = { line, character: COLUMN };
    const broken = await client.change(uri, [{ range: { start: at, end: at }, text: '[' }]);
    const repaired = await client.change(uri, [{ range: { start: at, end: { ...at, character: COLUMN + 1 } }, text: '' }]);
    const lines = text.split('\n');
    lines[line] = lines[line].slice(0, COLUMN) + '[' + lines[line].slice(COLUMN);
    const fresh = await LspClient.start();
    try {
      assert.deepEqual(broken, await fresh.open('file:///workspace/quiet-broken.yaml', lines.join('\n')));
      assert.deepEqual(repaired, await fresh.open('file:///workspace/quiet-repaired.yaml', text));
    } finally {
      await fresh.stop();
    }
    const error = broken.find(d => d.code === 'parse-error');
    assert.equal(error?.range.start.line, line);
    assert.match(error!.message, /^YAML syntax error, so this document was not analysed: Flow sequence in block collection must be sufficiently indented and end with a \]$/);
  });
});
