// How Helm combines values: a chart's defaults under the user's values, subcharts' values under their key of the
// parent, globals handed down, `null` deleting a key (pkg/chart/common/util/coalesce.go: CoalesceValues and
// MergeValues, which keeps the nulls). Maps are changed in place as Helm does; copies keep the entries' origins.
import { copyEntryOrigin, GoMap, originOf, setOrigin } from '../../gotemplate/values';

export const GLOBAL_KEY = 'global';

/** What coalescing needs of a chart: its name, default values and subcharts. */
export interface ValuesChart {
  name: string;
  values: GoMap;
  dependencies: readonly ValuesChart[];
}

/** Warnings Helm logs while coalescing (a table over a scalar, ...); they never stop a render. */
export type Warn = (message: string) => void;

export function isTable(value: unknown): value is GoMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date);
}

/** A deep copy of maps and lists that keeps where each entry was written. */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) {
    const copy = value.map(deepCopy);
    value.forEach((_, i) => copyEntryOrigin(value, i, copy));
    const origin = originOf(value);
    if (origin) setOrigin(copy, origin);
    return copy as T;
  }
  if (isTable(value)) {
    const copy: GoMap = {};
    for (const key of Object.keys(value)) { copy[key] = deepCopy(value[key]); copyEntryOrigin(value, key, copy); }
    const origin = originOf(value);
    if (origin) setOrigin(copy, origin);
    return copy as T;
  }
  return value;
}

/** The chart's values with `values` over them, nulls deleting keys (Helm's CoalesceValues). */
export function coalesceValues(chart: ValuesChart, values: GoMap, warn: Warn = () => {}): GoMap {
  return coalesce(chart, deepCopy(values), '', false, warn);
}

/** As coalesceValues, but nulls stay as values (Helm's MergeValues). */
export function mergeValues(chart: ValuesChart, values: GoMap, warn: Warn = () => {}): GoMap {
  return coalesce(chart, deepCopy(values), '', true, warn);
}

function coalesce(chart: ValuesChart, dest: GoMap, prefix: string, merge: boolean, warn: Warn): GoMap {
  coalesceChartValues(chart, dest, prefix, merge, warn);
  return coalesceDependencies(chart, dest, prefix, merge, warn);
}

function concatPrefix(a: string, b: string): string {
  return a ? `${a}.${b}` : b;
}

function coalesceDependencies(chart: ValuesChart, dest: GoMap, prefix: string, merge: boolean, warn: Warn): GoMap {
  for (const sub of chart.dependencies) {
    const existing = dest[sub.name];
    if (existing === undefined) dest[sub.name] = {};
    else if (!isTable(existing)) throw new Error(`type mismatch on ${sub.name}: %!t(${goPrint(existing)})`);
    const subValues = dest[sub.name] as GoMap;
    const subPrefix = concatPrefix(prefix, chart.name);
    coalesceGlobals(subValues, dest, subPrefix, warn);
    dest[sub.name] = coalesce(sub, subValues, subPrefix, merge, warn);
  }
  return dest;
}

function goPrint(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

/** Copies the globals of `src` into those of `dest`, merging tables top-down. */
function coalesceGlobals(dest: GoMap, src: GoMap, prefix: string, warn: Warn): void {
  const destGlobals = dest[GLOBAL_KEY] ?? {};
  const srcGlobals = src[GLOBAL_KEY] ?? {};
  if (!isTable(destGlobals)) { warn(`warning: skipping globals because destination ${GLOBAL_KEY} is not a table.`); return; }
  if (!isTable(srcGlobals)) { warn(`warning: skipping globals because source ${GLOBAL_KEY} is not a table.`); return; }
  for (const key of Object.keys(srcGlobals)) {
    const value = srcGlobals[key];
    if (isTable(value)) {
      const copy = deepCopy(value);
      const existing = destGlobals[key];
      if (existing === undefined) destGlobals[key] = copy;
      else if (!isTable(existing)) warn(`Conflict: cannot merge map onto non-map for "${key}". Skipping.`);
      else { coalesceTables(copy, existing, concatPrefix(prefix, key), true, warn); destGlobals[key] = copy; }
    } else if (isTable(destGlobals[key])) {
      warn(`key ${key} is table. Skipping`);
    } else {
      destGlobals[key] = value;
      copyEntryOrigin(srcGlobals, key, destGlobals);
    }
  }
  dest[GLOBAL_KEY] = destGlobals;
}

/** Puts the chart's defaults under `values`: what `values` sets wins, a null in it deletes the key. */
function coalesceChartValues(chart: ValuesChart, values: GoMap, prefix: string, merge: boolean, warn: Warn): void {
  const subPrefix = concatPrefix(prefix, chart.name);
  const defaults = deepCopy(chart.values);
  for (const key of Object.keys(defaults)) {
    const fallback = defaults[key];
    if (key in values) {
      const value = values[key];
      if (value === null && !merge) delete values[key];
      else if (isTable(value)) {
        if (!isTable(fallback)) { if (fallback !== null) warn(`warning: skipped value for ${subPrefix}.${key}: Not a table.`); }
        else coalesceTables(value, fallback, concatPrefix(subPrefix, key), merge || isSubchart(chart, key), warn);
      }
    } else {
      // A null among a chart's defaults means the key is absent, unless nulls are kept for a subchart to see.
      if (fallback === null && !merge) continue;
      values[key] = merge || !isTable(fallback) ? fallback : trimNilValues(fallback);
      copyEntryOrigin(defaults, key, values);
    }
  }
}

/** A key that names a subchart is merged, never coalesced: its nulls are for the subchart to see. */
function isSubchart(chart: ValuesChart, key: string): boolean {
  return chart.dependencies.some(sub => sub.name === key);
}

/** Merges `src` under `dst` (dst wins); with `merge` false a null in dst deletes the key (coalesceTablesFullKey). */
export function coalesceTables(dst: GoMap, src: GoMap, prefix: string, merge: boolean, warn: Warn): GoMap {
  for (const key of Object.keys(dst)) if (dst[key] === null) src[key] = null;
  for (const key of Object.keys(src)) {
    const value = src[key];
    const fullKey = concatPrefix(prefix, key);
    if (key in dst && !merge && dst[key] === null) delete dst[key];
    else if (!(key in dst)) {
      if (value === null && !merge) continue;
      dst[key] = merge || !isTable(value) ? value : trimNilValues(value);
      copyEntryOrigin(src, key, dst);
    } else if (isTable(value)) {
      if (isTable(dst[key])) coalesceTables(dst[key] as GoMap, value, fullKey, merge, warn);
      else warn(`warning: cannot overwrite table with non table for ${fullKey} (${goPrint(value)})`);
    } else if (isTable(dst[key]) && value !== null) {
      warn(`warning: destination for ${fullKey} is a table. Ignoring non-table value (${goPrint(value)})`);
    }
  }
  return dst;
}

/** Helm's MergeTables: `src` under `dst`, keeping nulls (used for import-values with merging). */
export function mergeTables(dst: GoMap, src: GoMap): GoMap {
  for (const key of Object.keys(src)) {
    const value = src[key];
    if (!(key in dst)) { dst[key] = value; copyEntryOrigin(src, key, dst); }
    else if (isTable(value) && isTable(dst[key])) mergeTables(dst[key] as GoMap, value);
  }
  return dst;
}

/** The user's values from several sources, later ones winning, maps merged deeply (pkg/cli/values mergeMaps). */
export function mergeMaps(a: GoMap, b: GoMap): GoMap {
  const out: GoMap = {};
  for (const key of Object.keys(a)) { out[key] = a[key]; copyEntryOrigin(a, key, out); }
  for (const key of Object.keys(b)) {
    const value = b[key];
    if (isTable(value) && isTable(out[key])) out[key] = mergeMaps(out[key] as GoMap, value);
    else { out[key] = value; copyEntryOrigin(b, key, out); }
  }
  return out;
}

/** A value at a dotted path (`a.b.c`), or undefined when a part is missing or not a table (Values.PathValue). */
export function pathValue(values: GoMap, path: string): unknown {
  const parts = path.split('.');
  let at: unknown = values;
  for (const part of parts) {
    if (!isTable(at) || !(part in at)) return undefined;
    at = at[part];
  }
  return at;
}

/** The table at a dotted path, or undefined (Values.Table). */
export function tableAt(values: GoMap, path: string): GoMap | undefined {
  const found = path === '.' || path === '' ? values : pathValue(values, path);
  return isTable(found) ? found : undefined;
}

/** `{a: {b: value}}` for the path `a.b` (pathToMap); `.` is the value itself. */
export function pathToMap(path: string, value: GoMap): GoMap {
  if (path === '.') return value;
  const parts = path.split('.').filter(Boolean);
  let out: GoMap = value;
  for (let i = parts.length - 1; i >= 0; i--) out = { [parts[i]]: out };
  return out;
}

/** A copy without the null entries, at every depth (trimNilValues). */
export function trimNilValues(values: GoMap): GoMap {
  const out: GoMap = {};
  const origin = originOf(values);
  if (origin) setOrigin(out, origin);
  for (const key of Object.keys(values)) {
    const value = values[key];
    if (value === null) continue;
    out[key] = isTable(value) ? trimNilValues(value) : value;
    copyEntryOrigin(values, key, out);
  }
  return out;
}
