import * as assert from 'node:assert/strict';
import { Diagnostic } from 'vscode-languageserver-protocol/node';
import { EDITOR_LIMITS } from '../../server/src/engine';
import { NORMAL_POD, SAMPLES } from '../fuzz/samples';
import { LspClient } from './lspClient';
import { bareContainer } from '../helpers';

const summary = (diagnostics: Diagnostic[]) => diagnostics.map(d =>
  `${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);

/** The diagnostics of each sample in the editor (0-based positions, LSP severities: 1 error, 2 warning, 3 information). */
const EXPECTED: Record<string, string[]> = {
  'an alias bomb': ['parse-error 1 5:60-5:63'],
  '100,000 levels of flow sequences': ['parse-error 1 7:513-7:514'],
  '100,000 levels of block sequences': ['parse-error 1 8:512-8:513'],
  'binary bytes': ['parse-error 1 0:0-0:1'],
  'invalid UTF-8': [...bareContainer('2 5:4-5:13'), 'mutable-image-reference 4 6:16-6:21'],
  'byte order marks': [...bareContainer('2 5:4-5:13'), 'mutable-image-reference 4 6:16-6:21', ...bareContainer('2 13:4-13:13'), 'mutable-image-reference 4 14:16-14:21'],
  'mixed CR, CRLF and LF': ['parse-error 1 2:21-2:26'],
  // Over the editor's document size limit: one information diagnostic on the document's first line.
  'a 1 MB single line': ['analysis-limit 3 0:0-0:1120118'],
  'a map of 50,000 keys': ['analysis-limit 3 0:0-0:14'],
};
const NORMAL = [...bareContainer('2 5:4-5:13'), 'mutable-image-reference 4 6:16-6:21'];

describe('language server on hostile files', function () {
  this.timeout(120_000);
  let client: LspClient;
  before(async () => { client = await LspClient.start(); });
  after(async () => { await client.stop(); });

  /** Opens a normal document beside the hostile one: it must get its diagnostics and its code actions. */
  async function stillAnswers(name: string): Promise<void> {
    const uri = `file:///workspace/after-${name.replace(/\W+/g, '-')}.yaml`;
    const diagnostics = await client.open(uri, NORMAL_POD);
    assert.deepEqual(summary(diagnostics), NORMAL);
    const actions = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics: [diagnostics[0]] },
    }) as { title: string }[];
    assert.ok(actions.length > 0, 'a quick fix for the normal document');
    await client.close(uri);
  }

  for (const sample of SAMPLES) {
    it(`reports ${sample.name}, keeps answering after an edit, and then analyses a normal document`, async () => {
      const uri = `file:///workspace/${sample.name.replace(/\W+/g, '-')}.yaml`;
      const text = sample.bytes.toString('utf8');
      assert.deepEqual(summary(await client.open(uri, text)), EXPECTED[sample.name]);
      const edited = await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
      assert.equal(edited.length, EXPECTED[sample.name].length);
      await client.close(uri);
      await stillAnswers(sample.name);
    });
  }

  it('analyses only the documents of a stream within the size limit, and says where it stopped', async () => {
    const filler = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: "${'v'.repeat(1000)}"}\n`;
    const copies = Math.ceil(EDITOR_LIMITS.maxStreamBytes / (filler.length + 4));
    const text = `${NORMAL_POD}---\n${`${filler}---\n`.repeat(copies)}${NORMAL_POD}`;
    const diagnostics = await client.open('file:///workspace/huge-stream.yaml', text);
    // The Pod's chunk (7 lines), then chunks of a `---` line and a filler (5 lines) while they fit.
    const fillersAnalysed = Math.floor((EDITOR_LIMITS.maxStreamBytes - NORMAL_POD.length) / (filler.length + 4));
    const firstLeftOut = 7 + 5 * fillersAnalysed;
    assert.deepEqual(summary(diagnostics), [...NORMAL, `analysis-limit 3 ${firstLeftOut}:0-${firstLeftOut}:3`]);
    assert.match(diagnostics[NORMAL.length].message, /^Only the first 4\.0 MB of this 4\.0 MB file \(up to line \d+\) were analysed/);
    await client.close('file:///workspace/huge-stream.yaml');
    await stillAnswers('huge stream');
  });
});
