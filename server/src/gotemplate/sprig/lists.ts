// Sprig's list functions (list.go). Lists are copied, never changed in place; the `must` variants return the error
// the plain ones panic with, which Go's template reports the same way, so both throw here.
import { copyEntryOrigin, GoFunction, passThrough } from '../values';
import { asList, deepEqual, intArg, isEmpty, kindOf, plain } from './convert';

/** A list argument, or Sprig's error naming what it got (`Cannot push on type map`). */
function listArg(value: unknown, message: (kind: string) => string): unknown[] {
  const list = asList(value);
  if (!list) throw new Error(message(kindOf(value)));
  return list;
}

/** A copy of `list[from:to]` that keeps the origins of the items it copies. */
function copyItems(list: unknown[], from = 0, to = list.length): unknown[] {
  const out = list.slice(from, to);
  for (let i = from; i < to; i++) copyEntryOrigin(list, i, out, i - from);
  return out;
}

function has(needle: unknown, haystack: unknown): boolean {
  if (plain(haystack) === null || plain(haystack) === undefined) return false;
  const list = listArg(haystack, kind => `Cannot find has on type ${kind}`);
  return list.some(item => deepEqual(item, needle));
}

function chunk(size: number, list: unknown[]): unknown[][] {
  if (size <= 0) throw new Error('runtime error: integer divide by zero');
  const out: unknown[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(copyItems(list, i, Math.min(i + size, list.length)));
  return out;
}

function slice(list: unknown[], indices: unknown[]): unknown {
  if (list.length === 0) return null;
  const start = indices.length > 0 ? intArg(indices[0]) : 0;
  const end = indices.length > 1 ? intArg(indices[1]) : list.length;
  if (start < 0 || end > list.length || start > end) throw new Error(`reflect: slice index out of range`);
  return copyItems(list, start, end);
}

export function listFunctions(): Record<string, GoFunction> {
  const push = (list: unknown, value: unknown) => [...copyItems(listArg(list, kind => `Cannot push on type ${kind}`)), value];
  const prepend = (list: unknown, value: unknown) => {
    const items = listArg(list, kind => `Cannot prepend on type ${kind}`);
    const out = [value, ...items];
    items.forEach((_, i) => copyEntryOrigin(items, i, out, i + 1));
    return out;
  };
  const first = passThrough((list: unknown) => {
    const items = listArg(list, kind => `Cannot find first on type ${kind}`);
    return items.length === 0 ? null : items[0];
  }, 'select');
  const last = passThrough((list: unknown) => {
    const items = listArg(list, kind => `Cannot find last on type ${kind}`);
    return items.length === 0 ? null : items[items.length - 1];
  }, 'select');
  const rest = (list: unknown) => {
    const items = listArg(list, kind => `Cannot find rest on type ${kind}`);
    return items.length === 0 ? [] : copyItems(items, 1);
  };
  const initial = (list: unknown) => {
    const items = listArg(list, kind => `Cannot find initial on type ${kind}`);
    return items.length === 0 ? [] : copyItems(items, 0, items.length - 1);
  };
  const reverse = (list: unknown) => {
    const items = listArg(list, kind => `Cannot find reverse on type ${kind}`);
    const out = [...items].reverse();
    items.forEach((_, i) => copyEntryOrigin(items, i, out, items.length - 1 - i));
    return out;
  };
  const compact = (list: unknown) => {
    const items = listArg(list, kind => `Cannot compact on type ${kind}`);
    return items.filter(item => !isEmpty(item));
  };
  const uniq = (list: unknown) => {
    const items = listArg(list, kind => `Cannot find uniq on type ${kind}`);
    const out: unknown[] = [];
    for (const item of items) if (!out.some(seen => deepEqual(seen, item))) out.push(item);
    return out;
  };
  const without = (list: unknown, ...omit: unknown[]) => {
    const items = listArg(list, kind => `Cannot find without on type ${kind}`);
    return items.filter(item => !omit.some(o => deepEqual(o, item)));
  };
  const chunkOf = (size: unknown, list: unknown) => chunk(intArg(size), listArg(list, kind => `Cannot chunk type ${kind}`));
  const sliceOf = (list: unknown, ...indices: unknown[]) => slice(listArg(list, kind => `list should be type of slice or array but ${kind}`), indices);
  return {
    list: (...items) => items,
    tuple: (...items) => items,
    append: push, push, mustAppend: push, mustPush: push,
    prepend, mustPrepend: prepend,
    first, mustFirst: first,
    last, mustLast: last,
    rest, mustRest: rest,
    initial, mustInitial: initial,
    reverse, mustReverse: reverse,
    compact, mustCompact: compact,
    uniq, mustUniq: uniq,
    without, mustWithout: without,
    has, mustHas: has,
    chunk: chunkOf, mustChunk: chunkOf,
    slice: sliceOf, mustSlice: sliceOf,
    concat: (...lists) => {
      const out: unknown[] = [];
      for (const list of lists) out.push(...listArg(list, kind => `Cannot concat type ${kind} as list`));
      return out;
    },
  };
}
