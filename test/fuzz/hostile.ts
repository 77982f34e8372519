// Files built to hurt a YAML tool: alias bombs, extreme nesting, huge sizes, binary and broken encodings.
// `heavy` ones are large (megabytes) and cost seconds per case, so they are picked less often.
import { Random } from './random';

export interface Hostile { name: string; weight: number; heavy?: boolean; build(random: Random, seed: Buffer): Buffer }

const MB = 1 << 20;

const POD = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: ${name}
    image: nginx:1.27
    command: ["sh", "-c", "chmod -R a-w / && run"]${extra}
`;

function repeatTo(size: number, make: (i: number) => string, prefix = ''): string {
  const parts = [prefix];
  let length = prefix.length;
  for (let i = 0; length < size; i++) {
    const part = make(i);
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}

/** Nine names each standing for nine copies of the previous: 9^levels nodes once expanded. */
function billionLaughs(levels: number, leaf: string, wrap: (items: string) => string): string {
  let text = `l0: &l0 ${leaf}\n`;
  for (let i = 1; i <= levels; i++) text += `l${i}: &l${i} ${wrap(Array(9).fill(`*l${i - 1}`).join(', '))}\n`;
  return text;
}

const text = (value: string) => Buffer.from(value);

export const HOSTILE: readonly Hostile[] = [
  { name: 'alias bomb (billion laughs)', weight: 2, build: r => text(billionLaughs(r.between(6, 12), '"lol"', items => `[${items}]`)) },
  { name: 'alias bomb in a List', weight: 2, build: r => text(
    'apiVersion: v1\nkind: List\n' + billionLaughs(r.between(5, 9), '{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: nginx}]}}',
      items => `{apiVersion: v1, kind: List, items: [${items}]}`) + `items: [*l${5}]\n`) },
  { name: 'aliases repeated over many containers', weight: 1, build: r => {
    const big = `{${Array.from({ length: 100 }, (_, i) => `k${i}: v`).join(', ')}}`;
    const containers = Array.from({ length: r.between(10, 2000) }, (_, i) => `  - {name: c${i}, image: nginx, securityContext: *big, env: *big}\n`);
    return text(`apiVersion: v1\nkind: Pod\nmetadata: {name: aliases}\nx-big: &big ${big}\nspec:\n  containers:\n${containers.join('')}`);
  } },
  { name: 'self-referencing alias', weight: 1, build: r => text(r.pick([
    'a: &a [*a]\n', 'apiVersion: v1\nkind: Pod\nspec: &s {containers: [{name: a, securityContext: *s}]}\n',
    'apiVersion: v1\nkind: List\nitems: &i [{apiVersion: v1, kind: List, items: *i}]\n', '&a a: *a\n',
  ])) },
  { name: 'deep flow nesting', weight: 2, build: r => {
    const depth = r.pick([300, 1000, 100_000]);
    return text(r.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{a: '.repeat(depth) + 'x' + '}'.repeat(depth));
  } },
  { name: 'deep block nesting', weight: 2, build: r => {
    const depth = r.pick([300, 1000, 100_000]);
    const shape = r.int(3);
    if (shape === 0) return text('- '.repeat(depth) + 'x\n');
    if (shape === 1) return text(Array.from({ length: Math.min(depth, 2000) }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n') + ' x\n');
    return text(POD('deep').replace('spec:\n', 'spec:\n  extra:\n' + Array.from({ length: Math.min(depth, 2000) }, (_, i) => ' '.repeat(i + 4) + '- ').join('\n') + 'x\n'));
  } },
  { name: 'nesting at the limit', weight: 2, build: r => {
    const depth = r.between(200, 260);
    return text(POD('limit').replace('spec:\n', `spec:\n  extra: ${'['.repeat(depth)}${']'.repeat(depth)}\n`));
  } },
  { name: '10 MB stream of manifests', weight: 0.1, heavy: true, build: (_, seed) => text(repeatTo(10 * MB, i => `---\n${i % 7 ? seed.toString('utf8') : POD(`p${i}`)}`)) },
  { name: '10 MB single manifest', weight: 0.1, heavy: true, build: r => text(r.chance(0.5)
    ? repeatTo(10 * MB, i => `  key${i}: "${'v'.repeat(100)}"\n`, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\n  annotations:\n')
    : repeatTo(10 * MB, i => `    # ${'padding '.repeat(12)}\n    env${i}: x\n`, POD('big', '\n    securityContext:\n      readOnlyRootFilesystem: false\n  extra:\n'))) },
  { name: '1 MB single line', weight: 0.3, heavy: true, build: r => text(r.pick([
    () => `{apiVersion: v1, kind: Pod, metadata: {name: x}, spec: {containers: [{name: a, image: nginx, command: [sh, -c, "${'chmod a-w / ; '.repeat(MB / 14)}"]}]}}`,
    () => `apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [${Array.from({ length: MB / 40 }, (_, i) => `{name: c${i}, image: nginx}`).join(', ')}]}\n`,
    () => 'a'.repeat(MB),
    () => `key: ${'x '.repeat(MB / 2)}\n`,
  ])()) },
  { name: 'many containers', weight: 1, build: r => text(repeatTo(r.pick([100_000, 400_000]), i => `  - name: c${i}\n    image: nginx\n    command: ["sh", "-c", "chmod -R a-w /"]\n`,
    'apiVersion: v1\nkind: Pod\nmetadata: {name: many}\nspec:\n  containers:\n')) },
  { name: 'binary bytes', weight: 2, build: r => {
    const bytes = Buffer.alloc(r.between(1, 64 * 1024));
    const noNul = r.chance(0.5);
    for (let i = 0; i < bytes.length; i++) bytes[i] = noNul ? r.between(1, 255) : r.int(256);
    return bytes;
  } },
  { name: 'invalid UTF-8', weight: 2, build: (r, seed) => {
    const bytes = Buffer.from(seed);
    for (let n = r.between(1, 20); n > 0 && bytes.length; n--) bytes[r.int(bytes.length)] = r.pick([0x80, 0xbf, 0xc0, 0xc3, 0xed, 0xf5, 0xff]);
    return bytes;
  } },
  { name: 'byte order marks', weight: 1, build: (_, seed) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), seed, Buffer.from('---\n\ufeff'), seed]) },
  { name: 'mixed CR, CRLF and LF', weight: 2, build: (r, seed) => text(seed.toString('utf8').replace(/\n/g, () => r.pick(['\n', '\r\n', '\r']))) },
  { name: 'many empty documents', weight: 1, build: r => text(r.pick(['---\n', '--- \n...\n', '---\n#\n']).repeat(r.pick([10_000, 100_000]))) },
  { name: 'many anchors', weight: 1, build: r => text(repeatTo(r.pick([100_000, 500_000]), i => `a${i}: &a${i} [*a${Math.max(0, i - 1)}]\n`, 'a0: &a0 x\n')) },
  { name: 'long indentation', weight: 1, build: r => text(`apiVersion: v1\nkind: Pod\nspec:\n${' '.repeat(r.pick([1000, 100_000]))}containers: []\n`) },
  { name: 'long key', weight: 1, build: r => text(`${'k'.repeat(r.pick([1024, 100_000]))}: v\napiVersion: v1\nkind: Pod\n`) },
  { name: 'control characters', weight: 1, build: (r, seed) => text(seed.toString('utf8').replace(/ /g, () => (r.chance(0.05) ? String.fromCharCode(r.between(1, 31)) : ' '))) },
];
