import * as assert from 'node:assert/strict';
import { Composer, Document, isMap, isPair, isScalar, isSeq, Parser, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { composedDashes, composePlainBlockYaml } from '../../server/src/engine/plainBlockYaml';
import { parseBounded } from '../../server/src/engine/limits';
import { dashOffset } from '../../server/src/engine/fixes/layout';

const VERSIONS = ['1.1', '1.2'] as const;

function composeWithYaml(text: string, version: '1.1' | '1.2'): Document[] {
  return Array.from(new Composer({ version, prettyErrors: false, uniqueKeys: false, keepSourceTokens: true }).compose(new Parser().parse(text)));
}

/** Everything a node holds but its source tokens, with the class it is made of and its own properties in order. */
function canonical(value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(canonical);
  const node: Record<string, unknown> = { class: value.constructor?.name, map: isMap(value), seq: isSeq(value), scalar: isScalar(value), pair: isPair(value) };
  for (const [key, item] of Object.entries(value)) if (key !== 'srcToken') node[key] = canonical(item);
  return node;
}

function canonicalDocument(doc: Document): unknown {
  const { _directives, ...options } = doc.options as Record<string, unknown>;
  void _directives;
  return canonical({
    range: doc.range, contents: doc.contents, comment: doc.comment, commentBefore: doc.commentBefore,
    errors: doc.errors.length, warnings: doc.warnings.length, directives: { ...doc.directives }, options,
    schema: doc.schema.name, js: doc.toJS(), text: doc.toString(),
  });
}

/** The dash offsets yaml's source tokens give for each block sequence, in document order. */
function dashesOf(node: unknown, read: (seq: YAMLSeq, index: number) => number, out: number[][] = []): number[][] {
  if (isSeq(node)) {
    if (!node.flow) out.push(node.items.map((_, index) => read(node, index)));
    for (const item of node.items) dashesOf(item, read, out);
  } else if (isMap(node)) {
    for (const pair of node.items) dashesOf(pair.value, read, out);
  }
  return out;
}
const tokenDash = (seq: YAMLSeq, index: number) => (seq.srcToken as { items: { start: { type: string; offset: number }[] }[] }).items[index].start.find(part => part.type === 'seq-item-ind')!.offset;

/** Asserts that the text is taken, and composed into what yaml composes, with the dashes where yaml finds them. */
function assertSame(text: string): void {
  for (const version of VERSIONS) {
    const plain = composePlainBlockYaml(text, { version }, 256);
    assert.ok(plain, `not taken (YAML ${version}): ${JSON.stringify(text)}`);
    const general = composeWithYaml(text, version);
    assert.deepEqual(plain.map(canonicalDocument), general.map(canonicalDocument), JSON.stringify(text));
    assert.deepEqual(dashesOf(plain[0].contents, (seq, index) => composedDashes.get(seq)![index]), dashesOf(general[0].contents, tokenDash), JSON.stringify(text));
  }
}

/** A random document of the subset: maps and sequences (compact or indented) of one-line scalars of every kind. */
function randomDocument(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const words = ['name', 'nginx', 'image', 'a-b_c', 'x/y:z', 'http://h:80/p', 'a#b', 'a:b', '-x', '?q', 'éà', 'yes', 'No', 'on', 'OFF', 'y', 'n', 'Y',
    '~', 'null', 'Null', 'true', 'False', 'TRUE', '0755', '0o755', '0x1F', '0b101', '12', '-3', '+4', '1_000', '1e3', '.5', '-.inf', '.NaN', '1.5',
    '12:30:00', '190:20:30.15', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '1.0.0', 'nginx:1.27', '10Gi', '"quoted"', "'single'", "'it''s'",
    '"a b"', '" padded "', '{}', '[]', 'a b c', 'truey', 'nullable', 'offset', 'yesterday', '|', '|-'];
  const flow = (depth: number): string => {
    const count = Math.floor(random() * 4);
    const entry = () => (depth < 3 && random() < 0.3 ? flow(depth + 1) : pick(flowWords));
    const space = () => pick(['', ' ', '  ']);
    return random() < 0.5
      ? `[${space()}${Array.from({ length: count }, entry).join(`${space()},${pick([' ', '  '])}`)}${count ? space() : ''}]`
      : `{${space()}${Array.from({ length: count }, () => `${pick(flowWords)}${space()}: ${entry()}`).join(`, `)}${count ? space() : ''}}`;
  };
  const scalar = (): string => (random() < 0.1 ? flow(0) : pick(words));
  const flowWords = ['a', 'nginx:1.27', '"q"', "'s'", 'yes', '12', '-1', 'a b', 'x:y', '~', '"with, comma"'];
  const key = (): string => pick(['name', 'image', 'spec', '"quoted key"', "'single key'", 'a.b/c', 'on', 'y', '12', 'true', 'key with spaces', 'x-y', 'no']);
  const lines: string[] = [];
  const blank = () => { if (random() < 0.1) lines.push(random() < 0.5 ? '' : '   '); };
  /** A line, and the body of the literal block scalar it may end with, indented by `body`. */
  const push = (line: string, body: number): void => {
    lines.push(line);
    if (!/ \|-?$/.test(line)) return;
    const count = 1 + Math.floor(random() * 3);
    for (let j = 0; j < count; j++) {
      if (j > 0 && random() < 0.2) lines.push('');
      lines.push(`${' '.repeat(body + (j > 0 && random() < 0.2 ? 2 : 0))}${pick(['echo "$1"', '#!/bin/sh', 'a: b', '- x', 'text  '])}`);
    }
  };
  const plainEnd = (value: string, end: string) => (/^[[{|]/.test(value) ? '' : end);
  /** Items at `indent`: a map's pairs, or a sequence's items unless `mapOnly` (the rest of a map begun on a dash's line). */
  const block = (indent: number, depth: number, mapOnly = false): void => {
    const pad = ' '.repeat(indent);
    const asSequence = !mapOnly && depth > 0 && random() < 0.3;
    const count = (mapOnly ? 0 : 1) + Math.floor(random() * 4);
    for (let i = 0; i < count; i++) {
      blank();
      const lead = pad;
      if (asSequence) {
        if (depth < 4 && random() < 0.4) {
          push(`${lead}- ${key()}: ${scalar()}`, indent + 4);
          block(indent + 2, depth + 1, true);
        } else {
          const value = scalar();
          push(`${lead}- ${value}${plainEnd(value, random() < 0.1 ? '  ' : '')}`, indent + 2);
        }
      } else if (depth < 4 && random() < 0.4) {
        lines.push(`${lead}${key()}:${random() < 0.1 ? ' ' : ''}`);
        const compact = random() < 0.3;
        if (compact) {
          const count = 1 + Math.floor(random() * 3);
          for (let j = 0; j < count; j++) push(`${pad}- ${pick([scalar(), `${key()}: ${scalar()}`])}`, indent + 4);
        } else {
          block(indent + pick([2, 4]), depth + 1);
        }
      } else {
        if (random() < 0.05 && i > 0 && lines[lines.length - 1].trim() && !lines[lines.length - 1].startsWith(`${pad}- `)) lines.push(`${lead}# note ${i}`);
        const value = scalar();
        push(`${lead}${key()}: ${value}${plainEnd(value, random() < 0.1 ? pick([' # trailing', '  #x', ' #  spaced  ']) : '')}`, indent + 2);
      }
    }
  };
  block(0, 0);
  let text = lines.join('\n');
  const start = random() < 0.3 ? '---\n' : random() < 0.1 ? '\n\n' : '';
  const comment = start !== '\n\n' && !/^\s/.test(text) && random() < 0.2 ? '# Source: x/templates/y.yaml\n' : '';
  text = start + comment + text + pick(['\n', '', '\n\n', '\n  \n']);
  return text;
}

/** A small deterministic generator (mulberry32). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('plain block YAML composer', () => {
  it('composes a manifest into the nodes yaml composes, with the same values, styles, ranges and blank-line marks', () => {
    assertSame([
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  labels: {}',
      '  annotations:',
      '    "example.com/quoted": \'it\'\'s\'',
      '',
      'spec:',
      '  replicas: 3',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: nginx:1.27   ',
      '        args: []',
      '        ports:',
      '          - containerPort: 8080',
      '',
      '          - containerPort: 0x1F',
      '      - name: sidecar',
      '        command:',
      '        - sh',
      '        - -c',
      '',
    ].join('\n'));
  });

  it('resolves plain scalars by the schema of each YAML version', () => {
    for (const word of ['yes', 'No', 'on', 'OFF', 'y', 'N', '~', 'null', 'NULL', 'true', 'False', '0755', '0o755', '0x1F', '0b101', '-3', '+4', '1_000',
      '1e3', 'e3', 'E12345678', 'e', '.5', '-.inf', '.NaN', '12:30:00', '190:20:30.15', '2001-12-14', '2001-12-14t21:59:43.10-05:00', 'nginx', 'truey', 'offset',
      'yesterday']) {
      assertSame(`key: ${word}\n${word}: value\n`);
    }
    const value = (version: '1.1' | '1.2', word: string) => ((composePlainBlockYaml(`k: ${word}\n`, { version }, 256)![0].contents as YAMLMap).items[0].value as Scalar).value;
    assert.equal(value('1.1', 'yes'), true);
    assert.equal(value('1.2', 'yes'), 'yes');
    assert.equal(value('1.1', '0755'), 493);
    assert.equal(value('1.2', '0755'), 755);
  });

  it('composes roots that are indented, sequences, or follow blank lines, and sequences flush with their key', () => {
    for (const text of ['  a: 1\n  b: 2\n', '- a\n- b: 1\n  c: 2\n', '\n\na: 1\n\n', '---\n\na: 1\n', 'a:\n- 1\n- 2\nb: 3', 'a: "x"', 'a:\n    b:\n      - c\n']) {
      assertSame(text);
    }
  });

  it('composes 2,000 random documents of its subset as yaml does', () => {
    const random = seeded(16);
    for (let i = 0; i < 2000; i++) assertSame(randomDocument(random));
  });

  it('takes the comment lines right above the content, as Helm writes them, where yaml puts them', () => {
    for (const text of ['---\n# Source: chart/templates/deployment.yaml\napiVersion: v1\nkind: Pod\n', '# Source: a.yaml\n#  more\napiVersion: v1\n',
      '# S\n- a\n- b\n', '---\n# S\n- a\n', '---\n# S\n  a: 1\n']) assertSame(text);
    for (const text of ['---\n# S\n\na: 1\n', '# S\n\na: 1\n', '#\na: 1\n', '# S\n{a: 1}\n', 'a: 1\n# S\n']) {
      for (const version of VERSIONS) assert.equal(composePlainBlockYaml(text, { version }, 256), undefined, JSON.stringify(text));
    }
  });

  it('takes comments after a scalar on its line and comment lines at the indent of the key below them', () => {
    for (const text of ['a: 1 # c\nb: 2\n', 'a: 1\n# c\nb: 2\n', 'a:\n  x: 1\n# c\n# d\nb: 2\n', 'a:\n- 1 # c\n- "2"   #d\n', "a: 'x' # c  \n",
      'a:\n  x: 1\n  # c\n  y: 2 #\tc\n', 'image: nginx#1 # c\n', 'a: b # c: d\n']) {
      for (const version of VERSIONS) {
        const plain = composePlainBlockYaml(text, { version }, 256);
        if (plain) assert.deepEqual(plain.map(canonicalDocument), composeWithYaml(text, version).map(canonicalDocument), JSON.stringify(text));
      }
    }
    for (const text of ['a: 1 # c\nb: 2\n', 'a: 1\n# c\nb: 2\n', 'a:\n  x: 1\n# c\n# d\nb: 2\n', 'a:\n- 1 # c\n- "2"   #d\n', 'image: nginx#1 # c\n']) assertSame(text);
    for (const text of ['a:\n  x: 1\n  # c\nb: 2\n', 'a: 1\n\n# c\nb: 2\n', 'a: 1\n# c\n\nb: 2\n', 'a:\n- 1\n# c\n- 2\n', 'a: # c\n  x: 1\n', 'a:\n  # c\n  x: 1\n',
      'a: 1\n# c\n', 'a: {x: 1} # c\n', 'a: 1 #\n']) {
      for (const version of VERSIONS) assert.equal(composePlainBlockYaml(text, { version }, 256), undefined, JSON.stringify(text));
    }
  });

  it('composes literal block scalars, with their empty lines, deeper lines and chomping as yaml does', () => {
    for (const text of ['a: |\n  x\n  y\nb: 1\n', 'a: |-\n    x\n\n    y\nb: 1\n', 'a:\n- |\n  echo\n- x\n', 'a: |\n  x\n\nb: 1\n', 'a: |\n  x\n', 'a: |\n  x',
      '- |\n x\n', 'a: |\n  x\n   y\n  z\n', 'a: |\n  x\n   \n  z\n', 'a: |-\n  x\n\n\nb: 1\n', 'a: |\n  x\n  #y\nb: 1\n', 'a: |\n  x\n     \nb: 1\n', 'a: |-\n  x\n   \n\nb: 1\n', 'a: |\n  x\n   ', 'a:\n  b: |\n    #!/bin/sh\n    echo "$1" # c\n  c: 1\n']) {
      assertSame(text);
    }
    for (const text of ['a: >\n  x\n', 'a: |+\n  x\n', 'a: |2\n  x\n', 'a: | # c\n  x\n', 'a: |\n\n  x\n', 'a: |\nb: 1\n', 'a:\n  b: |\n  x\n', 'a: |\n  x\ty\n']) {
      for (const version of VERSIONS) assert.equal(composePlainBlockYaml(text, { version }, 256), undefined, JSON.stringify(text));
    }
  });

  it('composes flow collections, on one line or over several, in block collections or as the root', () => {
    for (const text of [
      '{a: b, c: [1, "x" , y], d: {}, "e": f}\n', 'k: {a: b}  \n', '{\n  "a": "b",\n  "c": [\n    1\n  ]\n}\n', '- {name: c, image: "nginx:1.27"}\n- [a, b]\n',
      'k: [a,\n  b]\nz: 1\n', 'k: [ a , b ]\n', 'k: {a : b}\n', '[a:b, c:d, "e:f"]\n', 'k: [{a: [{}, []]}, -1, .5, 0x1F]\n', '{a: 1, a: 2}\n',
      '{apiVersion: v1, kind: List, items: [{apiVersion: v1, kind: Pod, metadata: {name: pod-0}, spec: {containers: [{name: c0, image: "nginx:1.27"}]}}]}\n',
    ]) assertSame(text);
  });

  it('takes a mutated manifest only where yaml composes it without errors, and then into the same nodes', () => {
    const random = seeded(7);
    const bases = [randomDocument(random), randomDocument(random), [
      'apiVersion: v1', 'kind: List', 'items:', '- {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: [{name: c, image: "nginx:1.27"}]}}',
      '- apiVersion: apps/v1', '  kind: Deployment', '  spec:', '    template:', '      spec:', '        containers:', '        - name: web',
      "          image: 'nginx:1.27'", '          args: [--port, "8080"]', '          securityContext: {}', '',
    ].join('\n')];
    const pieces = [':', ': ', '-', '- ', '#', ' #', '{', '}', '[', ']', ',', "'", '"', '\n', '  ', ' ', '\t', '!', '&', '*', '|', '>', '?', '%', '@', '`', '\\', 'a', '1', '---\n', '\r', '~'];
    let taken = 0;
    for (let i = 0; i < 3000; i++) {
      const base = bases[i % bases.length];
      let text = base;
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * (text.length + 1));
        const cut = random() < 0.5 ? 0 : 1 + Math.floor(random() * 3);
        text = text.slice(0, at) + (random() < 0.8 ? pieces[Math.floor(random() * pieces.length)] : '') + text.slice(at + cut);
      }
      for (const version of VERSIONS) {
        const plain = composePlainBlockYaml(text, { version }, 256);
        if (!plain) continue;
        taken++;
        const general = composeWithYaml(text, version);
        assert.deepEqual(plain.map(canonicalDocument), general.map(canonicalDocument), JSON.stringify(text));
      }
    }
    // Most mutations still leave plain YAML: the comparison ran on many of them.
    console.log(`      (${taken} of 6,000 mutated texts taken)`);
    assert.ok(taken > 1500, `only ${taken} mutated texts taken`);
  });

  it('gives up on everything outside its subset, and the engine parses those with yaml', () => {
    const outside = [
      '# comment\n\na: 1\n', 'a: 1\n# comment\n', 'a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: >\n  text\n', 'a: [1, 2,]\n', 'a: {b}\n', 'a: {b: 1} x\n', 'a: [b\n  c]\n',
      'a: {\n"b": 1}\n', 'a: [1, # c\n  2]\n', '{"a":1}\n', '[a: 1]\n', '[, a]\n', '{a: 1}\nb: 2\n', 'a: [\n---\n]\n', '[a, [b, c]',
      'a: one\n  two\n', 'a:\nb: 1\n', 'a:\tb\n', 'a: 1\r\nb: 2\r\n', '\ufeffa: 1\n', 'a: 1\n---\nb: 2\n', 'a: 1\n...\n', '- - a\n', '-\n  a: 1\n',
      'a: b: c\n', 'a: "x\\ty"\n', '%YAML 1.1\n---\na: 1\n', '? a\n: b\n', '<<: {}\n', 'a: 1\n b: 2\n', 'a:\n  - 1\n b: 2\n', 'a: 1\n- b\n',
      '--- a: 1\n', 'just a scalar\n', '', '\n', 'a: "unterminated\n', 'a: @b\n', 'a: `b`\n', 'a: %b\n', 'a: b:\n', 'key:value\n',
    ];
    for (const text of outside) {
      for (const version of VERSIONS) assert.equal(composePlainBlockYaml(text, { version }, 256), undefined, JSON.stringify(text));
      const bounded = parseBounded(text, { version: '1.1' });
      assert.ok(Array.isArray(bounded));
      assert.deepEqual(bounded.map(doc => doc.toJS()), composeWithYaml(text, '1.1').map(doc => doc.toJS()), JSON.stringify(text));
    }
  });

  it('gives up past the nesting limit, where the engine reports the depth', () => {
    const nested = (levels: number) => Array.from({ length: levels }, (_, i) => `${' '.repeat(2 * i)}k:`).join('\n') + ' 1\n';
    assert.ok(composePlainBlockYaml(nested(4), { version: '1.1' }, 4));
    assert.equal(composePlainBlockYaml(nested(5), { version: '1.1' }, 4), undefined);
  });

  it('serves the engine: its nodes answer yaml\'s type checks, clone, and give the dash offsets fixes read', () => {
    const text = 'spec:\n  containers:\n  - name: a\n  -   name: b\n';
    const docs = parseBounded(text, { version: '1.1' });
    assert.ok(Array.isArray(docs));
    const containers = (docs[0].contents as YAMLMap).getIn(['spec', 'containers'], true) as YAMLSeq;
    assert.ok(isSeq(containers) && containers instanceof YAMLSeq && composedDashes.has(containers));
    assert.deepEqual([dashOffset(containers, 0), dashOffset(containers, 1)], [22, 34]);
    const copy = docs[0].clone();
    assert.ok(isMap(copy.contents));
    assert.equal(copy.toString(), composeWithYaml(text, '1.1')[0].toString());
    assert.equal(docs[0].getIn(['spec', 'containers', 1, 'name']), 'b');
  });

  it('reports duplicate keys on the documents it composes as on the others', () => {
    const docs = parseBounded('a: 1\nb: 2\na: 3\n', { version: '1.1' });
    assert.ok(Array.isArray(docs));
    assert.deepEqual(docs[0].errors.map(error => [error.code, error.pos]), [['DUPLICATE_KEY', [10, 11]]]);
  });
});
