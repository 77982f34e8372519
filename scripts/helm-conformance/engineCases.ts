// Helm's engine test cases (engine/cases.json, kinds `templates` and `render`): a template set or a chart tree
// built in memory from the case, rendered by the product's engine, checked against the outputs and errors Helm's
// own tests assert. Returns undefined when a case passes, else what differed.
import { GoMap } from '../../server/src/gotemplate';
import { Chart, ChartFile, ChartMetadata } from '../../server/src/sources/helm/chart';
import { coalesceValues, isTable } from '../../server/src/sources/helm/coalesce';
import { valuesChart } from '../../server/src/sources/helm/dependencies';
import { renderSet, renderTemplates, RenderedTemplate } from '../../server/src/sources/helm/engine';
import { Cluster, helmFunctions } from '../../server/src/sources/helm/functions';

interface CaseChart { metadata: ChartMetadata; templates: { name: string; data: string }[]; files: { name: string; data: string }[]; values: GoMap | null; dependencies: CaseChart[] }

export interface EngineCase {
  kind: 'func' | 'templates' | 'render';
  name: string;
  source: string;
  templates?: Record<string, { template: string; data: unknown; basePath?: string }>;
  chart?: CaseChart;
  values?: GoMap;
  options?: { strict: boolean; lintMode: boolean };
  cluster?: CaseCluster;
  expected?: Record<string, string>;
  expectedCount?: number;
  expectError?: boolean;
  error?: { match: 'equals' | 'contains' | 'suffix' | 'any'; text: string } | null;
}

/** The fake cluster of a case: the kinds it serves (`v1/Pod`), the errors it answers for others, and its objects. */
interface CaseCluster {
  resources: Record<string, { namespaced: boolean }>;
  errors: Record<string, string>;
  objects: GoMap[];
}

/**
 * The case's cluster as Helm's engine test serves it (engine_test.go, a fake dynamic client): a kind it does not
 * serve is an error, a namespace narrows a namespaced kind only, and a list is the objects of that kind as `items`.
 */
function caseCluster(cluster: CaseCluster): Cluster {
  return {
    lookup(apiVersion, kind, namespace, name) {
      const key = `${apiVersion}/${kind}`;
      if (cluster.errors[key] !== undefined) throw new Error(cluster.errors[key]);
      const resource = cluster.resources[key];
      if (!resource) throw new Error(`no resource ${key}`);
      const metadata = (object: GoMap) => (object.metadata ?? {}) as GoMap;
      const matching = cluster.objects.filter(object => object.apiVersion === apiVersion && object.kind === kind
        && (!resource.namespaced || namespace === '' || metadata(object).namespace === namespace));
      if (name === '') return { apiVersion, kind: `${kind}List`, items: matching };
      return matching.find(object => metadata(object).name === name);
    },
  };
}

const encoder = new TextEncoder();

function file(name: string, data: string): ChartFile {
  return { name, data: encoder.encode(data), path: name };
}

function buildChart(c: CaseChart, parent?: Chart): Chart {
  const chart: Chart = {
    metadata: { ...c.metadata, apiVersion: c.metadata.apiVersion ?? 'v1' }, values: c.values ?? {},
    templates: c.templates.map(t => file(t.name, t.data)), files: c.files.map(f => file(f.name, f.data)),
    dependencies: [], parent, path: c.metadata.name, archived: false, filesRead: [],
  };
  chart.dependencies = c.dependencies.map(d => buildChart(d, chart));
  return chart;
}

/** `{"$coalesceValues": X}`, at any depth, stands for Helm's CoalesceValues(chart, X); the rest is taken as it is. */
function topValues(chart: Chart, values: unknown): GoMap {
  const resolve = (value: unknown): unknown => {
    if (!isTable(value)) return value;
    if (isTable(value.$coalesceValues)) return coalesceValues(valuesChart(chart), value.$coalesceValues as GoMap);
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolve(entry)]));
  };
  const top = resolve(values ?? {});
  return isTable(top) ? top : {};
}

export function runEngineCase(c: EngineCase): string | undefined {
  const functions = helmFunctions({ lintMode: c.options?.lintMode ?? false, cluster: c.cluster && caseCluster(c.cluster) });
  const options = { functions: functions.functions, toYaml: functions.toYaml, strict: c.options?.strict ?? false, sourceMap: false };
  let rendered: RenderedTemplate[];
  try {
    if (c.kind === 'templates') {
      rendered = renderSet(Object.entries(c.templates ?? {}).map(([name, t]) => ({
        name, file: file(name, t.template), data: isTable(t.data) ? { ...t.data } : {}, basePath: t.basePath ?? '',
      })), options);
    } else {
      const chart = buildChart(c.chart!);
      rendered = renderTemplates(chart, topValues(chart, c.values), options);
    }
  } catch (error) {
    const message = (error as Error).message;
    if (!c.expectError) return `unexpected error: ${message}`;
    return errorMatches(c.error, message) ? undefined : `error ${JSON.stringify(message)}, expected ${c.error?.match} ${JSON.stringify(c.error?.text)}`;
  }
  if (c.expectError) return 'rendered, but an error was expected';
  const outputs = new Map(rendered.map(r => [r.name, r.text]));
  for (const [name, expected] of Object.entries(c.expected ?? {})) {
    if (outputs.get(name) !== expected) return `${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(outputs.get(name))}`;
  }
  if (c.expectedCount !== undefined && outputs.size !== c.expectedCount) return `expected ${c.expectedCount} outputs, got ${outputs.size}`;
  return undefined;
}

function errorMatches(expected: EngineCase['error'], message: string): boolean {
  if (!expected || expected.match === 'any') return true;
  if (expected.match === 'equals') return message === expected.text;
  if (expected.match === 'contains') return message.includes(expected.text);
  return message.endsWith(expected.text);
}
