import * as assert from 'node:assert/strict';
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { applyOffsetEdits } from '../../../server/src/engine/fixes/apply';
import { detectLayout } from '../../../server/src/engine/fixes/layout';
import { Unfixable, YamlEditor } from '../../../server/src/engine/fixes/yamlEdits';
import { OffsetEdit } from '../../../server/src/engine/rule';
import { yaml } from '../../helpers';
import { crlf, withoutFinalNewline } from './fixTable';

/** Parsed as the analysis parses: the editor reads the positions of sequence dashes from the source tokens. */
const parse = (text: string) => parseDocument(text, { version: '1.1', keepSourceTokens: true });

/** Runs an edit on the node at `path` (keys, or indexes of sequences) and returns its edits. */
function editsOf(text: string, path: (string | number)[], change: (editor: YamlEditor, node: YAMLMap | YAMLSeq) => OffsetEdit | OffsetEdit[]): OffsetEdit[] {
  const doc = parse(text);
  const node = doc.getIn(path, true);
  assert.ok(isMap(node) || isSeq(node), `no collection at ${path.join('.')}`);
  const edits = change(new YamlEditor(text, doc), node);
  return Array.isArray(edits) ? edits : [edits];
}

/** The text after an edit of the node at `path`. */
function edit(text: string, path: (string | number)[], change: (editor: YamlEditor, node: YAMLMap | YAMLSeq) => OffsetEdit | OffsetEdit[]): string {
  return applyOffsetEdits(text, editsOf(text, path, change));
}

const asMap = (node: YAMLMap | YAMLSeq) => node as YAMLMap;
const asSeq = (node: YAMLMap | YAMLSeq) => node as YAMLSeq;

describe('detectLayout', () => {
  const layoutOf = (text: string) => detectLayout(text, parse(text));
  const compact = { bare: false, offset: 2 };
  it('reads 2 spaces and indented sequences', () => {
    assert.deepEqual(layoutOf('a:\n  b:\n    - c\n'), { eol: '\n', indent: 2, sequenceIndent: 2, mapItem: compact });
  });
  it('reads 4 spaces and flush sequences, with CRLF', () => {
    assert.deepEqual(layoutOf('a:\r\n    b:\r\n    - c\r\n    d:\r\n        e: 1\r\n'), { eol: '\r\n', indent: 4, sequenceIndent: 0, mapItem: compact });
  });
  it('takes the most frequent indentation, and defaults to 2 with indented sequences and compact items', () => {
    assert.deepEqual(layoutOf('a:\n   b: 1\nc:\n  d: 1\ne:\n  f: 1\n'), { eol: '\n', indent: 2, sequenceIndent: 2, mapItem: compact });
    assert.deepEqual(layoutOf('a: 1\n'), { eol: '\n', indent: 2, sequenceIndent: 2, mapItem: compact });
  });
  it('reads a dash alone on its line, with a comment between it and the item', () => {
    assert.deepEqual(layoutOf('a:\n  -\n    # c\n    b: 1\nd:\n    -\n      e: 1\n'), { eol: '\n', indent: 2, sequenceIndent: 2, mapItem: { bare: true, offset: 2 } });
  });
  it('reads items written further from their dash, and key columns wherever the first key sits', () => {
    assert.deepEqual(layoutOf('a:\n-   b: 1\n    c: 2\nd:\n-   e: 1\n'), { eol: '\n', indent: 2, sequenceIndent: 0, mapItem: { bare: false, offset: 4 } });
  });
});

describe('YamlEditor', () => {
  it('merges nested maps, adding keys in block style below the last pair and its comment', () => {
    const text = yaml`
      spec:
        a: 1  # one
        nested:
          x: 1
        # a comment after the map
      other: 2
    `;
    assert.equal(edit(text, ['spec'], (e, n) => e.merge(asMap(n), { nested: { y: 'two words' }, b: [{ name: 'v', emptyDir: {} }] })), yaml`
      spec:
        a: 1  # one
        nested:
          x: 1
          y: "two words"
        b:
          - name: v
            emptyDir: {}
        # a comment after the map
      other: 2
    `);
  });

  it('quotes the words YAML 1.1 would not read as strings', () => {
    assert.equal(edit('m:\n  a: 1\n', ['m'], (e, n) => e.merge(asMap(n), { b: 'yes', c: 'off', d: 'x: y', e: ['ALL', 'on'] })),
      'm:\n  a: 1\n  b: "yes"\n  c: "off"\n  d: "x: y"\n  e: ["ALL", "on"]\n');
  });

  it('inserts into empty and filled flow maps and sequences', () => {
    assert.equal(edit('m: {}\n', ['m'], (e, n) => e.insertPairs(asMap(n), [['a', { b: [1] }]])), 'm: {a: {b: [1]}}\n');
    assert.equal(edit('m: {x: 1}\n', ['m'], (e, n) => e.insertPairs(asMap(n), [['a', true]])), 'm: {x: 1, a: true}\n');
    assert.equal(edit('s: []\n', ['s'], (e, n) => e.appendItems(asSeq(n), [{ name: 'a' }])), 's: [{name: a}]\n');
    assert.equal(edit('s: [a]\n', ['s'], (e, n) => e.appendItems(asSeq(n), ['b', 'c'])), 's: [a, b, c]\n');
  });

  it('appends to a block sequence at its own dash column', () => {
    assert.equal(edit('s:\n- a: 1\n  b: 2\nt: 1\n', ['s'], (e, n) => e.appendItems(asSeq(n), [{ a: 3, b: 4 }])), 's:\n- a: 1\n  b: 2\n- a: 3\n  b: 4\nt: 1\n');
  });

  it('appends items in the style of the last one: a dash alone on its line, or the item further from its dash', () => {
    assert.equal(edit('s:\n  -\n    a: 1\nt: 1\n', ['s'], (e, n) => e.appendItems(asSeq(n), [{ a: 2, b: { c: 3 } }])),
      's:\n  -\n    a: 1\n  -\n    a: 2\n    b:\n      c: 3\nt: 1\n');
    assert.equal(edit('s:\n  - a: 1\n  -\n      # the second\n      a: 2\n', ['s'], (e, n) => e.appendItems(asSeq(n), [{ a: 3 }])),
      's:\n  - a: 1\n  -\n      # the second\n      a: 2\n  -\n      a: 3\n');
    assert.equal(edit('s:\n-   a: 1\n\n    # about b\n    b: 2\n', ['s'], (e, n) => e.appendItems(asSeq(n), [{ a: 3 }])),
      's:\n-   a: 1\n\n    # about b\n    b: 2\n-   a: 3\n');
    assert.equal(edit('s:\n  - &x\n    a: 1\n', ['s'], (e, n) => e.appendItems(asSeq(n), ['w'])), 's:\n  - &x\n    a: 1\n  -\n    w\n');
    // An empty last item (a dash with nothing after it, as a document marker below it leaves it) has no style.
    assert.equal(edit('s:\n  - a: 1\n  -\n', ['s'], (e, n) => e.appendItems(asSeq(n), [{ a: 2 }])), 's:\n  - a: 1\n  -\n  - a: 2\n');
    assert.throws(() => edit('s:\n  -\n---\n', ['s'], (e, n) => e.appendItems(asSeq(n), [{ a: 2 }])), Unfixable);
  });

  it('says what each edit changes, at paths from the document root', () => {
    const text = 'spec:\n  c:\n  - name: a\n    v: [x]\n  m: {k: 1}\n';
    const changes = (path: (string | number)[], change: (editor: YamlEditor, node: YAMLMap | YAMLSeq) => OffsetEdit | OffsetEdit[]) =>
      editsOf(text, path, change).flatMap(edit => edit.changes);
    assert.deepEqual(changes(['spec', 'c', 0], (e, n) => e.merge(asMap(n), { v: ['x', 'y'], s: { r: true } })), [
      { path: ['spec', 'c', 0, 'v', 1], kind: 'set', value: 'y' },
      { path: ['spec', 'c', 0, 's'], kind: 'set', value: { r: true } },
    ]);
    assert.deepEqual(changes(['spec', 'c'], (e, n) => e.appendItems(asSeq(n), [{ name: 'b' }])), [{ path: ['spec', 'c', 1], kind: 'set', value: { name: 'b' } }]);
    assert.deepEqual(changes(['spec', 'm'], (e, n) => e.merge(asMap(n), { k: 2 })), [{ path: ['spec', 'm', 'k'], kind: 'set', value: 2 }]);
    assert.deepEqual(changes(['spec'], (e, n) => e.removePair(asMap(n), asMap(n).items[1])), [{ path: ['spec', 'm'], kind: 'removed' }]);
    assert.deepEqual(changes(['spec', 'c'], (e, n) => e.removeItem(asSeq(n), 0)), [{ path: ['spec', 'c', 0], kind: 'removed' }]);
  });

  it('refuses to edit a node that has no path of its own: anchored (aliases repeat it), or under a merge key', () => {
    assert.throws(() => edit('a: &x\n  b: 1\nc: *x\n', ['a'], (e, n) => e.merge(asMap(n), { d: 1 })), Unfixable);
    const merged = (map: YAMLMap) => (map.items[0].value as YAMLMap).get('z', true) as unknown as YAMLMap;
    assert.throws(() => edit('k:\n  <<: {z: {a: 1}}\n', ['k'], (e, n) => e.merge(merged(asMap(n)), { b: 2 })), Unfixable);
  });

  it('replaces a scalar, keeping what follows it on the line', () => {
    assert.equal(edit('m:\n  a: false # no\n', ['m'], (e, n) => e.merge(asMap(n), { a: true })), 'm:\n  a: true # no\n');
  });

  it('replaces a scalar with a block map', () => {
    assert.equal(edit('m:\n  a: null\n  b: 1\n', ['m'], (e, n) => e.merge(asMap(n), { a: { c: 1 } })), 'm:\n  a:\n    c: 1\n  b: 1\n');
  });

  it('removes a pair with its lines, keeping the comment line above the next one', () => {
    const text = 'm:\n  a:\n    x: 1 # x\n  # about b\n  b: 2\n';
    assert.equal(edit(text, ['m'], (e, n) => e.removePair(asMap(n), asMap(n).items[0])), 'm:\n  # about b\n  b: 2\n');
  });

  it('removes the last pair of a file without a final line break, adding none', () => {
    assert.equal(edit(withoutFinalNewline('m:\n  a: 1\n  b: 2\n'), ['m'], (e, n) => e.removePair(asMap(n), asMap(n).items[1])), 'm:\n  a: 1');
    assert.equal(edit(withoutFinalNewline(crlf('m:\n  a: 1\n  b: 2\n')), ['m'], (e, n) => e.removePair(asMap(n), asMap(n).items[1])), 'm:\r\n  a: 1');
  });

  it('removes a flow pair with one comma', () => {
    assert.equal(edit('m: {a: 1, b: 2, c: 3}\n', ['m'], (e, n) => e.removePair(asMap(n), asMap(n).items[1])), 'm: {a: 1, c: 3}\n');
    assert.equal(edit('m: {a: 1, b: 2}\n', ['m'], (e, n) => e.removePair(asMap(n), asMap(n).items[0])), 'm: {b: 2}\n');
  });

  it('removes sequence items, block and flow', () => {
    assert.equal(edit('s:\n  - a\n  - b: 1\n    c: 2\n  - d\n', ['s'], (e, n) => e.removeItem(asSeq(n), 1)), 's:\n  - a\n  - d\n');
    assert.equal(edit('s:\n  - a\n  -\n    # b\n    b: 1\n  - d\n', ['s'], (e, n) => e.removeItem(asSeq(n), 1)), 's:\n  - a\n  - d\n');
    assert.equal(edit('s: [a, b, c]\n', ['s'], (e, n) => e.removeItem(asSeq(n), 2)), 's: [a, b]\n');
    assert.equal(edit('s: [a, b, c]\n', ['s'], (e, n) => e.removeItem(asSeq(n), 0)), 's: [b, c]\n');
  });

  it('refuses to edit through an alias', () => {
    assert.throws(() => edit('a: &x {b: 1}\nm:\n  c: *x\n', ['m'], (e, n) => e.merge(asMap(n), { c: { d: 1 } })), Unfixable);
  });

  it('moves an insertion above text the same fix removes', () => {
    const text = 'm:\n  a: 1\n  b:\n    c: 2\n';
    const result = edit(text, ['m'], (e, n) => {
      const removal = e.removePair(asMap(n), asMap(n).items[1]);
      return [removal, ...e.merge(asMap(n), { d: 4 }, { removed: [removal] })];
    });
    assert.equal(result, 'm:\n  a: 1\n  d: 4\n');
  });
});
