// Which subcharts take part in a render, and the values they hand up (pkg/chart/common/util/dependencies.go):
// aliases copy a subchart under another name, `condition` and `tags` switch subcharts off, and `import-values`
// copies a subchart's values (or its `exports`) into the parent's.
import { GoMap } from '../../gotemplate/values';
import { Chart, ChartDependency } from './chart';
import { coalesceTables, deepCopy, isTable, mergeTables, mergeValues, pathToMap, pathValue, tableAt, ValuesChart, Warn } from './coalesce';
import { versionSatisfies } from './semver';

/** The view of a chart that coalescing needs; built fresh, since aliases and conditions change the tree. */
export function valuesChart(chart: Chart): ValuesChart {
  return { name: chart.metadata.name, values: chart.values, dependencies: chart.dependencies.map(valuesChart) };
}

/** Settles the subcharts of `chart` for `values` (the user's values), then imports their values; changes `chart`. */
export function processDependencies(chart: Chart, values: GoMap, warn: Warn): void {
  processEnabled(chart, values, '', warn);
  processImportValues(chart, warn);
}

function processEnabled(chart: Chart, values: GoMap, path: string, warn: Warn): void {
  const requested = chart.metadata.dependencies;
  if (!requested) return;
  const kept: Chart[] = chart.dependencies.filter(existing =>
    !requested.some(dep => dep && existing.metadata.name === dep.name && versionSatisfies(dep.version, existing.metadata.version)));
  for (const dep of requested) {
    const found = aliasDependency(chart.dependencies, dep);
    if (found) kept.push(found);
    if (dep.alias) dep.name = dep.alias;
  }
  chart.dependencies = kept;
  for (const dep of requested) dep.enabled = true;
  const coalesced = mergeValues(valuesChart(chart), values, warn);
  applyTags(requested, coalesced, warn);
  applyConditions(requested, coalesced, path, warn);
  const disabled = new Set(requested.filter(dep => !dep.enabled).map(dep => dep.name));
  chart.dependencies = chart.dependencies.filter(sub => !disabled.has(sub.metadata.name));
  chart.metadata.dependencies = requested.filter(dep => !disabled.has(dep.name));
  for (const sub of chart.dependencies) processEnabled(sub, coalesced, `${path}${sub.metadata.name}.`, warn);
}

/** The subchart a dependency names, copied under its alias when it has one. */
function aliasDependency(charts: readonly Chart[], dep: ChartDependency): Chart | undefined {
  const found = charts.find(c => c.metadata.name === dep.name && versionSatisfies(dep.version, c.metadata.version));
  if (!found || !dep.alias) return found;
  return { ...found, metadata: { ...found.metadata, name: dep.alias } };
}

function applyTags(dependencies: ChartDependency[], values: GoMap, warn: Warn): void {
  const tags = tableAt(values, 'tags');
  if (!tags) return;
  for (const dep of dependencies) {
    let hasTrue = false, hasFalse = false;
    for (const tag of dep.tags ?? []) {
      if (!(tag in tags)) continue;
      const value = tags[tag];
      if (typeof value === 'boolean') { if (value) hasTrue = true; else hasFalse = true; }
      else warn(`Warning: Tag '${tag}' for chart ${dep.name} returned non-bool value`);
    }
    if (!hasTrue && hasFalse) dep.enabled = false;
    else dep.enabled = true;
  }
}

function applyConditions(dependencies: ChartDependency[], values: GoMap, path: string, warn: Warn): void {
  for (const dep of dependencies) {
    for (const condition of (dep.condition ?? '').trim().split(',')) {
      if (!condition) continue;
      const value = pathValue(values, path + condition.trim());
      if (value === undefined) continue;
      if (typeof value === 'boolean') { dep.enabled = value; break; }
      warn(`Warning: Condition path '${condition}' for chart ${dep.name} returned non-bool value`);
    }
  }
}

function processImportValues(chart: Chart, warn: Warn): void {
  for (const sub of chart.dependencies) processImportValues(sub, warn);
  const requested = chart.metadata.dependencies;
  if (!requested) return;
  const values = mergeValues(valuesChart(chart), {}, warn);
  let imported: GoMap = {};
  for (const dep of requested) {
    for (const entry of dep['import-values'] ?? []) {
      if (isTable(entry)) {
        const child = String(entry.child), parent = String(entry.parent);
        const table = tableAt(values, `${dep.name}.${child}`);
        if (!table) { warn(`Warning: ImportValues missing table from chart ${dep.name}: ${child}`); continue; }
        imported = mergeTables(imported, pathToMap(parent, deepCopy(table)));
      } else if (typeof entry === 'string') {
        const table = tableAt(values, `${dep.name}.exports.${entry}`);
        if (!table) { warn(`Warning: ImportValues missing table: exports.${entry}`); continue; }
        imported = mergeTables(imported, deepCopy(table));
      }
    }
  }
  // Imported values rank below the parent's own, so a parent can import a section and override parts of it.
  chart.values = mergeTables(deepCopy(values), imported);
}

export { coalesceTables };
