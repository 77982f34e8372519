// Small damages to a valid manifest, the kind an editor sees while someone types or pastes: each takes the
// bytes of a file and returns new bytes. Most work on the text; the encoding ones work on the bytes.
import { Random } from './random';

export interface Mutation { name: string; weight: number; apply(bytes: Buffer, random: Random): Buffer }

const text = (name: string, weight: number, apply: (text: string, random: Random) => string): Mutation =>
  ({ name, weight, apply: (bytes, random) => Buffer.from(apply(bytes.toString('utf8'), random)) });

const YAML_SPECIALS = [...'-:[]{}&*!|>\'"%@`#,?<= \t\n\r\\~'];
const NASTY = ['\0', '\u0001', '\u001b', '\u0085', '\u2028', '\u2029', '\ufeff', '\ufffd', '\ud83d\ude00', '\ud800', '\u00a0'];
const WRONG_VALUES = ['"x"', '[]', '{}', 'null', '~', '42', '-1.5e3', 'true', '[1, 2]', '{a: b}', '!!binary aGVsbG8=', '&anchor x', "''", '|\n  text'];
const SHAPED_KEYS = [
  'containers', 'initContainers', 'ephemeralContainers', 'securityContext', 'spec', 'template', 'metadata', 'command', 'args',
  'volumes', 'volumeMounts', 'env', 'capabilities', 'items', 'readOnlyRootFilesystem', 'runAsUser', 'runAsNonRoot', 'image',
  'name', 'kind', 'apiVersion', 'jobTemplate', 'lifecycle', 'startupProbe', 'exec', 'annotations', 'rules', 'verbs', 'resources',
];

function lineBounds(text: string): [number, number][] {
  const bounds: [number, number][] = [];
  for (let start = 0; start <= text.length;) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    bounds.push([start, end]);
    if (newline < 0) break;
    start = newline + 1;
  }
  return bounds;
}

function insertAt(text: string, at: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at);
}

function randomString(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    const roll = random.int(10);
    out += roll < 5 ? random.pick(YAML_SPECIALS) : roll < 8 ? String.fromCharCode(random.between(0x20, 0x7e)) : random.pick(NASTY);
  }
  return out;
}

/** The line of `key:` and the lines indented under it: [start, end) of that subtree. */
function subtree(text: string, lines: [number, number][], index: number): [number, number] {
  const indent = (line: [number, number]) => /^[ -]*/.exec(text.slice(line[0], line[1]))![0].length;
  const own = indent(lines[index]);
  let last = index;
  while (last + 1 < lines.length) {
    const next = lines[last + 1];
    const content = text.slice(next[0], next[1]);
    if (content.trim() && indent(next) <= own) break;
    last++;
  }
  return [lines[index][0], lines[last][1]];
}

export const MUTATIONS: readonly Mutation[] = [
  text('truncate', 3, (t, r) => t.slice(0, r.int(t.length + 1))),
  text('insert characters', 3, (t, r) => insertAt(t, r.int(t.length + 1), randomString(r, r.between(1, 8)))),
  text('delete characters', 3, (t, r) => {
    const at = r.int(t.length + 1);
    return t.slice(0, at) + t.slice(at + r.between(1, 24));
  }),
  text('tabs in indentation', 2, (t, r) => {
    const all = r.chance(0.3);
    return t.replace(/^( +)/gm, spaces => (all || r.chance(0.2) ? spaces.replace(/ {1,2}/g, r.chance(0.5) ? '\t' : ' \t') : spaces));
  }),
  text('duplicate key', 2, (t, r) => {
    const keyed = lineBounds(t).filter(([s, e]) => /^\s*-?\s*[\w.-]+:/.test(t.slice(s, e)));
    if (!keyed.length) return t;
    const [start, end] = r.pick(keyed);
    const line = t.slice(start, end).replace(/^(\s*)- /, '$1  ');
    return insertAt(t, end, '\n' + line);
  }),
  text('value of the wrong type', 4, (t, r) => {
    const lines = lineBounds(t);
    const keyed = lines.map((line, index) => ({ line, index })).filter(({ line: [s, e] }) => {
      const key = /^\s*(?:- )?([\w.-]+):/.exec(t.slice(s, e))?.[1];
      return key !== undefined && (SHAPED_KEYS.includes(key) || r.chance(0.1));
    });
    if (!keyed.length) return t;
    const { line, index } = r.pick(keyed);
    const [start, end] = subtree(t, lines, index);
    const key = /^(\s*(?:- )?[\w.-]+:)/.exec(t.slice(line[0], line[1]))![1];
    return t.slice(0, start) + `${key} ${r.pick(WRONG_VALUES)}` + t.slice(end);
  }),
  text('remove a subtree', 1, (t, r) => {
    const lines = lineBounds(t);
    const [start, end] = subtree(t, lines, r.int(lines.length));
    return t.slice(0, start) + t.slice(end + 1);
  }),
  text('shift indentation', 2, (t, r) => {
    const lines = lineBounds(t);
    const from = r.int(lines.length);
    const to = Math.min(lines.length, from + r.between(1, 6));
    const shift = r.pick([' ', '  ', '', '-']);
    return lines.map(([s, e], i) => (i >= from && i < to ? (shift ? shift + t.slice(s, e) : t.slice(s, e).replace(/^ /, '')) : t.slice(s, e))).join('\n');
  }),
  text('line endings', 2, (t, r) => {
    const style = r.pick(['\r\n', '\r', 'mixed']);
    return t.replace(/\r?\n/g, () => (style === 'mixed' ? r.pick(['\n', '\r\n', '\r']) : style));
  }),
  text('document markers', 2, (t, r) => {
    const lines = lineBounds(t);
    const [start] = r.pick(lines);
    return insertAt(t, start, r.pick(['---\n', '...\n', '--- |\n', '---\n---\n', '--- # c\n', '%YAML 1.2\n---\n']));
  }),
  text('repeat a line', 1, (t, r) => {
    const [start, end] = r.pick(lineBounds(t));
    return insertAt(t, end, ('\n' + t.slice(start, end)).repeat(r.between(2, 200)));
  }),
  text('anchor and alias', 2, (t, r) => {
    const values = lineBounds(t).filter(([s, e]) => /:\s*$/.test(t.slice(s, e)) || /: \S/.test(t.slice(s, e)));
    if (values.length < 2) return t;
    const [a, b] = [r.pick(values), r.pick(values)];
    const [first, second] = a[0] <= b[0] ? [a, b] : [b, a];
    const withAlias = t.slice(0, second[0]) + t.slice(second[0], second[1]).replace(/:(\s.*)?$/, ': *fuzz') + t.slice(second[1]);
    const colon = withAlias.indexOf(':', first[0]);
    return colon < 0 ? withAlias : insertAt(withAlias, colon + 1, r.chance(0.5) ? ' &fuzz' : ' &fuzz\n');
  }),
  text('indicator in place of a character', 2, (t, r) => {
    const at = r.int(t.length);
    return t.slice(0, at) + r.pick(YAML_SPECIALS) + t.slice(at + 1);
  }),
  { name: 'byte order mark', weight: 1, apply: (bytes, r) => {
    const at = r.chance(0.7) ? 0 : r.int(bytes.length + 1);
    return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xef, 0xbb, 0xbf]), bytes.subarray(at)]);
  } },
  { name: 'invalid UTF-8', weight: 2, apply: (bytes, r) => {
    const at = r.int(bytes.length + 1);
    const junk = r.pick([[0xc3], [0xff], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80, 0x80]]);
    return Buffer.concat([bytes.subarray(0, at), Buffer.from(junk), bytes.subarray(at)]);
  } },
  { name: 'random bytes', weight: 1, apply: (bytes, r) => {
    const copy = Buffer.from(bytes);
    for (let n = r.between(1, 8); n > 0 && copy.length; n--) copy[r.int(copy.length)] = r.int(256);
    return copy;
  } },
];

/** One to three mutations of a seed; returns the bytes and the names of the mutations, in order. */
export function mutate(bytes: Buffer, random: Random): { bytes: Buffer; steps: string[] } {
  const steps: string[] = [];
  for (let n = random.between(1, 3); n > 0; n--) {
    const mutation = random.weighted(MUTATIONS);
    bytes = mutation.apply(bytes, random);
    steps.push(mutation.name);
  }
  return { bytes, steps };
}
