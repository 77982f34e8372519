import * as assert from 'node:assert/strict';
import { itemIndent, JsonArrayWriter, jsonItems } from '../../server/src/jsonStream';

/** What the writer prints for `items` written in pieces of `perPiece` items into `skeleton`. */
function streamed(skeleton: (items: unknown[]) => unknown, items: unknown[], end = skeleton, perPiece = 1): string {
  let text = '';
  const writer = new JsonArrayWriter(piece => { text += piece; }, skeleton);
  for (let first = 0; first < items.length; first += perPiece) writer.items(jsonItems(items.slice(first, first + perPiece), writer.indent, item => item));
  writer.end(end);
  return text;
}

describe('JsonArrayWriter', () => {
  const ITEMS = [{ a: 1, b: [1, 2], c: { d: 'two\nlines "quoted" \u0000 é' } }, 'plain', 3, [], {}, null];
  const CASES: { title: string; skeleton: (items: unknown[]) => unknown }[] = [
    { title: 'a top-level array', skeleton: items => items },
    { title: 'the first key of an object, keys after it', skeleton: items => ({ findings: items, filesLinted: 3, skipped: ['a.yaml'], links: [] }) },
    { title: 'an array deep in the value, as SARIF nests its results', skeleton: items => ({ $schema: 'x', runs: [{ tool: { rules: [{ id: 'r' }] }, results: items }] }) },
  ];
  for (const { title, skeleton } of CASES) {
    it(`prints what JSON.stringify(value, null, 2) prints, with ${title}`, () => {
      for (const count of [0, 1, ITEMS.length]) {
        const items = ITEMS.slice(0, count);
        for (const perPiece of [1, 2, ITEMS.length]) {
          assert.equal(streamed(skeleton, items, skeleton, perPiece), `${JSON.stringify(skeleton(items), null, 2)}\n`, `${count} items, ${perPiece} a piece`);
        }
      }
    });
  }

  it('takes the text after the array from the skeleton given at the end', () => {
    const skeleton = (total?: number) => (items: unknown[]) => ({ findings: items, filesLinted: total });
    assert.equal(streamed(skeleton(), [{ rule: 'r' }], skeleton(7)), '{\n  "findings": [\n    {\n      "rule": "r"\n    }\n  ],\n  "filesLinted": 7\n}\n');
  });

  it('writes nothing, not even a comma, for a piece without items', () => {
    const pieces: string[] = [];
    const writer = new JsonArrayWriter(piece => pieces.push(piece), items => items);
    writer.items(jsonItems([1], writer.indent, item => item));
    writer.items(jsonItems([], writer.indent, item => item));
    writer.items(jsonItems([2], writer.indent, item => item));
    writer.end(items => items);
    assert.deepEqual(pieces, ['[', '\n  1', ',', '\n  2', '\n]\n']);
  });
});

describe('jsonItems', () => {
  const same = (item: unknown) => item;

  it('makes the items of an array at each depth as JSON.stringify(value, null, 2) indents them there', () => {
    const item = { rule: 'r', range: { line: 1 }, tags: ['a', 'b'], empty: {} };
    assert.equal(itemIndent(items => items), '  ');
    assert.equal(itemIndent(items => ({ findings: items })), '    ');
    assert.deepEqual(jsonItems([item], '  ', same), ['\n  {\n    "rule": "r",\n    "range": {\n      "line": 1\n    },\n    "tags": [\n      "a",\n      "b"\n    ],\n    "empty": {}\n  }']);
    assert.deepEqual(jsonItems([1, 'two'], '      ', same), ['\n      1,\n      "two"']);
    assert.deepEqual(jsonItems([], '    ', same), []);
  });

  it('joins the pieces it stringifies 1,000 items at a time without a seam', () => {
    for (const count of [999, 1000, 1001, 2500]) {
      const items = Array.from({ length: count }, (_, i) => ({ i, name: `c${i}` }));
      const skeleton = (all: unknown[]) => ({ findings: all, filesLinted: count });
      assert.equal(streamed(skeleton, items, skeleton, count), `${JSON.stringify(skeleton(items), null, 2)}\n`, `${count} items`);
    }
  });

  it('makes each item from its source once, in order, in pieces of 1,000 items', () => {
    const made: number[] = [];
    const pieces = jsonItems(Array.from({ length: 2500 }, (_, i) => i), '  ', i => { made.push(i); return { i }; });
    assert.deepEqual(made, Array.from({ length: 2500 }, (_, i) => i));
    assert.equal(pieces.length, 3);
    assert.ok(pieces[2].startsWith('\n  {\n    "i": 2000\n  }'));
    assert.equal(pieces.join(','), JSON.stringify(made.map(i => ({ i })), null, 2).slice(1, -2));
  });
});
