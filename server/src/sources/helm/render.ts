// `helm template` in-process: load the chart, settle its subcharts and values, render every template, and
// assemble the output exactly as Helm prints it; each rendered document keeps where its parts came from.
import { FunctionFactory, GoFunction, GoMap, Templates, TextSegment } from '../../gotemplate';
import { Origin, OriginSegment, RenderedDocument, SourceFileSystem, SourceProblem } from '../origin';
import { Gunzip } from './archive';
import { Chart, ChartLoadError, crdFiles, fileText, isLibrary, loadChart } from './chart';
import { coalesceValues, mergeMaps, Warn } from './coalesce';
import { processDependencies, valuesChart } from './dependencies';
import { renderTemplates, RenderError } from './engine';
import { isTestHook, Manifest, ManifestError, sortManifests, splitManifests } from './manifests';
import { capabilitiesObject, DEFAULT_API_VERSIONS, releaseObject } from './objects';
import { pathMatch } from './pathMatch';
import { parseSet, StrvalsError } from './strvals';
import { readValues, ValuesError } from './valuesFile';
import { validateSchema } from './schema';
import { versionSatisfies } from './semver';

/** The Kubernetes version a render assumes when none is given (`.Capabilities.KubeVersion`). */
export const DEFAULT_KUBE_VERSION = 'v1.32.0';
export const DEFAULT_RELEASE_NAME = 'release-name';

export interface RenderChartOptions {
  releaseName?: string;
  /** A template for the release name (`--name-template`), rendered with the chart's functions. */
  nameTemplate?: string;
  namespace?: string;
  /** Values files (`-f`), in order, later ones winning. */
  valuesFiles?: string[];
  /** `--set` and `--set-string` arguments, in the order given. */
  set?: { argument: string; strings?: boolean }[];
  kubeVersion?: string;
  apiVersions?: string[];
  showOnly?: string[];
  includeCrds?: boolean;
  skipTests?: boolean;
  noHooks?: boolean;
  /** Print the rendered files even when a document is not YAML (`--debug`). */
  debug?: boolean;
  gunzip?: Gunzip;
  /** Record where each part of the output came from (on by default). */
  sourceMap?: boolean;
  warn?: Warn;
}

/** The functions of a render: Sprig's and Helm's; include and tpl reach the template set through the handle. */
export interface HelmFunctions {
  functions: ReadonlyArray<Record<string, GoFunction> | FunctionFactory>;
  toYaml: (value: unknown) => string;
}

export interface ChartRender {
  /** One per rendered document, in output order (CRDs when asked for, manifests, then hooks). */
  documents: RenderedDocument[];
  problems: SourceProblem[];
  filesRead: string[];
  /** Exactly what `helm template` prints on standard output. */
  manifest: string;
  /** What `helm template` prints after `Error: ` when it fails. */
  error?: string;
  /** The loaded chart, when it loaded. */
  chart?: Chart;
}

export function renderChart(chartPath: string, fs: SourceFileSystem, functions: HelmFunctions, options: RenderChartOptions = {}): ChartRender {
  const result: ChartRender = { documents: [], problems: [], filesRead: [], manifest: '' };
  const fail = (message: string, span?: { file: string; start: number; end: number }) => {
    result.error = message;
    result.problems.push({ message, severity: 'error', ...(span ? { span } : {}) });
    return result;
  };
  let chart: Chart;
  try { chart = loadChart(chartPath, fs, { gunzip: options.gunzip }); } catch (error) {
    const path = (error as ChartLoadError).path;
    return fail((error as Error).message, path ? { file: path, start: 0, end: 0 } : undefined);
  }
  result.chart = chart;
  result.filesRead = collectFiles(chart);
  if (isLibrary(chart)) return fail('library charts are not installable');
  const missing = missingDependencies(chart);
  if (missing.length) return fail(`found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`);

  const kubeVersion = options.kubeVersion ?? DEFAULT_KUBE_VERSION;
  if (chart.metadata.kubeVersion && !versionSatisfies(chart.metadata.kubeVersion, kubeVersion)) {
    return fail(`chart requires kubeVersion: ${chart.metadata.kubeVersion} which is incompatible with Kubernetes ${kubeVersion.startsWith('v') ? kubeVersion : `v${kubeVersion}`}`);
  }

  let user: GoMap = {};
  try {
    for (const file of options.valuesFiles ?? []) {
      const text = fs.readFile(file);
      if (text === undefined) return fail(`open ${file}: no such file or directory`);
      result.filesRead.push(file);
      user = mergeMaps(user, readValues(text, file));
    }
    for (const { argument, strings } of options.set ?? []) parseSet(argument, user, { strings, file: strings ? '--set-string' : '--set' });
  } catch (error) {
    if (error instanceof StrvalsError) return fail(`failed parsing --set data: ${error.message}`);
    if (error instanceof ValuesError) return fail(error.message, error.origin);
    throw error;
  }

  const warn = options.warn ?? (() => {});
  let values: GoMap;
  try {
    processDependencies(chart, user, warn);
    values = coalesceValues(valuesChart(chart), user, warn);
  } catch (error) {
    return fail((error as Error).message);
  }
  const schemaProblems = validateSchema(chart, values);
  if (schemaProblems.length) {
    result.problems.push(...schemaProblems.map(p => ({ message: p.message, severity: 'error' as const, ...(p.span ? { span: p.span } : {}) })));
    result.error = `values don't meet the specifications of the schema(s) in the following chart(s):\n${schemaProblems.map(p => p.text).join('')}`;
    return result;
  }

  let releaseName = options.releaseName ?? DEFAULT_RELEASE_NAME;
  if (options.nameTemplate !== undefined) {
    try {
      const names = new Templates({ functions: functions.functions });
      names.parse('name-template', options.nameTemplate);
      releaseName = names.execute('name-template', null, { sourceMap: false }).text;
    } catch (error) { return fail((error as Error).message); }
  }
  const top: GoMap = {
    Values: values,
    Release: releaseObject({ name: releaseName, namespace: options.namespace ?? 'default' }),
    Capabilities: capabilitiesObject(kubeVersion, [...DEFAULT_API_VERSIONS, ...splitApiVersions(options.apiVersions ?? [])]),
  };

  let rendered;
  try {
    rendered = renderTemplates(chart, top, { functions: functions.functions, toYaml: functions.toYaml, sourceMap: options.sourceMap });
  } catch (error) {
    if (error instanceof RenderError) return fail(error.message, error.file ? { file: error.file, start: error.start ?? 0, end: error.end ?? error.start ?? 0 } : undefined);
    return fail(`rendering template failed: ${(error as Error).message}`);
  }
  const files = new Map<string, string>();
  const byName = new Map(rendered.map(r => [r.name, r]));
  for (const r of rendered) if (!r.name.endsWith('NOTES.txt')) files.set(r.name, r.text);

  let sorted;
  try { sorted = sortManifests(files); } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    if (options.debug) {
      let blob = '';
      for (const [name, text] of files) if (text.trim()) blob += `---\n# Source: ${name}\n${text}\n`;
      result.manifest = `${blob.trim()}\n`;
    }
    return fail(options.debug ? error.message : `${error.message}\n\nUse --debug flag to render out invalid YAML`);
  }

  // Output as `helm template` builds it: CRDs, manifests (trimmed as one block), then hooks.
  const printed: { source: string; content: string; document?: RenderedDocument }[] = [];
  if (options.includeCrds) for (const crd of crdFiles(chart)) printed.push({ source: crd.filename, content: fileText(crd.file), document: crdDocument(crd.file.path, fileText(crd.file), crd.filename) });
  // A template that prints many documents (a range over a list of apps) has its segments indexed once for them all.
  const indexes = new Map<string, SegmentIndex>();
  const documentOf = (m: Manifest) => {
    let index = indexes.get(m.path);
    if (!index) indexes.set(m.path, index = new SegmentIndex(byName.get(m.path)!.segments));
    return manifestDocument(m, index);
  };
  for (const m of sorted.manifests) printed.push({ source: m.path, content: m.content, document: documentOf(m) });
  let body = printed.map(p => `---\n# Source: ${p.source}\n${p.content}\n`).join('');
  body = `${body.trim()}\n`;
  const hooks = options.noHooks ? [] : sorted.hooks.filter(h => !(options.skipTests && isTestHook(h)));
  for (const h of hooks) {
    body += `---\n# Source: ${h.path}\n${h.content}\n`;
    printed.push({ source: h.path, content: h.content, document: documentOf(h) });
  }

  if (options.showOnly?.length) {
    // Helm cuts its own output again and keeps the pieces whose `# Source:` path (without the chart) matches.
    const pieces = splitManifests(body).map(piece => ({ text: piece.content, source: sourcePath(piece.content) }));
    const chosen: string[] = [];
    const documents: RenderedDocument[] = [];
    for (const pattern of options.showOnly) {
      const glob = pattern.replace(/\\/g, '/');
      let found = false;
      pieces.forEach((piece, index) => {
        if (piece.source === undefined || !matches(glob, piece.source)) return;
        chosen.push(`---\n${piece.text}\n`);
        const document = printed[index]?.document;
        if (document) documents.push(document);
        found = true;
      });
      if (!found) return fail(`could not find template ${pattern} in chart`);
    }
    result.manifest = chosen.join('');
    result.documents = documents;
  } else {
    result.manifest = body;
    result.documents = printed.flatMap(p => (p.document ? [p.document] : []));
  }
  return result;
}

/**
 * The path after the chart's name in the first `# Source: CHART/PATH` of a manifest: the chart's name runs to the
 * first `/` (across lines too), the path to the end of that line and is not empty.
 */
function sourcePath(content: string): string | undefined {
  const marker = '# Source: ';
  let from = 0;
  for (;;) {
    const at = content.indexOf(marker, from);
    if (at < 0) return undefined;
    const slash = content.indexOf('/', at + marker.length);
    if (slash < 0) return undefined;
    let end = slash + 1;
    while (end < content.length && !isLineBreak(content[end])) end++;
    if (slash > at + marker.length && end > slash + 1) return content.slice(slash + 1, end);
    // Every later marker before this slash fails the same way.
    from = slash + 1;
  }
}

function isLineBreak(c: string): boolean {
  return c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';
}

function matches(glob: string, path: string): boolean {
  try { return pathMatch(glob, path); } catch { return false; }
}

function splitApiVersions(list: string[]): string[] {
  return list.flatMap(entry => entry.split(',')).map(entry => entry.trim()).filter(Boolean);
}

function collectFiles(chart: Chart): string[] {
  return [...chart.filesRead, ...chart.dependencies.flatMap(collectFiles)];
}

/** Dependencies that Chart.yaml names and charts/ lacks (CheckDependencies). */
function missingDependencies(chart: Chart): string[] {
  const present = new Set(chart.dependencies.map(sub => sub.metadata.name));
  return (chart.metadata.dependencies ?? []).filter(dep => dep && !present.has(dep.name)).map(dep => dep.name);
}

/**
 * A template's segments sorted by start, with the largest end among each and those before it: the segments that
 * meet a range are found by bisection, so that a template printing thousands of documents is not walked whole for
 * each. Segments nest (an include's output holds the segments of its parts), so ends alone are not in order.
 */
export class SegmentIndex {
  private readonly sorted: TextSegment[];
  private readonly reach: number[] = [];

  constructor(segments: readonly TextSegment[]) {
    this.sorted = [...segments].sort((a, b) => a.start - b.start);
    let reach = -Infinity;
    for (const segment of this.sorted) this.reach.push(reach = Math.max(reach, segment.end));
  }

  /** The segments that meet [start, end), in order of their starts (the order of the template among equal ones). */
  meeting(start: number, end: number): TextSegment[] {
    // The first segment that reaches past `start`: every one before it ends at or before it.
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.reach[middle] > start) high = middle;
      else low = middle + 1;
    }
    const found: TextSegment[] = [];
    for (let i = low; i < this.sorted.length && this.sorted[i].start < end; i++) {
      if (this.sorted[i].end > start) found.push(this.sorted[i]);
    }
    return found;
  }
}

/** A document of a rendered template, with the template's segments that fall inside it, moved to its offsets. */
function manifestDocument(manifest: Manifest, template: SegmentIndex): RenderedDocument {
  const start = manifest.offset, end = start + manifest.content.length;
  const segments: OriginSegment[] = [];
  for (const s of template.meeting(start, end)) {
    const from = Math.max(s.start, start), to = Math.min(s.end, end);
    // Literal text is copied one to one, so a clipped piece of it comes from the matching piece of the template.
    const span = s.kind === 'literal'
      ? { file: s.origin.file, start: s.origin.start + (from - s.start), end: s.origin.end - (s.end - to) }
      : { file: s.origin.file, start: s.origin.start, end: s.origin.end };
    const origin: Origin = s.kind === 'action' ? { kind: 'generated', span, via: 'template' } : { kind: s.kind, span };
    segments.push({ start: from - start, end: to - start, origins: [origin] });
  }
  segments.sort((a, b) => a.start - b.start || b.end - a.end);
  return { text: manifest.content, segments, producedBy: manifest.path };
}

function crdDocument(path: string, text: string, source: string): RenderedDocument {
  return { text, segments: [{ start: 0, end: text.length, origins: [{ kind: 'literal', span: { file: path, start: 0, end: text.length } }] }], producedBy: source };
}

