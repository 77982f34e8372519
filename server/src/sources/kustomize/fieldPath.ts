// Dotted field paths as `vars` (`fieldref.fieldpath`) and `replacements` (`fieldPath`, `fieldPaths`) write them:
// `spec.template.spec.containers[0].image`, `spec.containers.0.image`, `spec.containers.[name=web].image`,
// `spec.containers.*.image`; dots inside brackets do not split (kustomize api/filters/replacement and kyaml's
// PathGetter, https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/replacements/).
import { Origin } from '../origin';
import { emptyMap, get, getString, KMap, KNode, set } from './tree';

/** `a.b[0].[name=x]` -> ['a', 'b', '[0]', '[name=x]']. */
export function splitFieldPath(path: string): string[] {
  const segments: string[] = [];
  let current = '';
  let depth = 0;
  for (const char of path) {
    if (char === '[') {
      if (depth === 0 && current !== '') {
        segments.push(current);
        current = '';
      }
      depth++;
    } else if (char === ']') depth = Math.max(0, depth - 1);
    if (char === '.' && depth === 0) {
      if (current !== '') segments.push(current);
      current = '';
      continue;
    }
    current += char;
    if (char === ']' && depth === 0) {
      segments.push(current);
      current = '';
    }
  }
  if (current !== '') segments.push(current);
  return segments;
}

/** A place in an object: the node found there, and how to replace it. */
export interface FieldSlot {
  node: KNode;
  replace(value: KNode): void;
}

/** The nodes at `path` in `root`; a `*` or a `[key=value]` matching several items gives several. */
export function findFields(root: KNode, path: string): FieldSlot[] {
  return walk(root, splitFieldPath(path), 0, undefined);
}

function walk(node: KNode, segments: string[], index: number, replace: ((value: KNode) => void) | undefined): FieldSlot[] {
  if (index === segments.length) return replace ? [{ node, replace }] : [{ node, replace: () => undefined }];
  const segment = segments[index];
  if (node.kind === 'seq') {
    const items = selectItems(node.items, segment);
    return items.flatMap((i) => walk(node.items[i], segments, index + 1, (value) => (node.items[i] = value)));
  }
  if (node.kind !== 'map') return [];
  if (segment === '*') return node.entries.flatMap((entry) => walk(entry.value, segments, index + 1, (value) => (entry.value = value)));
  const key = unbracket(segment);
  const entry = node.entries.find((e) => e.key === key);
  if (!entry) return [];
  return walk(entry.value, segments, index + 1, (value) => (entry.value = value));
}

/** The indexes of the items a segment picks: `*`, `0`, `[0]`, `[key=value]`. */
function selectItems(items: KNode[], segment: string): number[] {
  if (segment === '*') return items.map((_, i) => i);
  const inner = unbracket(segment);
  if (/^-?\d+$/.test(inner)) {
    const at = Number(inner) < 0 ? items.length + Number(inner) : Number(inner);
    return at >= 0 && at < items.length ? [at] : [];
  }
  const equals = inner.indexOf('=');
  if (equals < 0) return [];
  const key = inner.slice(0, equals);
  const wanted = inner.slice(equals + 1);
  return items.flatMap((item, i) => (getString(item, key) === wanted ? [i] : []));
}

function unbracket(segment: string): string {
  return segment.startsWith('[') && segment.endsWith(']') ? segment.slice(1, -1) : segment;
}

/**
 * The node at `path`, made when absent (replacements' `options.create`): maps for plain keys, a new item for a
 * `[key=value]` that matches none. Indexes and `*` are never created.
 */
export function createField(root: KMap, path: string, origins: Origin[]): FieldSlot | undefined {
  const segments = splitFieldPath(path);
  let node: KNode = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    if (node.kind === 'seq') {
      const picked = selectItems(node.items, segment);
      if (picked.length > 0) {
        node = node.items[picked[0]];
        continue;
      }
      const inner = unbracket(segment);
      const equals = inner.indexOf('=');
      if (equals < 0) return undefined;
      const item = emptyMap(origins);
      set(item, inner.slice(0, equals), { kind: 'scalar', plain: false, raw: inner.slice(equals + 1), value: inner.slice(equals + 1), origins });
      node.items.push(item);
      node = item;
      continue;
    }
    if (node.kind !== 'map' || segment === '*') return undefined;
    const key = unbracket(segment);
    const holder: KMap = node;
    if (last) {
      if (!get(holder, key)) set(holder, key, { kind: 'scalar', plain: true, raw: 'null', value: null, origins });
      return { node: get(holder, key)!, replace: (value) => set(holder, key, value) };
    }
    let child = get(holder, key);
    if (!child || (child.kind === 'scalar' && child.value === null)) {
      const next = segments[i + 1];
      const nextIsItem = /^\d+$/.test(unbracket(next)) || (next.startsWith('[') && next.endsWith(']') && next.includes('='));
      child = nextIsItem ? { kind: 'seq', items: [], origins } : emptyMap(origins);
      set(holder, key, child);
    }
    node = child;
  }
  return undefined;
}
