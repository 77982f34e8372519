import * as assert from 'node:assert/strict';
import { ManifestError, parseHead, sortManifests } from '../../../server/src/sources/helm/manifests';
import { ManifestHead, scanManifestHead } from '../../../server/src/sources/helm/manifestHead';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  template:
    spec:
      securityContext:
        {}
      containers:
        - name: web
          image: "nginx:1.27"
          args:
            - --port=8080
          env:
          - name: A
            value: it's # a comment
          ports: []
`;

/** What the full parse says of a document, or the error it throws. */
function parsed(content: string): ManifestHead | string {
  try { return parseHead(content, 'c/templates/x.yaml'); } catch (error) { return (error as Error).message; }
}

describe('manifest heads read without a YAML parser', () => {
  // Documents of the subset: the scan's head, which the full parse must give too.
  const scanned: { name: string; content: string; head: ManifestHead }[] = [
    { name: 'a workload as charts render it', content: DEPLOYMENT, head: { kind: 'Deployment' } },
    { name: 'a hook', content: 'kind: Job\nmetadata:\n  annotations:\n    "helm.sh/hook": pre-install, post-install\n', head: { kind: 'Job', hook: 'pre-install, post-install' } },
    { name: 'a kind that is not on the first line, after comments', content: '# Source: x\n# kind: Secret\napiVersion: v1\n\n  # indented comment\nkind: ConfigMap\n', head: { kind: 'ConfigMap' } },
    { name: 'quoted keys and values', content: `"kind": 'Service'\n'metadata':\n  "annotations":\n    'helm.sh/hook': "test"\n`, head: { kind: 'Service', hook: 'test' } },
    { name: 'a single-quoted value with a doubled quote', content: "kind: 'It''s'\n", head: { kind: "It's" } },
    { name: 'a kind on the line below its key', content: 'kind:\n  Secret\nmetadata: {}\n', head: { kind: 'Secret' } },
    { name: 'a kind that is a number', content: 'kind: "1"\nmetadata:\n  annotations:\n    helm.sh/hook: "1"\n', head: { kind: '1', hook: '1' } },
    { name: 'no kind', content: 'apiVersion: v1\nmetadata:\n  name: x\n', head: { kind: '' } },
    { name: 'a kind that is null', content: 'kind:\nmetadata:\n  name: x\n', head: { kind: '' } },
    { name: 'a kind that is a map', content: 'kind:\n  name: Secret\n', head: { kind: '' } },
    { name: 'the later of two kinds', content: 'kind: Secret\nkind: ConfigMap\n', head: { kind: 'ConfigMap' } },
    { name: 'a later metadata replaces the hook', content: 'kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: test\nmetadata:\n  name: x\n', head: { kind: 'Job' } },
    { name: 'a hook annotation outside metadata.annotations', content: 'kind: Job\nspec:\n  annotations:\n    helm.sh/hook: test\n  metadata:\n    annotations:\n      helm.sh/hook: test\n', head: { kind: 'Job' } },
    { name: 'a hook that is null', content: 'kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook:\n', head: { kind: 'Job' } },
    { name: 'block scalars, with --- and comments inside', content: 'kind: ConfigMap\ndata:\n  a: |\n    ---\n    # not a comment\n\n    kind: Secret\n  b: >-\n      x\n\n      y\n  c: |+ # keep\n    z\n\n', head: { kind: 'ConfigMap' } },
    { name: 'an empty block scalar', content: 'data:\n  a: |\nkind: ConfigMap\n', head: { kind: 'ConfigMap' } },
    { name: 'sequences: indentless, nested, compact, with empty entries', content: 'kind: List\nitems:\n- - a\n  - b\n-\n  c: 1\n  d:\n  - e\n- f: 1\n  g: 2\n-\n- {}\n', head: { kind: 'List' } },
    { name: 'plain scalars with colons, hashes and dashes inside', content: 'kind: Pod\nx: http://a:80/#b\ny: -1\nz: a-b # c\nw: ~\n', head: { kind: 'Pod' } },
    { name: 'a document of comments only', content: '# nothing rendered\n', head: { kind: '' } },
    { name: 'a document that is a plain scalar', content: 'hello\n', head: { kind: '' } },
    { name: 'a map indented as a whole', content: '# c\n  kind: Secret\n  data: {}\n', head: { kind: 'Secret' } },
  ];
  for (const { name, content, head } of scanned) {
    it(`reads ${name}`, () => {
      assert.deepEqual(scanManifestHead(content), head);
      assert.deepEqual(parsed(content), head);
    });
  }

  // Documents the scan leaves to the full parse: valid YAML outside the subset, and documents that are not YAML.
  const leftToParse: { name: string; content: string }[] = [
    { name: 'a kind that YAML 1.1 reads as a boolean', content: 'kind: yes\n' },
    { name: 'a kind that is a number', content: 'kind: 12\n' },
    { name: 'a kind in a block scalar', content: 'kind: |\n  Secret\n' },
    { name: 'an anchor and an alias', content: 'a: &x 1\nkind: *x\n' },
    { name: 'a merge key', content: '<<:\n  kind: Secret\n' },
    { name: 'a tag', content: 'kind: !!str Secret\n' },
    { name: 'a flow map with content', content: '{kind: Secret}\n' },
    { name: 'a multi-line plain scalar', content: 'kind: Config\n  Map\n' },
    { name: 'a multi-line quoted scalar', content: 'kind: "Config\n  Map"\n' },
    { name: 'an escape in double quotes', content: 'kind: "Se\\u0063ret"\n' },
    { name: 'a tab', content: 'kind: Secret\ndata:\n\ta: 1\n' },
    { name: 'CRLF line ends', content: 'kind: Secret\r\n' },
    { name: 'a byte order mark', content: '\ufeffkind: Secret\n' },
    { name: 'a key with a space before its colon', content: 'kind : Secret\n' },
    { name: 'an explicit key', content: '? kind\n: Secret\n' },
    { name: 'a directive', content: '%YAML 1.1\nkind: Secret\n' },
    { name: 'a document end marker', content: 'kind: Secret\n...\n' },
    { name: 'a block scalar with an indentation indicator', content: 'a: |2\n   x\nkind: Secret\n' },
    { name: 'a block scalar line less indented than its first line', content: 'a: |\n    x\n  y\nkind: Secret\n' },
    { name: 'nesting deeper than the scan follows', content: `${Array.from({ length: 80 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} 1\n` },
    // Not YAML: the full parse throws Helm's error.
    { name: 'a line without a colon', content: 'a: b\ninvalid' },
    { name: 'a map inside a plain value', content: 'kind: a: b\n' },
    { name: 'text after a quoted value', content: 'kind: "Secret" x\n' },
    { name: 'a key less indented than its siblings', content: 'metadata:\n    name: a\n  labels: {}\n' },
    { name: 'a sequence entry among map keys', content: 'a:\n  b: 1\n  - c\n' },
    { name: 'an unterminated quote', content: 'kind: "Secret\n' },
    { name: 'a reserved character', content: 'kind: @Secret\n' },
  ];
  for (const { name, content } of leftToParse) {
    it(`leaves to the full parse ${name}`, () => assert.equal(scanManifestHead(content), undefined));
  }

  it('sorts a document the scan leaves aside by its full parse, and names the file of one that is not YAML', () => {
    const files = new Map([['c/templates/a.yaml', 'kind: !!str Service\n---\nkind: Deployment\n---\n{kind: Job, metadata: {annotations: {helm.sh/hook: test}}}\n']]);
    const { manifests, hooks } = sortManifests(files);
    assert.deepEqual(manifests.map(m => m.kind), ['Service', 'Deployment']);
    assert.deepEqual(hooks.map(h => [h.kind, h.hookEvents]), [['Job', ['test']]]);
    assert.throws(() => sortManifests(new Map([['c/templates/x.yaml', 'kind: Secret\nmetadata:\n  name: a\n   labels: {}\n']])),
      (error: Error) => error instanceof ManifestError && /^YAML parse error on c\/templates\/x.yaml: error converting YAML to JSON: yaml: /.test(error.message));
  });

  it('agrees with the full parse on thousands of mutated documents: a head it reads is the parse\'s, and it reads only YAML', () => {
    const seeds = [DEPLOYMENT, ...scanned.map(s => s.content), ...leftToParse.map(s => s.content)];
    const pieces = [' ', '  ', '\n', '\n  ', ':', ': ', '- ', '-', '#', ' #', '"', "'", '|', '>', '{', '}', '[', ']', '{}', 'kind', 'kind: ', 'metadata:\n  annotations:\n    helm.sh/hook: ', 'x', '1', 'yes', '&a ', '*a', '!', ',', '?', '%', '@', '<<: ', '...', '---', '\t', 'null'];
    let seed = 20261201;
    const random = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    let read = 0;
    for (let i = 0; i < 6000; i++) {
      let text = seeds[random(seeds.length)];
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const at = random(text.length + 1);
        const cut = random(4) === 0 ? random(6) : 0;
        text = text.slice(0, at) + (random(3) === 0 ? '' : pieces[random(pieces.length)]) + text.slice(at + cut);
      }
      const head = scanManifestHead(text);
      if (head === undefined) continue;
      read++;
      assert.deepEqual(parsed(text), head, `the scan and the full parse differ on ${JSON.stringify(text)}`);
    }
    // The mutations keep many documents inside the subset, so the comparison above is made often.
    assert.ok(read > 1000, `only ${read} mutated documents read by the scan`);
  });
});
