// Helm's template functions (pkg/engine/funcs.go and engine.go): Sprig without env/expandenv, plus toYaml and
// friends, JSON and TOML, the duration helpers, lookup (an empty map: `helm template` has no cluster),
// getHostByName (empty: Helm does no DNS lookups unless asked), and the engine's include, tpl, required and fail,
// which need the template set and so are built from the executor's handle.
import { goQuote } from '../../gotemplate/lex';
import { Clock, Random, sprigFunctions } from '../../gotemplate/sprig';
import { Declaration, declareSignatures, SPRIG_SIGNATURES } from '../../gotemplate/sprig/signatures';
import { plain, stringArg, strval } from '../../gotemplate/sprig/convert';
import { jsonKind, marshalJson, unmarshalJson } from '../../gotemplate/sprig/json';
import { GoDuration, parseDuration } from '../../gotemplate/sprig/time';
import { FunctionFactory, GoFunction, GoMap, isGoMap, NestingTooDeep, passThrough, setEntryOrigin, TemplateHandle, TextSegment, Traced } from '../../gotemplate/values';
import { marshalGoYaml, unmarshalGoYaml } from './functions/goYaml';
import { decodeToml, encodeToml } from './functions/toml';

export interface HelmFunctionOptions {
  /** Helm's lint mode: `required` and `fail` do not stop the rendering. */
  lintMode?: boolean;
  clock?: Clock;
  random?: Random;
  /** What `lookup` reads. `helm template` has no cluster, and neither has the product: every lookup gives an empty map. */
  cluster?: Cluster;
}

/** A cluster's objects as `lookup` reads them (Helm's engine tests give one; lookup_func.go). */
export interface Cluster {
  /**
   * The object named `name` (in `namespace` when its kind is namespaced and a namespace is given), or the list of
   * that kind (`{items: [...]}`) when `name` is empty: undefined when there is none. Throws what the cluster answers
   * for a kind it cannot serve, which fails the template.
   */
  lookup(apiVersion: string, kind: string, namespace: string, name: string): GoMap | undefined;
}

/** The functions of a chart's template set, in the shape the renderer takes, and toYaml for `.Files.AsConfig`. */
export interface HelmFunctionSet {
  functions: ReadonlyArray<Record<string, GoFunction> | FunctionFactory>;
  toYaml: (value: unknown) => string;
}

/** The Go parameters of Helm's functions (funcs.go, engine.go), for the executor's checks of each call. */
const HELM_SIGNATURES: Record<string, Declaration> = {
  toYaml: [['interface {}']], mustToYaml: [['interface {}']], toYamlPretty: [['interface {}']],
  fromYaml: [['string']], fromYamlArray: [['string']], toJson: [['interface {}']], mustToJson: [['interface {}']],
  fromJson: [['string']], fromJsonArray: [['string']], toToml: [['interface {}']], mustToToml: [['interface {}']],
  fromToml: [['string']], mustToDuration: [['interface {}']], durationSeconds: [['interface {}']],
  durationMilliseconds: [['interface {}']], durationMicroseconds: [['interface {}']], durationNanoseconds: [['interface {}']],
  durationMinutes: [['interface {}']], durationHours: [['interface {}']], durationDays: [['interface {}']],
  durationWeeks: [['interface {}']], durationRoundTo: [['interface {}', 'interface {}']],
  durationTruncateTo: [['interface {}', 'interface {}']], lookup: [['string', 'string', 'string', 'string']],
  getHostByName: [['string']], include: [['string', 'interface {}']], tpl: [['string', 'interface {}']],
  required: [['string', 'interface {}']], fail: [['string']],
  dict: SPRIG_SIGNATURES.dict, list: SPRIG_SIGNATURES.list, tuple: SPRIG_SIGNATURES.tuple, set: SPRIG_SIGNATURES.set,
};

/** Helm names its template set `gotpl`; errors of include and tpl name it. */
const TEMPLATE_SET_NAME = 'gotpl';
/** How deep one template may include itself (Helm's recursionMaxNums). */
const MAX_INCLUDE_RECURSION = 1000;
const NO_VALUE = '<no value>';

/** Helm's toYAML: sigs.k8s.io/yaml's output without its final newline; an error gives the empty string. */
export function toYaml(value: unknown): string {
  try {
    return marshalGoYaml(value).replace(/\n$/, '');
  } catch {
    return '';
  }
}

function yamlErrorMessage(error: unknown): string {
  return (error as Error).message;
}

function fromYaml(text: unknown): GoMap {
  try {
    const value = unmarshalGoYaml(stringArg(text));
    if (value === null) return {};
    if (!isGoMap(value)) return { Error: `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(value)} into Go value of type map[string]interface {}` };
    return value;
  } catch (error) {
    return { Error: yamlErrorMessage(error) };
  }
}

function fromYamlArray(text: unknown): unknown[] {
  try {
    const value = unmarshalGoYaml(stringArg(text));
    if (value === null) return [];
    if (!Array.isArray(value)) return [`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(value)} into Go value of type []interface {}`];
    return value;
  } catch (error) {
    return [yamlErrorMessage(error)];
  }
}

function fromJson(text: unknown): GoMap {
  try {
    const value = unmarshalJson(stringArg(text));
    if (value === null) return {};
    if (!isGoMap(value)) return { Error: `json: cannot unmarshal ${jsonKind(value)} into Go value of type map[string]interface {}` };
    return value;
  } catch (error) {
    return { Error: (error as Error).message };
  }
}

function fromJsonArray(text: unknown): unknown[] {
  try {
    const value = unmarshalJson(stringArg(text));
    if (value === null) return [];
    if (!Array.isArray(value)) return [`json: cannot unmarshal ${jsonKind(value)} into Go value of type []interface {}`];
    return value;
  } catch (error) {
    return [(error as Error).message];
  }
}

// ---- Durations: a number is seconds, a string a Go duration (`1m30s`) or seconds (`2.5`) ----

function secondsToDuration(seconds: number): bigint {
  return BigInt(Math.trunc(seconds * 1e9));
}

function toDuration(value: unknown): bigint {
  const v = plain(value);
  if (v instanceof GoDuration) return v.nanoseconds;
  if (typeof v === 'bigint') return v * 1_000_000_000n;
  if (typeof v === 'number') return secondsToDuration(v);
  if (typeof v === 'string') {
    const text = v.trim();
    if (text === '') throw new Error('empty duration string');
    try {
      return parseDuration(text);
    } catch (error) {
      if (/^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(text)) return secondsToDuration(Number(text));
      throw error;
    }
  }
  throw new Error(`unsupported type for duration: ${v === null || v === undefined ? '<nil>' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}'}`);
}

function durationOrZero(value: unknown): bigint {
  try {
    return toDuration(value);
  } catch {
    return 0n;
  }
}

/** time.Duration's Seconds/Minutes/Hours: whole units plus the remainder as a fraction. */
function inUnits(nanoseconds: bigint, unit: bigint): number {
  return Number(nanoseconds / unit) + Number(nanoseconds % unit) / Number(unit);
}

function roundDuration(d: bigint, m: bigint): bigint {
  if (m <= 0n) return d;
  let r = d % m;
  if (d < 0n) {
    r = -r;
    return r + r < m ? d + r : d - m + r;
  }
  return r + r < m ? d - r : d + (m - r);
}

function durationFunctions(): Record<string, GoFunction> {
  const HOUR = 3_600_000_000_000n;
  const multiplier = (m: unknown): bigint | undefined => {
    try {
      return toDuration(m);
    } catch {
      return undefined;
    }
  };
  return {
    mustToDuration: (value) => new GoDuration(toDuration(value)),
    durationSeconds: (value) => inUnits(durationOrZero(value), 1_000_000_000n),
    durationMilliseconds: (value) => durationOrZero(value) / 1_000_000n,
    durationMicroseconds: (value) => durationOrZero(value) / 1_000n,
    durationNanoseconds: (value) => durationOrZero(value),
    durationMinutes: (value) => inUnits(durationOrZero(value), 60_000_000_000n),
    durationHours: (value) => inUnits(durationOrZero(value), HOUR),
    durationDays: (value) => inUnits(durationOrZero(value), HOUR) / 24,
    durationWeeks: (value) => inUnits(durationOrZero(value), HOUR) / (24 * 7),
    durationRoundTo: (value, m) => {
      const d = durationOrZero(value);
      const unit = multiplier(m);
      return new GoDuration(unit === undefined ? d : roundDuration(d, unit));
    },
    durationTruncateTo: (value, m) => {
      const d = durationOrZero(value);
      const unit = multiplier(m);
      return new GoDuration(unit === undefined || unit <= 0n ? d : d - (d % unit));
    },
  };
}

// ---- include, tpl, required, fail ----

/** `<no value>` removed from a traced text, its segments moved to match (Helm's tpl does the removal). */
function withoutNoValue(result: Traced): Traced {
  const text = result.value as string;
  if (!text.includes(NO_VALUE)) return result;
  const cuts: number[] = [];
  for (let at = text.indexOf(NO_VALUE); at >= 0; at = text.indexOf(NO_VALUE, at + NO_VALUE.length)) cuts.push(at);
  const shift = (offset: number) => {
    let removed = 0;
    for (const cut of cuts) {
      if (cut >= offset) break;
      removed += Math.min(NO_VALUE.length, offset - cut);
    }
    return offset - removed;
  };
  const segments: TextSegment[] = (result.segments ?? [])
    .map(segment => ({ ...segment, start: shift(segment.start), end: shift(segment.end) }))
    .filter(segment => segment.end > segment.start);
  return new Traced(text.split(NO_VALUE).join(''), result.origin, segments);
}

/** Helm's warnWrap: the engine reports a message so marked on its own, without the template stack. */
const warnWrap = (message: string) => `HELM[${message}]HELM`;

/**
 * Sprig's dict, list, tuple and set, recording where each value they store came from (the handle knows the origin
 * of each argument of the call in progress), so that `include "x" (dict "tag" .Values.image.tag)` still maps the
 * tag to its values node.
 */
function originRecordingFunctions(sprig: Record<string, GoFunction>, handle: TemplateHandle): Record<string, GoFunction> {
  const recordItems = (name: string) => (...items: unknown[]) => {
    const list = sprig[name](...items) as unknown[];
    items.forEach((_, i) => {
      const origin = handle.argumentOrigin(i);
      if (origin) setEntryOrigin(list, i, origin);
    });
    return list;
  };
  return {
    dict: (...pairs) => {
      const map = sprig.dict(...pairs) as GoMap;
      for (let i = 1; i < pairs.length; i += 2) {
        const origin = handle.argumentOrigin(i);
        if (origin) setEntryOrigin(map, strval(pairs[i - 1]), origin);
      }
      return map;
    },
    list: recordItems('list'),
    tuple: recordItems('tuple'),
    set: (dict, key, value) => {
      const map = sprig.set(dict, key, value) as GoMap;
      const origin = handle.argumentOrigin(2);
      if (origin) setEntryOrigin(map, strval(key), origin);
      return map;
    },
  };
}

function templateFunctions(lintMode: boolean, sprig: Record<string, GoFunction>): FunctionFactory {
  return (handle: TemplateHandle) => {
    const included = new Map<string, number>();
    const include = (name: unknown, data: unknown) => {
      const templateName = stringArg(name);
      if (!handle.has(templateName)) throw new Error(`template: no template ${goQuote(templateName)} associated with template ${goQuote(TEMPLATE_SET_NAME)}`);
      const depth = included.get(templateName) ?? 0;
      if (depth >= MAX_INCLUDE_RECURSION) throw new Error(`rendering template has a nested reference name: ${templateName}: unable to execute template`);
      included.set(templateName, depth + 1);
      try {
        return handle.execute(templateName, plain(data));
      } catch (error) {
        // The executor's own depth limit may stop a self-include first: report it as Helm does.
        if (depth > 0 && error instanceof NestingTooDeep) throw new Error(`rendering template has a nested reference name: ${templateName}: unable to execute template`);
        throw error;
      } finally {
        included.set(templateName, depth);
      }
    };
    const tpl = (text: unknown, data: unknown) => {
      const source = stringArg(text);
      const origin = handle.argumentOrigin(0);
      try {
        return withoutNoValue(handle.render(TEMPLATE_SET_NAME, source, plain(data), origin));
      } catch (error) {
        if (error instanceof RangeError) throw error;
        const message = (error as Error).message;
        if (/^template: [^:]*:\d+: /.test(message) && !/^template: [^:]*:\d+:\d+: executing/.test(message)) throw new Error(`cannot parse template ${goQuote(source)}: ${message}`);
        throw new Error(`error during tpl function execution for ${goQuote(source)}: ${message}`);
      }
    };
    return declareSignatures({
      ...originRecordingFunctions(sprig, handle),
      include,
      tpl,
      required: passThrough((message: unknown, value: unknown) => {
        const v = plain(value);
        if (v === null || v === undefined || v === '') {
          if (lintMode) return '';
          throw new Error(warnWrap(stringArg(message)));
        }
        return value;
      }, 'select'),
      fail: (message: unknown) => {
        if (lintMode) return '';
        throw new Error(warnWrap(stringArg(message)));
      },
    }, HELM_SIGNATURES);
  };
}

/** Helm's function map for a render; include, tpl, required and fail are bound to the set being executed. */
export function helmFunctions(options: HelmFunctionOptions = {}): HelmFunctionSet {
  const sprig = sprigFunctions(options);
  const helm = declareSignatures({
    toYaml: passThrough((value: unknown) => toYaml(value), 'derive'),
    mustToYaml: passThrough((value: unknown) => {
      try {
        return marshalGoYaml(value).replace(/\n$/, '');
      } catch (error) {
        throw new Error(`error marshaling into JSON: ${(error as Error).message}`);
      }
    }, 'derive'),
    toYamlPretty: passThrough((value: unknown) => {
      try {
        return marshalGoYaml(value, { pretty: true }).replace(/\n$/, '');
      } catch {
        return '';
      }
    }, 'derive'),
    fromYaml,
    fromYamlArray,
    toJson: passThrough((value: unknown) => {
      try {
        return marshalJson(value);
      } catch {
        return '';
      }
    }, 'derive'),
    mustToJson: passThrough((value: unknown) => marshalJson(value), 'derive'),
    fromJson,
    fromJsonArray,
    toToml: passThrough((value: unknown) => {
      try {
        return encodeToml(value);
      } catch (error) {
        return (error as Error).message;
      }
    }, 'derive'),
    mustToToml: passThrough((value: unknown) => encodeToml(value), 'derive'),
    fromToml: (text) => {
      try {
        return decodeToml(stringArg(text));
      } catch (error) {
        return { Error: (error as Error).message };
      }
    },
    ...durationFunctions(),
    // Helm's lookup gives an empty map for an object that is not there, so that `if not (lookup ...)` reads well.
    lookup: (apiVersion, kind, namespace, name) => options.cluster?.lookup(stringArg(apiVersion), stringArg(kind), stringArg(namespace), stringArg(name)) ?? {},
    getHostByName: () => '',
  }, HELM_SIGNATURES);
  return {
    functions: [sprig, helm, templateFunctions(options.lintMode ?? false, sprig)],
    toYaml,
  };
}
