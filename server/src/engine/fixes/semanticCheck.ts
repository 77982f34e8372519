// Whether an edit changed what it says it changes: the parsed objects before and after are compared path by
// path, so an edit that also moves, drops or re-nests anything else is caught even when the text still parses.
import { FixChange, PathSegment } from '../types';

/** A path where two objects differ; `before` or `after` is undefined where the path does not exist. */
export interface Difference { path: PathSegment[]; before: unknown; after: unknown }

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/** Deep equality of parsed YAML values (plain objects, arrays, scalars, and YAML 1.1's dates, sets and binaries). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every(key => Object.hasOwn(b, key) && sameValue(a[key], b[key]));
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Set && b instanceof Set) return sameValue([...a], [...b]);
  if (a instanceof Map && b instanceof Map) return sameValue([...a], [...b]);
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) return sameValue([...new Uint8Array(a.buffer)], [...new Uint8Array(b.buffer)]);
  return false;
}

/**
 * The paths where `after` differs from `before`, as deep as both sides are maps or lists. Lists are aligned on
 * their longest common run of equal items, so items added or removed anywhere are one difference each (at their
 * index before for a removal, after for an addition), and an item changed in place is compared in depth.
 */
export function diffObjects(before: unknown, after: unknown, path: PathSegment[] = []): Difference[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const differences: Difference[] = [];
    for (const key of Object.keys(before)) {
      if (!Object.hasOwn(after, key)) differences.push({ path: [...path, key], before: before[key], after: undefined });
      else differences.push(...diffObjects(before[key], after[key], [...path, key]));
    }
    for (const key of Object.keys(after)) {
      if (!Object.hasOwn(before, key)) differences.push({ path: [...path, key], before: undefined, after: after[key] });
    }
    return differences;
  }
  if (Array.isArray(before) && Array.isArray(after)) return diffLists(before, after, path);
  return sameValue(before, after) ? [] : [{ path, before, after }];
}

/** Beyond this many item comparisons, the changed middle of two lists is reported as one block, not aligned. */
const MAX_ALIGNED = 250_000;

function diffLists(before: unknown[], after: unknown[], path: PathSegment[]): Difference[] {
  // The equal first and last items first: a fix changes few items, so the part left to align is small.
  const shorter = Math.min(before.length, after.length);
  let head = 0;
  while (head < shorter && sameValue(before[head], after[head])) head++;
  let tail = 0;
  while (tail < shorter - head && sameValue(before[before.length - 1 - tail], after[after.length - 1 - tail])) tail++;
  const removed = before.slice(head, before.length - tail);
  const added = after.slice(head, after.length - tail);
  const differences: Difference[] = [];
  /** Items between two aligned ones: changed in place when as many went as came, else removed and added. */
  const gap = (from: number[], to: number[]) => {
    if (from.length === to.length) from.forEach((i, k) => differences.push(...diffObjects(removed[i], added[to[k]], [...path, head + i])));
    else {
      for (const i of from) differences.push({ path: [...path, head + i], before: removed[i], after: undefined });
      for (const j of to) differences.push({ path: [...path, head + j], before: undefined, after: added[j] });
    }
  };
  if (removed.length * added.length > MAX_ALIGNED) {
    gap(removed.map((_, i) => i), added.map((_, j) => j));
    return differences;
  }
  // common[i][j]: the length of the longest common run of removed[i..] and added[j..].
  const n = removed.length, m = added.length;
  const common = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i][j] = sameValue(removed[i], added[j]) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  let from: number[] = [], to: number[] = [];
  for (let i = 0, j = 0; i < n || j < m;) {
    if (i < n && j < m && sameValue(removed[i], added[j]) && common[i][j] === common[i + 1][j + 1] + 1) {
      gap(from, to);
      from = []; to = [];
      i++; j++;
    } else if (j < m && (i === n || common[i][j + 1] >= common[i + 1][j])) to.push(j++);
    else from.push(i++);
  }
  gap(from, to);
  return differences;
}

/** `spec.containers[0].securityContext`, with keys that are not plain words quoted: `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]`
    : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment) ? `${i ? '.' : ''}${segment}` : `[${JSON.stringify(segment)}]`)).join('') || '(the document)';
}

const samePath = (a: readonly PathSegment[], b: readonly PathSegment[]) => a.length === b.length && a.every((segment, i) => segment === b[i]);

function explains(change: FixChange, difference: Difference): boolean {
  if (!samePath(change.path, difference.path)) return false;
  if (change.kind === 'set') return difference.after !== undefined && sameValue(difference.after, change.value);
  if (change.kind === 'removed') return difference.after === undefined;
  return difference.before !== undefined && difference.after !== undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value, (_, item: unknown) => (item instanceof Set || item instanceof Map ? [...item] : item));
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * What is wrong with `after` as the result of `changes` made to `before`: every difference must be one that a
 * change names (same path, and the value it names), and every change must show as a difference. Empty when right.
 * `at` is where `before` and `after` sit in their document, when they are a part of it.
 */
export function unexplainedDifferences(before: unknown, after: unknown, changes: readonly FixChange[], at: PathSegment[] = []): string[] {
  const differences = diffObjects(before, after, at);
  // A change explains only a difference at its own path: both are looked up by path, so that fixing every container
  // of a List of thousands costs as many lookups, not their square.
  const changesAt = byPath(changes, change => change.path);
  const differencesAt = byPath(differences, difference => difference.path);
  const problems: string[] = [];
  for (const difference of differences) {
    if (!changesAt.get(pathKey(difference.path))?.some(change => explains(change, difference))) {
      problems.push(`${formatPath(difference.path)} changed from ${describe(difference.before)} to ${describe(difference.after)}, which the fix does not name`);
    }
  }
  for (const change of changes) {
    if (!differencesAt.get(pathKey(change.path))?.some(difference => explains(change, difference))) {
      const wanted = change.kind === 'set' ? `set to ${describe(change.value)}` : change.kind;
      problems.push(`${formatPath(change.path)} was to be ${wanted}, but is not`);
    }
  }
  return problems;
}

/** A path as a key: numbers and strings stay apart (`[0]` is not `["0"]`). */
const pathKey = (path: readonly PathSegment[]) => JSON.stringify(path);

function byPath<T>(items: readonly T[], pathOf: (item: T) => readonly PathSegment[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const key = pathKey(pathOf(item));
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  }
  return map;
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/**
 * The volumeMounts that name no volume of their pod, as `path: name`. A pod spec is any map with a `containers`
 * list, wherever it sits (a Pod, a template, a List item), so this needs no knowledge of kinds.
 */
export function danglingVolumeMounts(root: unknown, path: PathSegment[] = []): string[] {
  const found: string[] = [];
  // One path, grown and shrunk as the walk goes: a fix-all checks every document of a stream before and after.
  const at = [...path];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) { at.push(i); walk(node[i]); at.pop(); }
      return;
    }
    if (!isPlainObject(node)) return;
    for (const key of Object.keys(node)) { at.push(key); walk(node[key]); at.pop(); }
    if (!Array.isArray(node.containers)) return;
    const volumes = new Set((Array.isArray(node.volumes) ? node.volumes : []).map(volume => (isPlainObject(volume) ? volume.name : undefined)));
    for (const list of CONTAINER_LISTS) {
      const containers = node[list];
      if (!Array.isArray(containers)) continue;
      containers.forEach((container, i) => {
        const mounts = isPlainObject(container) ? container.volumeMounts : undefined;
        if (!Array.isArray(mounts)) return;
        mounts.forEach((mount, j) => {
          const name = isPlainObject(mount) ? mount.name : undefined;
          if (!volumes.has(name)) found.push(`${formatPath([...at, list, i, 'volumeMounts', j])}: ${describe(name)}`);
        });
      });
    }
  };
  walk(root);
  return found;
}
