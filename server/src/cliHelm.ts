// The CLI's Helm charts: each chart below the directories given (a folder with Chart.yaml that is not another
// chart's subchart) is rendered in-process and linted, with every finding in the template or values file a user
// changes; the chart's own files are not linted on their own.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AnalyzeOptions, TextEdit } from './engine';
import { applyTextEdits } from './engine/fixes/apply';
import { AppliedFix } from './engine/fixes/fixAll';
import { isSuggestion } from './engine/suggestions';
import { writeFixed } from './cliFix';
import { DiskFileSystem, gunzip } from './diskFileSystem';
import { sourceFixes } from './sources/fixProjection';
import { chartOptions, renderChartSource, ValueSet } from './sources/helm/chartSource';
import { findingsOfRendering, mergeShared, SourceFinding, unusedInFiles } from './sources/sourceFindings';
import { SuppressionUses } from './sources/sourceSuppressions';
import { CHART_DIRECTIVES, RenderedLines } from './sources/helm/templateSuppressions';
import { SourceTexts } from './sources/sourceTexts';

export const CHART_USAGE = `A directory holding Chart.yaml is a Helm chart, linted as rendered, with findings in its files:
  -f, --values <file>      a values file for the charts (repeatable; later files win)
  --set <key=value>        set a value as Helm's --set does (repeatable)
  --set-string <key=value> set a value as a string (repeatable)
  --namespace <ns>         the release namespace (default: default)
  --release-name <name>    the release name (default: release-name)
  --kube-version <v>       the Kubernetes version templates see`;

/** Reads one of the chart flags into `valueSet`; false when `name` is not one. */
export function readChartFlag(name: string, value: () => string, valueSet: ValueSet): boolean {
  switch (name) {
    case '-f': case '--values': (valueSet.values ??= []).push(...value().split(',').map(file => resolve(file))); return true;
    case '--set': (valueSet.set ??= []).push({ argument: value() }); return true;
    case '--set-string': (valueSet.set ??= []).push({ argument: value(), strings: true }); return true;
    case '--namespace': valueSet.namespace = value(); return true;
    case '--release-name': valueSet.releaseName = value(); return true;
    case '--kube-version': valueSet.kubeVersion = value(); return true;
    default: return false;
  }
}

/** The charts of the YAML files found in directories (findYamlFiles): folders with Chart.yaml, without the subcharts in their `charts/`. */
export function chartDirectories(files: readonly string[]): string[] {
  const charts = new Set<string>();
  for (const file of files) if (file.endsWith('/Chart.yaml') || file === 'Chart.yaml') charts.add(resolve(dirname(file)));
  return [...charts].filter(chart => ![...charts].some(other => other !== chart && chart.startsWith(`${other}/charts/`))).sort();
}

export interface ChartFindings {
  findings: SourceFinding[];
  /** The files of the charts that were linted (absolute, sorted): what the summary's file count counts. */
  files: string[];
  /** Every file of the charts (absolute): not linted on its own. */
  covered: (file: string) => boolean;
  sources: SourceTexts;
}

/** The value sets a chart is linted with: given on the command line, else configured, else the chart's defaults. */
export type ValueSetsFor = (chartDir: string) => ValueSet[];

/** Lints the charts with their value sets, a finding they share once; `optionsFor` is undefined for an excluded file. */
export function lintCharts(charts: readonly string[], valueSetsFor: ValueSetsFor, optionsFor: (file: string) => AnalyzeOptions | undefined): ChartFindings {
  const fs = new DiskFileSystem();
  const sources = new SourceTexts(fs);
  const findings: SourceFinding[] = [];
  const files = new Set<string>();
  // A chart that cannot be rendered as written may miss what its directives suppress: no unused one is reported there.
  const unsure = new Set<string>();
  const uses = new SuppressionUses();
  const rendered = new RenderedLines();
  for (const chart of charts) {
    const options = optionsFor(`${chart}/Chart.yaml`);
    if (!options) continue;
    for (const valueSet of valueSetsFor(chart)) {
      const { rendering, namespace, reads } = renderChartSource(chart, fs, valueSet, gunzip);
      for (const file of reads) if (isLintedChartFile(chart, file) && optionsFor(file)) files.add(file);
      if (rendering.problems.some(problem => problem.severity === 'error')) reads.forEach(file => unsure.add(file));
      // Most charts have no directive to judge.
      if ([...reads].some(file => sources.get(file)?.text.includes('kube-immutable-ignore'))) rendered.add(rendering, sources);
      for (const finding of findingsOfRendering(rendering, sources, chartOptions(options, namespace), undefined, uses)) {
        if (optionsFor(finding.file) && !isSuggestion(finding, options)) findings.push(finding);
      }
      // Its findings are placed: the parses of its documents are no longer needed.
      sources.keepRendered(new Set());
    }
  }
  findings.push(...unusedInFiles([...files].filter(file => !unsure.has(file)), sources, uses, optionsFor, CHART_DIRECTIVES, (file, text, directive) => rendered.judges(file, text, directive)));
  return { findings: mergeShared(findings), files: [...files].sort(), covered: file => charts.some(chart => file.startsWith(`${chart}/`)), sources };
}

/**
 * A file a chart's rendering read that counts as linted: a template (`_helpers.tpl` too) or a YAML file (Chart.yaml,
 * values files) of the chart or of a subchart folder; not a file inside a `.tgz` archive, nor one `.Files` reads.
 */
function isLintedChartFile(chart: string, file: string): boolean {
  if (!file.startsWith(`${chart}/`) || !existsSync(file)) return false;
  return /\/templates\/[^/]+$/.test(file) || /\.ya?ml$/.test(file);
}

/** Rounds of `--fix`: fixes that meet in one file (two keys under one `securityContext: {}`) wait for the next. */
const FIX_ROUNDS = 8;

/**
 * `--fix` on charts: the preferred fix of every finding, made in the values files and templates it edits, each
 * file written once a round; the chart is rendered again after each round until no fix is left to make.
 */
export function fixCharts(charts: readonly string[], valueSetsFor: ValueSetsFor, optionsFor: (file: string) => AnalyzeOptions | undefined, displayName: (file: string) => string): void {
  for (let round = 0; round < FIX_ROUNDS; round++) {
    const { findings, sources } = lintCharts(charts, valueSetsFor, optionsFor);
    const edits = new Map<string, TextEdit[]>();
    const applied = new Map<string, AppliedFix[]>();
    for (const finding of findings) {
      const fix = sourceFixes(finding, sources).find(f => f.isPreferred);
      if (!fix || fix.creates.length) continue;
      const candidate = fix.changes.map(change => ({ file: change.file, edits: [...(edits.get(change.file) ?? []), ...change.edits] }));
      if (!candidate.every(({ file, edits: all }) => { try { applyTextEdits(sources.get(file)!.text, all); return true; } catch { return false; } })) continue;
      for (const { file, edits: all } of candidate) edits.set(file, all);
      const file = fix.changes[0].file;
      applied.set(file, [...(applied.get(file) ?? []), { rule: finding.rule, title: fix.title, ...(finding.container !== undefined ? { container: finding.container } : {}) }]);
    }
    if (!edits.size) return;
    for (const [file, fileEdits] of edits) writeFixed(displayName(file), applyTextEdits(sources.get(file)!.text, fileEdits), applied.get(file) ?? []);
  }
}
