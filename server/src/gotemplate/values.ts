// The value model of the template executor: how Go's dynamic values are represented in JavaScript, how data
// carries its provenance (the values node it was read from), and the handle through which template functions
// that need the template set (include, tpl) reach the executor. Sprig, Helm's functions and the chart model all
// build on these conventions.
//
// Go value                         JavaScript
// int, int64, uint8 ...           bigint
// float64                         number (values decoded from YAML/JSON are float64 in Helm)
// string / bool                   string / boolean
// nil (a nil interface or map)    null
// missing (invalid reflect.Value) undefined (printed `<no value>`)
// slice, array                    Array
// []byte                          Uint8Array
// map[string]T                    plain object (ranged and printed in sorted key order)
// struct / named type             object registered with `defineGoType`; function properties are its methods
// time.Time                       Date
// func (a template function)      GoFunction; an error is a thrown Error (`error calling NAME: MESSAGE`)

/** A template function: Go's `func(args...) (T, error)`; it reports an error by throwing. */
export type GoFunction = (...args: unknown[]) => unknown;

export type GoMap = Record<string, unknown>;

/** Where a piece of data was written: a range of a file (a values file, a `--set` argument's pseudo-file). */
export interface DataOrigin {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** A part of a traced text that came from somewhere else: [start, end) in the text, and where it came from. */
export interface TextSegment {
  start: number;
  end: number;
  /** `literal`: template text; `action`: an action's output with no data origin; `value`: data with an origin. */
  kind: 'literal' | 'action' | 'value';
  origin: DataOrigin;
}

/**
 * A value together with where it came from. Functions return one (see `traced`) when their result carries more
 * than the plain value: include and tpl return their text with the segments of its parts. The executor unwraps it
 * before any other function sees the value.
 */
export class Traced {
  constructor(
    readonly value: unknown,
    readonly origin?: DataOrigin,
    /** For a string value: its parts' segments, offsets relative to the string. */
    readonly segments?: readonly TextSegment[],
  ) {}
}

// ---- Go types of JavaScript objects ----

export interface GoTypeInfo {
  /** As Go prints it in errors: `*chart.Metadata`, `chartutil.Values`, `map[string]interface {}`. */
  name: string;
  /** A struct (fields and methods; a missing field is an error) or a map (a missing key follows `missingkey`). */
  kind: 'struct' | 'map';
}

const goTypes = new WeakMap<object, GoTypeInfo>();

/** Declares the Go type of an object, for field access rules and error messages; returns the object. */
export function defineGoType<T extends object>(value: T, name: string, kind: GoTypeInfo['kind']): T {
  goTypes.set(value, { name, kind });
  return value;
}

/** The declared Go type, or undefined for an undeclared plain object (a `map[string]interface {}`). */
export function goTypeOf(value: object): GoTypeInfo | undefined {
  return goTypes.get(value);
}

export function isGoMap(value: unknown): value is GoMap {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value) || value instanceof Uint8Array || value instanceof Date || value instanceof Traced) return false;
  return goTypes.get(value)?.kind !== 'struct';
}

// ---- Provenance of data ----
// Objects and arrays read from a values file carry the origins of their entries in a side table, so the data
// itself stays plain: `.Values.image.tag` finds the origin of `tag` under the `image` object. Functions that
// build new maps from old ones (merge, deepCopy, dict) copy the origins of the entries they move.

interface EntryOrigins {
  self?: DataOrigin;
  entries: Map<string | number, DataOrigin>;
}

const origins = new WeakMap<object, EntryOrigins>();

function entryOrigins(container: object): EntryOrigins {
  let found = origins.get(container);
  if (!found) {
    found = { entries: new Map() };
    origins.set(container, found);
  }
  return found;
}

/** Records where a whole map or list was written (the node of its key, e.g. `securityContext:` and its block). */
export function setOrigin(container: object, origin: DataOrigin): void {
  entryOrigins(container).self = origin;
}

/** Where a whole map or list was written, if known. */
export function originOf(container: object): DataOrigin | undefined {
  return origins.get(container)?.self;
}

/** Records where an entry of a map (by key) or a list (by index) was written: its key and value. */
export function setEntryOrigin(container: object, key: string | number, origin: DataOrigin): void {
  entryOrigins(container).entries.set(key, origin);
}

/** Where an entry of a map or list was written, if known; falls back to the entry value's own origin. */
export function entryOrigin(container: object, key: string | number): DataOrigin | undefined {
  const recorded = origins.get(container)?.entries.get(key);
  if (recorded) return recorded;
  const value = Array.isArray(container) ? container[key as number] : (container as GoMap)[key as string];
  return value !== null && typeof value === 'object' ? originOf(value) : undefined;
}

/** Copies the origin of `from[fromKey]` to `to[toKey]` (for functions that move entries between maps). */
export function copyEntryOrigin(from: object, fromKey: string | number, to: object, toKey: string | number = fromKey): void {
  const origin = entryOrigin(from, fromKey);
  if (origin) setEntryOrigin(to, toKey, origin);
}

// ---- Pass-through functions ----
// The executor traces a value through a function call when the function says how its result relates to its
// arguments. Functions without a declaration produce untraced values (the action that printed them is still
// their origin in the output).

/**
 * - `select`: the result is one of the arguments (default, coalesce, ternary, first, get, and merge, which
 *   returns its target): it keeps the origin of the argument it is (by identity, or equality for scalars; the
 *   last one wins);
 * - `derive`: the result is made from the last argument (quote, toString, toYaml, trim, b64enc): it takes that
 *   argument's origin;
 * - `indent` / `nindent`: as derive, and the segments of a traced string argument are moved with the indentation
 *   (the number of spaces is the first argument).
 */
export type PassThrough = 'select' | 'derive' | 'indent' | 'nindent';

const passThroughs = new WeakMap<GoFunction, PassThrough>();

/** Declares how a function passes provenance from its arguments to its result; returns the function. */
export function passThrough<F extends GoFunction>(fn: F, how: PassThrough): F {
  passThroughs.set(fn, how);
  return fn;
}

export function passThroughOf(fn: GoFunction): PassThrough | undefined {
  return passThroughs.get(fn);
}

// ---- Signatures ----
// Go checks every call against the function's parameters: their number (`wrong number of args for include: want 2
// got 1`) and types (`invalid value; expected string` for a missing value given to a string parameter). A
// JavaScript function cannot say either, so a function that wants Go's checks declares its parameters.

/** A parameter's Go type; `interface {}` takes anything, a missing value as nil. */
export type ParamType = 'interface {}' | 'string' | 'int' | 'int64' | 'float64' | 'bool' | '[]interface {}' | 'map[string]interface {}';

export interface Signature {
  /** The parameters' types; when variadic, the last one is the type of each variadic argument. */
  params: readonly ParamType[];
  variadic: boolean;
}

const signatures = new WeakMap<GoFunction, Signature>();

/** Declares a function's parameters, for Go's checks of the arguments of each call; returns the function. */
export function signature<F extends GoFunction>(fn: F, params: readonly ParamType[], variadic = false): F {
  signatures.set(fn, { params, variadic });
  return fn;
}

export function signatureOf(fn: GoFunction): Signature | undefined {
  return signatures.get(fn);
}

// ---- The executor's handle, for functions that need the template set ----

/**
 * What include, tpl and `template`-like functions get from the executor. A function map that needs it is built
 * by a factory `(handle) => functions`, called once per template set; the handle always acts on the execution
 * in progress (calling it outside an execution throws).
 */
export interface TemplateHandle {
  /** Whether a template of that name is defined. */
  has(name: string): boolean;
  /**
   * Executes the named template with `data` as dot, as `{{ template }}` does but returning its text: the result's
   * value is the text and its segments say where each part came from. Counts against the recursion limit.
   */
  execute(name: string, data: unknown): Traced;
  /**
   * Parses `text` as a template named `name` in a copy of the current template set (it can call the set's
   * templates, its own defines stay local) and executes it with `data` (Helm's tpl). Errors name `name`.
   * `origin` is where the text was written (a values node), for its literal parts.
   */
  render(name: string, text: string, data: unknown, origin?: DataOrigin): Traced;
  /** The name of the template being executed (Helm's tpl and include report errors under it). */
  currentTemplate(): string;
  /**
   * Where the `index`-th argument of the function call in progress came from, if known: tpl passes the origin of
   * its text to `render`. Ask before calling `execute` or `render`, which start calls of their own.
   */
  argumentOrigin(index: number): DataOrigin | undefined;
}

export type FunctionFactory = (handle: TemplateHandle) => Record<string, GoFunction>;

/**
 * Thrown by the handle's `execute` and `render` when templates would nest deeper than the executor allows (its
 * maxDepth, or the JavaScript stack). Helm's include can report its own recursion error for it: a recursion that
 * Helm stops at 1000 includes stops here first.
 */
export class NestingTooDeep extends Error {}
