import * as assert from 'node:assert/strict';
import { JsonArrayWriter } from '../../server/src/jsonStream';

/** What the writer prints for `items` written one by one into `skeleton`. */
function streamed(skeleton: (items: unknown[]) => unknown, items: unknown[], end = skeleton): string {
  let text = '';
  const writer = new JsonArrayWriter(piece => { text += piece; }, skeleton);
  for (const item of items) writer.item(item);
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
        assert.equal(streamed(skeleton, items), `${JSON.stringify(skeleton(items), null, 2)}\n`, `${count} items`);
      }
    });
  }

  it('takes the text after the array from the skeleton given at the end', () => {
    const skeleton = (total?: number) => (items: unknown[]) => ({ findings: items, filesLinted: total });
    assert.equal(streamed(skeleton(), [{ rule: 'r' }], skeleton(7)), '{\n  "findings": [\n    {\n      "rule": "r"\n    }\n  ],\n  "filesLinted": 7\n}\n');
  });
});
