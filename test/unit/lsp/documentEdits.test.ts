// What each update of an open document changed, from the ranges of the editor's edits: the unchanged ends of the
// text between two versions, for the analysis to read only the rest.
import * as assert from 'node:assert/strict';
import { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { OpenDocument } from '../../../server/src/lsp/openDocument';
import { DocumentEdits } from '../../../server/src/lsp/documentEdits';

const URI = 'file:///workspace/stream.yaml';
const TEXT = 'a: 1\n---\nb: 2\n---\nc: 3\n';
const at = (line: number, character: number) => ({ line, character });

function opened(edits: DocumentEdits, text = TEXT): OpenDocument {
  return edits.configuration.create(URI, 'yaml', 1, text);
}

describe('document edits', () => {
  it('gives the ends an update left as they were, and the text TextDocument gives', () => {
    const table: { changes: TextDocumentContentChangeEvent[]; text: string; prefix: number; suffix: number }[] = [
      // One change: the text before its start and after its end.
      { changes: [{ range: { start: at(2, 3), end: at(2, 4) }, text: '22' }], text: 'a: 1\n---\nb: 22\n---\nc: 3\n', prefix: 12, suffix: 10 },
      // An insertion, and a range given end first.
      { changes: [{ range: { start: at(4, 0), end: at(4, 0) }, text: '# c\n' }], text: 'a: 1\n---\nb: 2\n---\n# c\nc: 3\n', prefix: 18, suffix: 5 },
      { changes: [{ range: { start: at(2, 4), end: at(2, 3) }, text: '' }], text: 'a: 1\n---\nb: \n---\nc: 3\n', prefix: 12, suffix: 10 },
      // Two changes, each on the text the one before left: what both left.
      { changes: [{ range: { start: at(0, 3), end: at(0, 4) }, text: '11' }, { range: { start: at(4, 3), end: at(4, 4) }, text: '' }], text: 'a: 11\n---\nb: 2\n---\nc: \n', prefix: 3, suffix: 1 },
      // A change of the whole text leaves nothing.
      { changes: [{ text: 'x: 0\n' }], text: 'x: 0\n', prefix: 0, suffix: 0 },
    ];
    for (const { changes, text, prefix, suffix } of table) {
      const edits = new DocumentEdits();
      const document = edits.configuration.update(opened(edits), changes, 2);
      assert.equal(document.getText(), text);
      assert.equal(document.version, 2);
      assert.deepEqual(edits.unchangedBetween(URI, 1, 2), { prefix, suffix, previousLength: TEXT.length }, JSON.stringify(changes));
      assert.equal(document.getText().slice(0, prefix), TEXT.slice(0, prefix));
      assert.equal(document.getText().slice(text.length - suffix), TEXT.slice(TEXT.length - suffix));
    }
  });

  it('adds the updates between two versions up, and knows nothing of versions it did not see', () => {
    const edits = new DocumentEdits();
    let document = opened(edits);
    document = edits.configuration.update(document, [{ range: { start: at(2, 3), end: at(2, 4) }, text: '20' }], 2);
    document = edits.configuration.update(document, [{ range: { start: at(4, 3), end: at(4, 4) }, text: '30' }], 5);
    assert.equal(document.getText(), 'a: 1\n---\nb: 20\n---\nc: 30\n');
    assert.deepEqual(edits.unchangedBetween(URI, 1, 5), { prefix: 12, suffix: 1, previousLength: TEXT.length });
    assert.deepEqual(edits.unchangedBetween(URI, 2, 5), { prefix: 22, suffix: 1, previousLength: TEXT.length + 1 });
    assert.deepEqual(edits.snapshot(document).unchangedSince!(2), { prefix: 22, suffix: 1, previousLength: TEXT.length + 1 });
    assert.equal(edits.unchangedBetween(URI, 3, 5), undefined);
    assert.equal(edits.unchangedBetween(URI, 5, 5), undefined);
    assert.equal(edits.unchangedBetween('file:///other.yaml', 1, 2), undefined);
    // Opened again, or closed: the versions start over.
    document = opened(edits);
    assert.equal(edits.unchangedBetween(URI, 1, 5), undefined);
    edits.configuration.update(document, [{ range: { start: at(0, 0), end: at(0, 0) }, text: '#\n' }], 2);
    edits.forget(URI);
    assert.equal(edits.unchangedBetween(URI, 1, 2), undefined);
  });

  it('remembers the last 32 updates of a document', () => {
    const edits = new DocumentEdits();
    let document = opened(edits);
    for (let version = 2; version <= 40; version++) document = edits.configuration.update(document, [{ range: { start: at(0, 3), end: at(0, 4) }, text: `${version}` }], version);
    assert.deepEqual(edits.unchangedBetween(URI, 8, 40), { prefix: 3, suffix: TEXT.length - 4, previousLength: TEXT.length });
    assert.equal(edits.unchangedBetween(URI, 7, 40), undefined);
  });
});
