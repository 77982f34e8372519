// How Sprig turns its arguments into the Go types it works on: spf13/cast's ToInt64/ToFloat64 (strings parsed,
// floats truncated, errors swallowed to 0), `strval` (strings as they are, Stringers through String(), the rest
// printed with %v), reflect's kinds and type names, DeepEqual, and Sprig's notion of empty.
import { goTypeName, sprint } from '../fmt';
import { goTypeOf, GoMap, isGoMap, Traced } from '../values';
import { parseGoFloat, parseGoInt } from './strconv';
import { GoDuration } from './time';
import { equalBytes, fromUtf8 } from '../bytes';

/** The value itself when the executor hands over a traced one (functions compute on plain data). */
export function plain(value: unknown): unknown {
  return value instanceof Traced ? value.value : value;
}

/** fmt's %v of one value: `map[a:1 b:2]`, `[1 2]`, `<nil>`, floats in their shortest form (`1e+06`). */
function goSprint(value: unknown): string {
  return sprint([plain(value)]);
}

/** Sprig's strval: strings as they are, []byte as text, Stringers through String(), the rest with %v. */
export function strval(value: unknown): string {
  const v = plain(value);
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return fromUtf8(v);
  if (v instanceof Error) return v.message;
  return goSprint(v);
}

/** cast's trimZeroDecimal: `"1.0"` and `"1.00"` read as `"1"`, so integer casts accept them. */
function trimZeroDecimal(text: string): string {
  const match = /^(.*)\.0+$/.exec(text);
  return match && match[1] !== '' ? match[1] : text;
}

/** cast.ToInt64E with the error swallowed (Sprig's int64, add, max...): 0 for anything it cannot read. */
export function castInt64(value: unknown): bigint {
  const v = plain(value);
  switch (typeof v) {
    case 'bigint': return BigInt.asIntN(64, v);
    case 'number': return Number.isFinite(v) ? BigInt.asIntN(64, BigInt(Math.trunc(v))) : -(2n ** 63n);
    case 'boolean': return v ? 1n : 0n;
    case 'string': return parseGoInt(trimZeroDecimal(v), 0) ?? 0n;
  }
  if (v instanceof GoDuration) return v.nanoseconds;
  return 0n;
}

/** cast.ToFloat64E with the error swallowed. */
export function castFloat64(value: unknown): number {
  const v = plain(value);
  switch (typeof v) {
    case 'number': return v;
    case 'bigint': return Number(v);
    case 'boolean': return v ? 1 : 0;
    case 'string': return parseGoFloat(v) ?? 0;
  }
  if (v instanceof GoDuration) return Number(v.nanoseconds);
  return 0;
}

/** reflect.Kind's name: `int`, `float64`, `string`, `slice`, `map`, `struct`, `ptr`, `invalid` for nil. */
export function kindOf(value: unknown): string {
  const v = plain(value);
  if (v === null || v === undefined) return 'invalid';
  switch (typeof v) {
    case 'string': return 'string';
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'float64';
    case 'function': return 'func';
  }
  if (v instanceof GoDuration) return 'int64';
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (v instanceof Date) return 'struct';
  const type = goTypeOf(v as object);
  if (type?.kind === 'struct') return type.name.startsWith('*') ? 'ptr' : 'struct';
  return 'map';
}

/** fmt's %T: `int`, `float64`, `[]interface {}`, `map[string]interface {}`, `<nil>`. */
export function typeOf(value: unknown): string {
  const v = plain(value);
  return v instanceof GoDuration ? 'time.Duration' : goTypeName(v);
}

/** reflect.DeepEqual over the value model: types must match (an int never equals a float). */
export function deepEqual(a: unknown, b: unknown): boolean {
  const x = plain(a);
  const y = plain(b);
  if (x === y) return true;
  if (x === null || y === null || x === undefined || y === undefined) return false;
  if (typeof x !== typeof y) return false;
  if (typeof x === 'number') return x === y;
  if (typeof x !== 'object') return false;
  if (x instanceof GoDuration || y instanceof GoDuration) return x instanceof GoDuration && y instanceof GoDuration && x.nanoseconds === y.nanoseconds;
  if (x instanceof Date || y instanceof Date) return x instanceof Date && y instanceof Date && x.getTime() === y.getTime();
  if (x instanceof Uint8Array || y instanceof Uint8Array) return x instanceof Uint8Array && y instanceof Uint8Array && equalBytes(x, y);
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x)) return x.length === (y as unknown[]).length && x.every((item, i) => deepEqual(item, (y as unknown[])[i]));
  if (goTypeOf(x as object)?.name !== goTypeOf(y as object)?.name) return false;
  const xKeys = Object.keys(x as object);
  const yKeys = Object.keys(y as object);
  return xKeys.length === yKeys.length && xKeys.every(key => key in (y as object) && deepEqual((x as GoMap)[key], (y as GoMap)[key]));
}

/** Sprig's empty: nil, false, 0, "", and empty lists and maps; a struct is never empty. */
export function isEmpty(value: unknown): boolean {
  const v = plain(value);
  if (v === null || v === undefined) return true;
  switch (typeof v) {
    case 'string': return v.length === 0;
    case 'boolean': return !v;
    case 'bigint': return v === 0n;
    case 'number': return v === 0;
    case 'function': return false;
  }
  if (v instanceof GoDuration) return v.nanoseconds === 0n;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (isGoMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** A list argument as Sprig's reflection sees it: a slice or array, or undefined for anything else. */
export function asList(value: unknown): unknown[] | undefined {
  const v = plain(value);
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return Array.from(v, byte => BigInt(byte));
  return undefined;
}

/** Sprig's strslice: a list of strings, nils dropped; a single value becomes a one-element list. */
export function strslice(value: unknown): string[] {
  const v = plain(value);
  const list = asList(v);
  if (list) return list.filter(item => plain(item) !== null && plain(item) !== undefined).map(strval);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

/** A Go map argument, or undefined. */
export function asMap(value: unknown): GoMap | undefined {
  const v = plain(value);
  return isGoMap(v) ? v : undefined;
}

/** Go's error for a value of the wrong type passed where the function's parameter type is fixed. */
function wrongType(value: unknown, expected: string): Error {
  return new Error(`wrong type for value; expected ${expected}; got ${typeOf(value)}`);
}

/** A string parameter: Go's template converts only a string to it (and nil to ""). */
export function stringArg(value: unknown, expected = 'string'): string {
  const v = plain(value);
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  throw wrongType(v, expected);
}

/** An int parameter: an integer, or a float64 that holds one (as text/template converts constants). */
export function intArg(value: unknown): number {
  const v = plain(value);
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (v === null || v === undefined) return 0;
  throw wrongType(v, 'int');
}
