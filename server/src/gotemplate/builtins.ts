// text/template's predefined functions (funcs.go) that take values as they are (reflect.Value in Go), so they
// see a missing value as missing: eq/ne/lt/le/gt/ge with Go's comparison rules, len, index, slice, and the
// escapers html, js and urlquery. and/or/not, print*, call are evaluated by the executor itself.

import { formatValue, goTypeName, sprint } from './fmt';
import { isGoMap, Traced } from './values';
import { compareBytes, fromUtf8, utf8, utf8Length } from './bytes';

/** A value as the executor passes it around: the value, where it came from, and whether Go sees it as interface{}. */
export interface Valued {
  v: unknown;
  o?: import('./values').DataOrigin;
  s?: readonly import('./values').TextSegment[];
  /** Read from a map or list: Go sees an interface{} (its errors name that type). */
  i?: boolean;
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';

function basicKind(value: unknown): Kind {
  if (value === undefined || value === null) return 'invalid';
  switch (typeof value) {
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'float';
    case 'string': return 'string';
  }
  return 'other';
}

export const errBadComparisonType = 'invalid type for comparison';
export const errBadComparison = 'incompatible types for comparison';
export const errNoComparison = 'missing argument for comparison';

/** Go's `eq`: true when arg1 equals any of the others. */
export function eq(arg1: unknown, ...others: unknown[]): boolean {
  if (others.length === 0) throw new Error(errNoComparison);
  const k1 = basicKind(arg1);
  for (const arg of others) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new Error(errBadComparison);
    } else if (k1 === 'other') {
      if (Array.isArray(arg1) || isGoMap(arg1) || arg1 instanceof Uint8Array) {
        throw new Error(`non-comparable type ${formatValue(arg1, 'v', { minus: false, plus: false, sharp: false, space: false, zero: false })}: ${goTypeName(arg1)}`);
      }
      truth = arg1 === arg;
    } else {
      truth = k1 === 'invalid' ? true : arg1 === arg;
    }
    if (truth) return true;
  }
  return false;
}

/** Go's `lt`. */
export function lt(arg1: unknown, arg2: unknown): boolean {
  const k1 = basicKind(arg1);
  const k2 = basicKind(arg2);
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other') throw new Error(errBadComparisonType);
  if (k1 !== k2) throw new Error(errBadComparison);
  if (k1 === 'bool') throw new Error(errBadComparisonType);
  if (k1 === 'string') return compareStrings(arg1 as string, arg2 as string) < 0;
  return (arg1 as number) < (arg2 as number);
}

/** Byte-wise comparison of the UTF-8 encodings, as Go compares strings. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return compareBytes(utf8(a), utf8(b));
}

export function le(arg1: unknown, arg2: unknown): boolean {
  return lt(arg1, arg2) || eq(arg1, arg2);
}

/** Go's `len`: bytes of a string, elements of a list or map. */
export function length(item: unknown): bigint {
  if (item === undefined) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  if (item === null) throw new Error('len of nil pointer');
  if (typeof item === 'string') return BigInt(utf8Length(item));
  if (Array.isArray(item) || item instanceof Uint8Array) return BigInt(item.length);
  if (isGoMap(item)) return BigInt(Object.keys(item).length);
  throw new Error(`len of type ${goTypeName(item)}`);
}

function indexArg(index: unknown, cap: number): number {
  if (index === undefined || index === null) throw new Error('cannot index slice/array with nil');
  if (typeof index !== 'bigint') throw new Error(`cannot index slice/array with type ${goTypeName(index)}`);
  if (index < 0n || index > BigInt(cap)) throw new Error(`index out of range: ${index}`);
  return Number(index);
}

/** Go's `index`: follows the indexes through lists, strings and maps; an entry keeps its origin. */
export function index(item: Valued, indexes: unknown[], entryOrigin?: (container: object, key: string | number) => Valued['o']): Valued {
  let current: Valued = item;
  if (current.v === undefined || current.v === null) throw new Error('index of untyped nil');
  for (const key of indexes) {
    const value = current.v;
    if (value === null || value === undefined) throw new Error('index of nil pointer');
    if (typeof value === 'string' || Array.isArray(value) || value instanceof Uint8Array) {
      const bytes = typeof value === 'string' ? utf8(value) : undefined;
      const len = bytes ? bytes.length : (value as unknown[]).length;
      const i = indexArg(key, len);
      if (i === len) throw new Error(`index out of range: ${i}`);
      if (bytes) current = { v: BigInt(bytes[i]) };
      else if (value instanceof Uint8Array) current = { v: BigInt(value[i]) };
      else current = { v: (value as unknown[])[i], o: entryOrigin?.(value as unknown[], i) };
    } else if (isGoMap(value)) {
      if (key === undefined || key === null) throw new Error('value is nil; should be of type string');
      if (typeof key !== 'string') throw new Error(`value has type ${goTypeName(key)}; should be string`);
      current = Object.prototype.hasOwnProperty.call(value, key) ? { v: value[key], o: entryOrigin?.(value, key) } : { v: null };
    } else {
      throw new Error(`can't index item of type ${goTypeName(value)}`);
    }
  }
  return current;
}

/** Go's `slice`: item[i:j] or item[i:j:k] of a string or a list. */
export function slice(item: unknown, indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    cap = utf8Length(item);
  } else if (Array.isArray(item) || item instanceof Uint8Array) {
    cap = item.length;
  } else {
    throw new Error(`can't slice item of type ${goTypeName(item)}`);
  }
  const bounds = [0, typeof item === 'string' ? cap : item.length];
  indexes.forEach((index, i) => {
    bounds[i] = indexArg(index, cap);
  });
  if (bounds[0] > bounds[1]) throw new Error(`invalid slice index: ${bounds[0]} > ${bounds[1]}`);
  if (indexes.length === 3 && bounds[1] > bounds[2]) throw new Error(`invalid slice index: ${bounds[1]} > ${bounds[2]}`);
  if (typeof item === 'string') return fromUtf8(utf8(item).subarray(bounds[0], bounds[1]));
  return item.slice(bounds[0], bounds[1]);
}

/** The escapers' argument: a lone string as is, else fmt.Sprint of the arguments. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args);
}

/** Go's template.HTMLEscapeString over the arguments. */
export function html(...args: unknown[]): string {
  return evalArgs(args).replace(/[<>&'"\0]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' })[c] as string);
}

/** Go's template.JSEscapeString over the arguments. */
export function js(...args: unknown[]): string {
  let out = '';
  for (const c of evalArgs(args)) {
    const code = c.codePointAt(0) ?? 0;
    if (c === '\\') out += '\\\\';
    else if (c === "'") out += "\\'";
    else if (c === '"') out += '\\"';
    else if (c === '<' || c === '>' || c === '&' || c === '=') out += '\\u00' + code.toString(16).toUpperCase();
    else if (code < 0x20) out += '\\u00' + code.toString(16).toUpperCase().padStart(2, '0');
    else if (code < 0x80 || /[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]/u.test(c)) out += c;
    else out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** Go's url.QueryEscape over the arguments. */
export function urlquery(...args: unknown[]): string {
  let out = '';
  for (const byte of utf8(evalArgs(args))) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Unwraps a function's traced result. */
export function untrace(result: unknown): Valued {
  if (result instanceof Traced) return { v: result.value === undefined ? null : result.value, o: result.origin, s: result.segments };
  return { v: result === undefined ? null : result };
}
