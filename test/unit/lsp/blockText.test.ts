// The text of an open document in blocks, and the document over it: the same text, slices and positions as a
// string and as vscode-languageserver-textdocument's TextDocument give, after any sequence of edits.
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { BLOCK_LENGTH, BlockText } from '../../../server/src/lsp/blockText';
import { OpenDocument } from '../../../server/src/lsp/openDocument';

/** mulberry32: a small seeded generator, so that a failing sequence of edits can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** YAML lines, with every kind of line break. */
function manifestText(lines: number, next: () => number): string {
  const breaks = ['\n', '\n', '\n', '\r\n', '\r'];
  let text = '';
  for (let i = 0; i < lines; i++) text += `  key-${i}: value ${'x'.repeat(Math.floor(next() * 60))}${breaks[Math.floor(next() * breaks.length)]}`;
  return text;
}

/** An edit somewhere in a text of `length`: a range and its replacement, short or long, line breaks included. */
function randomEdit(length: number, next: () => number): { start: number; end: number; text: string } {
  const start = Math.floor(next() * (length + 1));
  const kind = next();
  const end = kind < 0.1 ? Math.min(length, start + Math.floor(next() * 3 * BLOCK_LENGTH)) : Math.min(length, start + Math.floor(next() * 4));
  const pieces = ['a', '\n', '\r\n', '\r', '- name: x\n', '', 'é'];
  let text = '';
  for (let n = Math.floor(next() * 4); n > 0; n--) text += pieces[Math.floor(next() * pieces.length)];
  if (kind > 0.95) text += 'y'.repeat(Math.floor(next() * 3 * BLOCK_LENGTH));
  return { start, end, text };
}

describe('text in blocks', () => {
  it('gives the text, its slices and its characters as a string does, after random edits', () => {
    const next = random(7);
    let expected = manifestText(4000, next);
    let text = BlockText.of(expected);
    assert.ok(text.blockLengths().length > 8, `${text.blockLengths().length} blocks`);
    for (let i = 0; i < 600; i++) {
      const { start, end, text: inserted } = randomEdit(expected.length, next);
      const previous = text;
      const previousText = expected;
      text = text.replace(start, end, inserted);
      expected = expected.slice(0, start) + inserted + expected.slice(end);
      assert.equal(text.length, expected.length);
      for (let probe = 0; probe < 5; probe++) {
        const from = Math.floor(next() * (expected.length + 1));
        const to = from + Math.floor(next() * 3 * BLOCK_LENGTH);
        assert.equal(text.slice(from, to), expected.slice(from, to), `edit ${i}: slice ${from}-${to}`);
        assert.equal(text.charCodeAt(from), expected.charCodeAt(from));
      }
      // The version before the edit is left as it was.
      assert.equal(previous.slice(start, start + 100), previousText.slice(start, start + 100));
      if (i % 50 === 0) assert.equal(text.toString(), expected, `edit ${i}`);
    }
    assert.equal(text.toString(), expected);
  });

  it('keeps its blocks at most twice the length they are cut to, and few shorter than a quarter of it', () => {
    const next = random(11);
    let text = BlockText.of('a'.repeat(40 * BLOCK_LENGTH));
    for (let i = 0; i < 2000; i++) {
      const { start, end, text: inserted } = randomEdit(text.length, next);
      text = text.replace(start, end, inserted);
      // Deletions outweigh insertions: text is added back now and then, so that there are blocks to look at.
      if (text.length < 20 * BLOCK_LENGTH) {
        const at = Math.floor(next() * text.length);
        text = text.replace(at, at, 'z'.repeat(10 * BLOCK_LENGTH));
      }
    }
    const lengths = text.blockLengths();
    assert.equal(lengths.reduce((sum, length) => sum + length, 0), text.length);
    assert.ok(lengths.every(length => length <= 2 * BLOCK_LENGTH), `longest ${Math.max(...lengths)}`);
    // Short blocks are merged as they come; a few may remain where edits left them between two merges.
    assert.ok(lengths.filter(length => length < BLOCK_LENGTH / 4).length <= lengths.length / 10, lengths.join(' '));
  });

  it('cuts a long insertion into blocks, and merges a block an edit leaves short', () => {
    const text = BlockText.of('a'.repeat(4 * BLOCK_LENGTH));
    assert.equal(text.blockLengths().length, 4);
    const longer = text.replace(BLOCK_LENGTH, BLOCK_LENGTH, 'b'.repeat(5 * BLOCK_LENGTH));
    // The inserted text and the block it was typed at the start of, cut in six.
    assert.deepEqual(longer.blockLengths(), Array(9).fill(BLOCK_LENGTH));
    assert.equal(longer.slice(BLOCK_LENGTH - 1, BLOCK_LENGTH + 2), 'abb');
    // The second block cut down to one character is merged with the third.
    const shorter = text.replace(BLOCK_LENGTH + 1, 2 * BLOCK_LENGTH, '');
    assert.equal(shorter.blockLengths().length, 3);
    assert.equal(shorter.length, 3 * BLOCK_LENGTH + 1);
    // The last block: merged with the one before.
    assert.equal(text.replace(3 * BLOCK_LENGTH, 4 * BLOCK_LENGTH - 1, '').blockLengths().length, 3);
    // Everything deleted, and typed again.
    const empty = text.replace(0, text.length, '');
    assert.equal(empty.length, 0);
    assert.equal(empty.toString(), '');
    assert.equal(empty.replace(0, 0, 'a: 1\n').toString(), 'a: 1\n');
  });

  it('refuses a range outside the text', () => {
    const text = BlockText.of('a: 1\n');
    assert.throws(() => text.replace(-1, 0, ''), RangeError);
    assert.throws(() => text.replace(3, 2, ''), RangeError);
    assert.throws(() => text.replace(0, 6, ''), RangeError);
  });

  it('slices with negative and out-of-range offsets as String.prototype.slice does', () => {
    const whole = 'x'.repeat(BLOCK_LENGTH) + 'abc';
    const text = BlockText.of(whole).replace(0, 1, 'y');
    const expected = `y${whole.slice(1)}`;
    for (const [start, end] of [[-3, undefined], [-5, -1], [5, 2], [0, 10 * BLOCK_LENGTH], [BLOCK_LENGTH + 10, undefined]] as const) {
      assert.equal(text.slice(start, end), expected.slice(start, end), `${start}, ${end}`);
    }
    assert.ok(Number.isNaN(text.charCodeAt(-1)));
    assert.ok(Number.isNaN(text.charCodeAt(expected.length)));
  });
});

describe('open document', () => {
  /** The positions and lines of a document, as TextDocument computes them afresh from its text. */
  function assertSameAs(document: OpenDocument, text: string, next: () => number, label: string): void {
    const fresh = TextDocument.create(document.uri, 'yaml', document.version, text);
    assert.equal(document.getText(), text, label);
    assert.equal(document.lineCount, fresh.lineCount, label);
    for (let probe = 0; probe < 20; probe++) {
      const offset = Math.floor(next() * (text.length + 20)) - 10;
      assert.deepEqual(document.positionAt(offset), fresh.positionAt(offset), `${label}: positionAt(${offset})`);
      const position = { line: Math.floor(next() * (fresh.lineCount + 2)) - 1, character: Math.floor(next() * 90) - 5 };
      assert.equal(document.offsetAt(position), fresh.offsetAt(position), `${label}: offsetAt(${JSON.stringify(position)})`);
      assert.deepEqual(document.getLineRange(position.line), fresh.getLineRange(position.line), `${label}: getLineRange(${position.line})`);
      assert.equal(document.getEOLCharacters(position.line), fresh.getEOLCharacters(position.line), `${label}: getEOLCharacters(${position.line})`);
      const end = { line: position.line + Math.floor(next() * 3), character: Math.floor(next() * 40) };
      assert.equal(document.getText({ start: position, end }), fresh.getText({ start: position, end }), label);
    }
  }

  it('gives the positions and lines TextDocument gives, after random edits with every kind of line break', () => {
    const next = random(3);
    let text = manifestText(3000, next);
    const document = new OpenDocument('file:///a.yaml', 'yaml', 1, text);
    assertSameAs(document, text, next, 'opened');
    for (let version = 2; version < 400; version++) {
      const { start, end, text: inserted } = randomEdit(text.length, next);
      const fresh = TextDocument.create(document.uri, 'yaml', 1, text);
      document.update([{ range: { start: fresh.positionAt(start), end: fresh.positionAt(end) }, text: inserted }], version);
      const from = fresh.offsetAt(fresh.positionAt(start));
      const to = fresh.offsetAt(fresh.positionAt(end));
      text = text.slice(0, from) + inserted + text.slice(to);
      assert.equal(document.version, version);
      assertSameAs(document, text, next, `version ${version}`);
    }
  });

  it('applies the changes of one update in order, and a change without a range replaces the text', () => {
    const document = new OpenDocument('file:///a.yaml', 'yaml', 1, 'a: 1\nb: 2\n');
    document.update([
      { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 4 } }, text: '10' },
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '# b\n' },
    ], 2);
    assert.equal(document.getText(), 'a: 10\n# b\nb: 2\n');
    assert.equal(document.lineCount, 4);
    document.update([{ text: 'x: 0\r\ny: 1' }], 3);
    assert.equal(document.getText(), 'x: 0\r\ny: 1');
    assert.deepEqual(document.positionAt(10), { line: 1, character: 4 });
    assert.equal(document.version, 3);
  });

  it('joins and parts \\r\\n line breaks that an edit makes or breaks', () => {
    const at = (line: number, character: number) => ({ line, character });
    const table: [string, ReturnType<typeof at>, ReturnType<typeof at>, string, number][] = [
      // [text, range start, range end, inserted, lines after]
      ['a\rb', at(1, 0), at(1, 0), '\n', 2], // \n typed after a lone \r: one \r\n
      ['a\rx\nb', at(1, 0), at(1, 1), '', 2], // what stood between \r and \n deleted
      ['a\nb', at(0, 1), at(0, 1), 'x\r', 2], // \r typed before \n
      ['a\r\nb', at(0, 1), at(0, 1), '\r', 3], // \r typed before \r\n: a line more
      ['a\r\nb', at(0, 0), at(1, 0), '', 1], // the line and its break deleted
    ];
    for (const [text, start, end, inserted, lines] of table) {
      const document = new OpenDocument('file:///a.yaml', 'yaml', 1, text);
      document.update([{ range: { start, end }, text: inserted }], 2);
      const fresh = TextDocument.create('file:///a.yaml', 'yaml', 1, document.getText());
      assert.equal(document.lineCount, lines, JSON.stringify(document.getText()));
      assert.equal(document.lineCount, fresh.lineCount);
      for (let offset = 0; offset <= document.getText().length; offset++) assert.deepEqual(document.positionAt(offset), fresh.positionAt(offset));
    }
  });
});
