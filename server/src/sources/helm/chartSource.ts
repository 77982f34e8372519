// A Helm chart as a source: rendered in-process with one set of values, each rendered document placed back in
// the chart's templates and values files. Test hooks (`helm test` pods) are left out: they run only on request,
// and a chart's own test is not what it deploys.
import { AnalyzeOptions, ChartValueSet, policyFor } from '../../engine';
import { CHART_PROBLEM_RULE, Rendering } from '../sourceFindings';
import { SourceFileSystem, SourceProblem } from '../origin';
import { Gunzip } from './archive';
import { ChartPlacer } from './chartPlacement';
import { helmFunctions } from './functions';
import { renderChart } from './render';

/** What a chart is rendered with: Helm's flags for values, release and cluster, and a name for messages. */
export interface ValueSet {
  /** How findings name this set (`values-prod.yaml`); the chart's defaults when absent. */
  name?: string;
  /** Values files, absolute, later ones winning (`-f`). */
  values?: string[];
  /** `--set` and `--set-string` arguments, in order. */
  set?: { argument: string; strings?: boolean }[];
  namespace?: string;
  releaseName?: string;
  kubeVersion?: string;
}

export interface ChartRendering {
  rendering: Rendering;
  /** Every file the render read (templates, values, Chart.yaml, subcharts). */
  reads: string[];
  /** The release namespace the chart renders into (`default` unless set). */
  namespace: string;
}

/** How many failing templates are set aside before the chart's failure is left as it is. */
const MAX_FAILED_TEMPLATES = 20;

/** The chart's files without some templates. */
function withoutFiles(fs: SourceFileSystem, hidden: ReadonlySet<string>): SourceFileSystem {
  if (!hidden.size) return fs;
  return {
    readFile: path => (hidden.has(path) ? undefined : fs.readFile(path)),
    ...(fs.readBytes ? { readBytes: (path: string) => (hidden.has(path) ? undefined : fs.readBytes!(path)) } : {}),
    readDirectory: path => fs.readDirectory(path)?.filter(name => !hidden.has(`${path}/${name}`)),
    isDirectory: path => fs.isDirectory(path),
  };
}

/** `--set` takes commas and backslashes as syntax: a configured value keeps them as text. */
const setValueText = (value: string) => value.replace(/\\/g, '\\\\').replace(/,/g, '\\,');

/** A configured value set (`helm.charts.<dir>`), its values files relative to the chart, named for messages. */
export function configuredValueSet(chartDir: string, configured: ChartValueSet): ValueSet {
  const set = Object.entries(configured.set ?? {}).map(([path, value]) => ({ argument: `${path}=${setValueText(value)}` }));
  const name = configured.name ?? [...(configured.values ?? []), ...Object.entries(configured.set ?? {}).map(([path, value]) => `${path}=${value}`), ...(configured.namespace ? [`namespace ${configured.namespace}`] : [])].join(', ');
  return {
    ...(name ? { name } : {}),
    values: (configured.values ?? []).map(file => `${chartDir}/${file}`),
    set, namespace: configured.namespace, releaseName: configured.releaseName, kubeVersion: configured.kubeVersion,
  };
}

/** Renders the chart in `chartDir` (absolute) with one value set; `gunzip` opens subcharts packed as `.tgz`. */
export function renderChartSource(chartDir: string, fs: SourceFileSystem, valueSet: ValueSet = {}, gunzip?: Gunzip): ChartRendering {
  const valuesFiles = valueSet.values ?? [];
  const problems: SourceProblem[] = [];
  const failed = new Set<string>();
  let render;
  // Helm stops at the first template that fails; the others are still worth linting, so the render is repeated
  // without each template that failed, and every failure is reported where Helm names it.
  for (;;) {
    render = renderChart(chartDir, withoutFiles(fs, failed), helmFunctions(), {
      valuesFiles, set: valueSet.set, namespace: valueSet.namespace, releaseName: valueSet.releaseName,
      kubeVersion: valueSet.kubeVersion, skipTests: true, gunzip,
    });
    problems.push(...render.problems);
    const file = render.error !== undefined ? render.problems[render.problems.length - 1]?.span?.file : undefined;
    if (!file || !/\/templates\//.test(file) || failed.has(file) || failed.size >= MAX_FAILED_TEMPLATES) break;
    failed.add(file);
  }
  const name = render.chart?.metadata.name ?? chartDir.slice(chartDir.lastIndexOf('/') + 1);
  const rendering: Rendering = {
    rootFile: `${chartDir}/Chart.yaml`,
    label: valueSet.name ? `chart ${name} with ${valueSet.name}` : `chart ${name}`,
    documents: render.documents,
    problems,
    placer: new ChartPlacer({ chartDir, valuesFiles }),
    problemRule: CHART_PROBLEM_RULE,
  };
  return { rendering, reads: render.filesRead, namespace: valueSet.namespace ?? 'default' };
}

/**
 * The options of a chart's rendering: what the release namespace enforces (`podSecurity`) applies to the objects
 * that name no namespace, since Helm installs them there.
 */
export function chartOptions(options: AnalyzeOptions, namespace: string): AnalyzeOptions {
  if (!options.podSecurity) return options;
  const { '*': _any, ...named } = options.podSecurity;
  const policy = policyFor(options.podSecurity, namespace);
  return { ...options, podSecurity: policy ? { ...named, '*': policy } : named };
}
