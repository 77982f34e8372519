// The fast block-YAML reader: the same nodes, values and spans as the full parser for the YAML manifests are
// written in, and undefined (the full parser then reads the file) for what it leaves alone.
import * as assert from 'node:assert/strict';
import { readBlockYaml } from '../../../server/src/sources/kustomize/blockYaml';
import { loadWithFullParser } from '../../../server/src/sources/kustomize/load';
import { KNode } from '../../../server/src/sources/kustomize/tree';
import { yaml } from '../../helpers';

/** A node as text: values with their spans, so a difference in either shows. */
function show(node: KNode): unknown {
  const span = `${node.origins[0].span.start}-${node.origins[0].span.end}`;
  if (node.kind === 'map') return { span, map: node.entries.map((e) => [e.key, show(e.value)]) };
  if (node.kind === 'seq') return { span, seq: node.items.map(show) };
  return { span, plain: node.plain, raw: node.raw, value: node.value };
}

const read: { name: string; text: string }[] = [
  {
    name: 'maps, flush and indented sequences, comments and blank lines',
    text: yaml`
      # a comment
      apiVersion: apps/v1
      kind: Deployment   # trailing comment
      metadata:
        name: web

        labels: {app: web, tier: "front end"}
      spec:
        containers:
        - name: web
          args: ['--port', "8080", 80]
          ports:
            - containerPort: 8080
              protocol: TCP
        - name: empty
          env:
    `,
  },
  {
    name: 'scalars of every type, quoting and keys',
    text: yaml`
      int: 42
      octal: 0755
      float: 1.5e3
      bool: true
      nul: ~
      empty:
      str: "a \\"quoted\\" \\u00e9 string"
      single: 'it''s'
      "quoted key": 1
      url: http://example.com/a#b
      colon:in: value
    `,
  },
  {
    name: 'literal blocks with every chomping, and folded multi-line plain and quoted scalars',
    text: yaml`
      clip: |
        line one
          indented

      strip: |-
        text
      keep: |+
        kept

      description: A long description
        that goes on for a second line
      quoted: 'single quoted
        over two lines (default: false)'
      list:
      - |
        in a list
      last: end
    `,
  },
  {
    name: 'several documents, empty ones included',
    text: '---\na: 1\n---\n# only a comment\n---\n- x\n- y\n...\n---\nb: 2\n',
  },
];

const leftToTheFullParser: { name: string; text: string }[] = [
  { name: 'anchors and aliases', text: 'a: &x 1\nb: *x\n' },
  { name: 'tags', text: 'a: !!str 1\n' },
  { name: 'folded blocks', text: 'a: >\n  folded\n  text\n' },
  { name: 'multi-line flow collections', text: 'a: [1,\n  2]\n' },
  { name: 'complex keys', text: '? a\n: 1\n' },
  { name: 'tabs', text: 'a:\n\t- 1\n' },
  { name: 'merge keys', text: 'base: {a: 1}\nderived:\n  <<: {a: 2}\n' },
  { name: 'a plain scalar folded over a blank line', text: 'a: one\n\n  two\n' },
];

describe('Kustomize renderer: fast block YAML reader', () => {
  for (const c of read) {
    it(`reads ${c.name} as the full parser does`, () => {
      const fast = readBlockYaml(c.text, '/f.yaml', (offset) => offset);
      assert.ok(fast, 'the fast reader left it to the full parser');
      assert.deepEqual(fast.map(show), loadWithFullParser(c.text, '/f.yaml').map(show));
    });
  }
  for (const c of leftToTheFullParser) {
    it(`leaves ${c.name} to the full parser`, () => {
      assert.equal(readBlockYaml(c.text, '/f.yaml', (offset) => offset), undefined);
    });
  }
});
