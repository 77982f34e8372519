import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Diagnostic } from 'vscode-languageserver-protocol/node';
import { encodeText, TextEncoding } from '../../server/src/engine/byteOrderMarks';
import { FINDINGS, MANIFEST } from '../encodedManifest';
import { fileUri, LspClient } from './lspClient';

/** `rule line:col-line:col`, 1-based like FINDINGS (LSP positions are 0-based). */
const ranges = (diagnostics: Diagnostic[]) => diagnostics.map(({ code, range: { start, end } }) =>
  `${code} ${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`);

describe('workspace scan of files in UTF-16 and UTF-32', function () {
  this.timeout(30000);
  const encodings: TextEncoding[] = ['utf-8', 'utf-8 with BOM', 'utf-16le', 'utf-16be', 'utf-32le'];
  let client: LspClient;
  let root: string;
  const uri = (encoding: TextEncoding) => fileUri(join(root, `${encoding.replace(/ /g, '-')}.yaml`));

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kube-immutable-encodings-'));
    for (const encoding of encodings) writeFileSync(join(root, `${encoding.replace(/ /g, '-')}.yaml`), encodeText(MANIFEST, encoding));
    writeFileSync(join(root, 'utf-16le-without-mark.yaml'), encodeText(MANIFEST, 'utf-16le').subarray(2));
    client = await LspClient.start({
      rootUri: fileUri(root), workspaceFolders: [{ uri: fileUri(root), name: 'ws' }],
      capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
    });
    client.settings = { kubeImmutable: { workspace: { scan: true } } };
    await client.progressEnded(1);
  });

  after(() => client.stop());

  for (const encoding of encodings.slice(1)) {
    it(`publishes a closed ${encoding} file at the ranges the editor shows its decoded text with`, () => {
      const diagnostics = client.diagnostics.get(uri(encoding))?.diagnostics ?? [];
      const twin = client.diagnostics.get(uri('utf-8'))!.diagnostics;
      assert.deepEqual(ranges(diagnostics), ranges(twin));
      assert.deepEqual(diagnostics.map(d => d.message), twin.map(d => d.message));
    });
  }

  it('publishes the UTF-8 twin with the findings of the CLI, and the hint on the tag without a digest', () => {
    const published = ranges(client.diagnostics.get(uri('utf-8'))!.diagnostics);
    assert.deepEqual(published, [...FINDINGS, 'mutable-image-reference 8:41-8:46']);
  });

  it('reports UTF-16 without a byte order mark as binary data', () => {
    const diagnostics = client.diagnostics.get(fileUri(join(root, 'utf-16le-without-mark.yaml')))!.diagnostics;
    assert.deepEqual(ranges(diagnostics), ['parse-error 1:2-1:3']);
  });

  it('shows the same findings when the editor opens the file, with the text it decoded', async () => {
    const opened = await client.open(uri('utf-16le'), MANIFEST);
    assert.deepEqual(ranges(opened), ranges(client.diagnostics.get(uri('utf-8'))!.diagnostics));
  });
});
