// One fixed file of each hostile kind, for the CLI and protocol tests (the fuzzer builds random variants).
const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n';

function billionLaughsList(): string {
  let text = 'apiVersion: v1\nkind: List\nl0: &l0 {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a}]}}\n';
  for (let i = 1; i <= 9; i++) text += `l${i}: &l${i} {apiVersion: v1, kind: List, items: [${Array(9).fill(`*l${i - 1}`).join(', ')}]}\n`;
  return text + 'items: [*l9]\n';
}

export interface Sample { name: string; bytes: Buffer }

export const NORMAL_POD = POD;

export const SAMPLES: readonly Sample[] = [
  { name: 'an alias bomb', bytes: Buffer.from(billionLaughsList()) },
  { name: '100,000 levels of flow sequences', bytes: Buffer.from(`${POD}x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`) },
  { name: '100,000 levels of block sequences', bytes: Buffer.from(`${POD}x:\n  ${'- '.repeat(100_000)}x\n`) },
  { name: 'binary bytes', bytes: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151) % 256)) },
  { name: 'invalid UTF-8', bytes: Buffer.concat([Buffer.from(POD.slice(0, POD.indexOf('web}'))), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(POD.slice(POD.indexOf('}')))]) },
  { name: 'byte order marks', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(POD), Buffer.from('---\n\ufeff'), Buffer.from(POD)]) },
  { name: 'mixed CR, CRLF and LF', bytes: Buffer.from(POD.split('\n').map((line, i) => line + ['\n', '\r\n', '\r'][i % 3]).join('')) },
  { name: 'a 1 MB single line', bytes: Buffer.from(`{apiVersion: v1, kind: Pod, metadata: {name: x}, spec: {containers: [{name: a, image: nginx, command: [sh, -c, "${'chmod a-w / ; '.repeat(80_000)}"]}]}}`) },
  { name: 'a map of 50,000 keys', bytes: Buffer.from(POD.replace('metadata: {name: web}\n', `metadata:\n  name: web\n  annotations:\n${Array.from({ length: 50_000 }, (_, i) => `    k${i}: v\n`).join('')}`)) },
];
