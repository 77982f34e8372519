// Sprig's dictionary functions (dict.go) and deep copies. merge and mergeOverwrite follow mergo as Sprig calls it:
// they change and return the first map; a nested map that the target lacks is shared, not copied (Sprig issue 188),
// and entries keep the origin of the map they came from.
import { copyEntryOrigin, GoFunction, GoMap, isGoMap, passThrough } from '../values';
import { asMap, isEmpty, plain, strval, typeOf } from './convert';

/** A map[string]interface{} parameter: Go's template refuses anything else (nil is a nil map). */
function mapArg(value: unknown): GoMap | null {
  const v = plain(value);
  if (v === null || v === undefined) return null;
  const map = asMap(v);
  if (!map) throw new Error(`wrong type for value; expected map[string]interface {}; got ${typeOf(v)}`);
  return map;
}

/** mergo's deepMerge of src into dst (both maps); `overwrite` is mergo.WithOverride. */
function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean, depth: number): void {
  if (depth > 1000) throw new Error('merge: maps nested more than 1000 deep (a cycle?)');
  for (const key of Object.keys(src)) {
    const value = src[key];
    const has = Object.prototype.hasOwnProperty.call(dst, key);
    const current = dst[key];
    if (value === null || value === undefined) {
      if (overwrite) {
        dst[key] = null;
        copyEntryOrigin(src, key, dst);
      }
      continue;
    }
    if (isGoMap(value) && has && isGoMap(current)) {
      mergeInto(current, value, overwrite, depth + 1);
      if (!isEmpty(current)) continue;
    }
    const replace = Array.isArray(value)
      ? (overwrite && !isEmpty(value)) || !has || isEmpty(current)
      : overwrite || !has || isEmpty(current);
    if (replace) {
      dst[key] = value;
      copyEntryOrigin(src, key, dst);
    }
  }
}

function deepCopy(value: unknown, depth = 0): unknown {
  if (depth > 1000) throw new Error('deepCopy: value nested more than 1000 deep (a cycle?)');
  const v = plain(value);
  if (Array.isArray(v)) {
    const out = v.map(item => deepCopy(item, depth + 1));
    v.forEach((_, i) => copyEntryOrigin(v, i, out));
    return out;
  }
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (isGoMap(v)) {
    const out: GoMap = {};
    for (const key of Object.keys(v)) {
      out[key] = deepCopy(v[key], depth + 1);
      copyEntryOrigin(v, key, out);
    }
    return out;
  }
  return v;
}

function dig(args: unknown[]): unknown {
  if (args.length < 3) throw new Error('dig needs at least three arguments');
  const fallback = args[args.length - 2];
  let current = plain(args[args.length - 1]);
  const keys = args.slice(0, -2).map(key => {
    if (typeof plain(key) !== 'string') throw new Error(`interface conversion: interface {} is ${typeOf(key)}, not string`);
    return plain(key) as string;
  });
  for (const key of keys) {
    if (!isGoMap(current)) throw new Error(`interface conversion: interface {} is ${typeOf(current)}, not map[string]interface {}`);
    if (!Object.prototype.hasOwnProperty.call(current, key)) return fallback;
    current = current[key];
  }
  return current;
}

export function dictFunctions(): Record<string, GoFunction> {
  const merge = passThrough((dst: unknown, ...sources: unknown[]) => {
    const target = mapArg(dst);
    if (!target) return null;
    for (const source of sources) {
      const map = mapArg(source);
      if (map) mergeInto(target, map, false, 0);
    }
    return target;
  }, 'select');
  const mergeOverwrite = passThrough((dst: unknown, ...sources: unknown[]) => {
    const target = mapArg(dst);
    if (!target) return null;
    for (const source of sources) {
      const map = mapArg(source);
      if (map) mergeInto(target, map, true, 0);
    }
    return target;
  }, 'select');
  const copy = (value: unknown) => {
    if (plain(value) === null || plain(value) === undefined) throw new Error('Cannot deep copy nil');
    return deepCopy(value);
  };
  return {
    dict: (...pairs) => {
      const out: GoMap = {};
      for (let i = 0; i < pairs.length; i += 2) {
        const key = strval(pairs[i]);
        out[key] = i + 1 < pairs.length ? plain(pairs[i + 1]) : '';
      }
      return out;
    },
    get: passThrough((dict: unknown, key: unknown) => {
      const map = mapArg(dict);
      const name = strval(key);
      return map && Object.prototype.hasOwnProperty.call(map, name) ? map[name] : '';
    }, 'select'),
    set: (dict, key, value) => {
      const map = mapArg(dict);
      if (!map) throw new Error('assignment to entry in nil map');
      map[strval(key)] = plain(value);
      return map;
    },
    unset: (dict, key) => {
      const map = mapArg(dict);
      if (map) delete map[strval(key)];
      return map;
    },
    hasKey: (dict, key) => {
      const map = mapArg(dict);
      return map !== null && Object.prototype.hasOwnProperty.call(map, strval(key));
    },
    pluck: (key, ...dicts) => {
      const name = strval(key);
      const out: unknown[] = [];
      for (const dict of dicts) {
        const map = mapArg(dict);
        if (map && Object.prototype.hasOwnProperty.call(map, name)) {
          out.push(map[name]);
          copyEntryOrigin(map, name, out, out.length - 1);
        }
      }
      return out;
    },
    keys: (...dicts) => dicts.flatMap(dict => Object.keys(mapArg(dict) ?? {})),
    values: (dict) => Object.values(mapArg(dict) ?? {}),
    pick: (dict, ...keys) => {
      const map = mapArg(dict) ?? {};
      const out: GoMap = {};
      for (const key of keys.map(strval)) {
        if (Object.prototype.hasOwnProperty.call(map, key)) {
          out[key] = map[key];
          copyEntryOrigin(map, key, out);
        }
      }
      return out;
    },
    omit: (dict, ...keys) => {
      const map = mapArg(dict) ?? {};
      const omitted = new Set(keys.map(strval));
      const out: GoMap = {};
      for (const key of Object.keys(map)) {
        if (omitted.has(key)) continue;
        out[key] = map[key];
        copyEntryOrigin(map, key, out);
      }
      return out;
    },
    merge, mustMerge: merge,
    mergeOverwrite, mustMergeOverwrite: mergeOverwrite,
    deepCopy: copy, mustDeepCopy: copy,
    dig: passThrough((...args: unknown[]) => dig(args), 'select'),
  };
}
