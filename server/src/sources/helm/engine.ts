// Helm's engine (pkg/engine/engine.go): every template of a chart and its subcharts parsed into one set, named
// `<chart path>/templates/<file>`, deeper paths first so that a parent's defines win; each template that is not a
// partial executed with its chart's data; `<no value>` removed; errors rewritten as Helm words them.
import { ExecError, FunctionFactory, GoFunction, GoMap, ParseError, Templates, TextSegment } from '../../gotemplate';
import { Chart, ChartFile, chartFullPath, fileText, isLibrary } from './chart';
import { isTable } from './coalesce';
import { chartObject, filesObject, templateObject } from './objects';

export interface EngineOptions {
  /** Functions of the set (Sprig, Helm's); include, tpl and required need the handle, hence factories. */
  functions: ReadonlyArray<Record<string, GoFunction> | FunctionFactory>;
  /** Helm's toYaml, for `.Files.AsConfig`. */
  toYaml: (value: unknown) => string;
  /** Missing keys are errors (Helm's --strict lint). */
  strict?: boolean;
  /** Record where each part of the output came from (on by default). */
  sourceMap?: boolean;
}

export interface RenderedTemplate {
  /** The template's full name (`mychart/templates/deployment.yaml`). */
  name: string;
  file: ChartFile;
  text: string;
  segments: TextSegment[];
}

/** A template error as Helm reports it, with the file and offsets at fault when known. */
export class RenderError extends Error {
  constructor(message: string, readonly file?: string, readonly start?: number, readonly end?: number) { super(message); }
}

/** Renders every template of `chart` with `top` = {Values, Release, Capabilities}; partials are parsed, not rendered. */
export function renderTemplates(chart: Chart, top: GoMap, options: EngineOptions): RenderedTemplate[] {
  const renderables: Renderable[] = [];
  collect(chart, top, renderables, options);
  return renderSet(renderables, options);
}

/** One template of a set: its full name, text, the data it runs with and its chart's templates folder. */
export interface Renderable {
  name: string;
  file: ChartFile;
  data: GoMap;
  basePath: string;
}

/** Parses the templates into one set and executes each that is not a partial (Engine.render). */
export function renderSet(renderables: Renderable[], options: EngineOptions): RenderedTemplate[] {
  const ordered = sortTemplates(renderables);
  // Include's own limit (1000 nested calls of one name) must speak first, so the executor's depth limit sits above it.
  const templates = new Templates({ functions: options.functions, missingKey: options.strict ? 'error' : 'zero', limits: { maxDepth: 1100 } });
  for (const r of ordered) {
    try { templates.parse(r.name, fileText(r.file), r.file.path); } catch (error) { throw parseError(r, error); }
  }
  const rendered: RenderedTemplate[] = [];
  for (const r of ordered) {
    if (baseName(r.name).startsWith('_')) continue;
    r.data.Template = templateObject(r.name, r.basePath);
    let output;
    try { output = templates.execute(r.name, r.data, { sourceMap: options.sourceMap ?? true }); } catch (error) { throw execError(r, error); }
    rendered.push({ name: r.name, file: r.file, ...withoutNoValue(output.text, output.segments) });
  }
  return rendered;
}

function collect(chart: Chart, parent: GoMap, out: Renderable[], options: EngineOptions): GoMap {
  const subcharts: GoMap = {};
  const parentValues = parent.Values;
  let values: unknown = {};
  if (!chart.parent) values = parentValues;
  else if (isTable(parentValues) && isTable(parentValues[chart.metadata.name])) values = parentValues[chart.metadata.name];
  const data: GoMap = {
    Chart: chartObject(chart), Files: filesObject(chart.files, options.toYaml), Release: parent.Release,
    Capabilities: parent.Capabilities, Values: values, Subcharts: subcharts,
  };
  for (const sub of chart.dependencies) subcharts[sub.metadata.name] = collect(sub, data, out, options);
  const path = chartFullPath(chart);
  for (const file of chart.templates) {
    if (isLibrary(chart) && !baseName(file.name).startsWith('_')) continue;
    out.push({ name: `${path}/${file.name}`, file, data, basePath: `${path}/templates` });
  }
  return data;
}

/** Deeper paths first, then names in reverse order (sort.Reverse(byPathLen)). */
function sortTemplates(list: Renderable[]): Renderable[] {
  const depth = (name: string) => name.split('/').length;
  return [...list].sort((a, b) => depth(b.name) - depth(a.name) || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** Go's `<no value>` removed from the output, with the segments moved to match. */
function withoutNoValue(text: string, segments: TextSegment[]): { text: string; segments: TextSegment[] } {
  const NO_VALUE = '<no value>';
  if (!text.includes(NO_VALUE)) return { text, segments };
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
  return {
    text: text.split(NO_VALUE).join(''),
    segments: segments.map(s => ({ ...s, start: shift(s.start), end: shift(s.end) })).filter(s => s.end > s.start),
  };
}

function parseError(r: Renderable, error: unknown): RenderError {
  if (!(error instanceof ParseError)) return new RenderError(`parse error in (${r.name}): ${(error as Error).message}`, r.file.path);
  const tokens = error.message.split(': ');
  if (tokens.length === 1) return new RenderError(`parse error in (${r.name}): ${error.message}`, r.file.path);
  const location = (error as ParseError & { location?: { start: number; end: number } }).location;
  return new RenderError(`parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`, r.file.path, location?.start, location?.end);
}

const EXEC_ERROR = /^executing "([^"]*)" at <([^>]*)>: ([\s\S]*)$/;
/** The text between the first `HELM[` and the last `]HELM` after it: how `required` and `fail` mark their message, so that Helm reports it alone (warnWrap). */
function warningText(text: string): string | undefined {
  const start = text.indexOf('HELM[');
  const end = text.lastIndexOf(']HELM');
  return start >= 0 && end >= start + 5 ? text.slice(start + 5, end) : undefined;
}
const FAILED_CALL = /^executing "[^"]*" at <[^>]*>: error calling (?:required|fail): ((?:(?!: template: )[\s\S])*)$/;

/**
 * Go's `template: NAME:L:C: executing "NAME" at <X>: MESSAGE` as Helm prints it (cleanupExecError and
 * reformatExecErrorMsg): a `required` or `fail` message alone; else each level of nested includes on its own lines.
 */
function execError(r: Renderable, error: unknown): RenderError {
  const message = (error as Error).message ?? String(error);
  const location = error instanceof ExecError ? error.location : undefined;
  const at = (text: string) => new RenderError(text, location?.file ?? r.file.path, location?.start, location?.end);
  const tokens = splitN(message, ': ', 3);
  if (tokens.length !== 3 || tokens[0] !== 'template') return at(message);
  const warning = warningText(tokens[2]) ?? FAILED_CALL.exec(tokens[2])?.[1];
  if (warning !== undefined) return at(`execution error at (${tokens[1]}): ${warning}`);
  // Each nested include's error wraps the next one: cut the chain where the next `template: ` starts.
  const levels = message.split(/: (?=template: )/);
  const text = levels.map((level, i) => {
    const part = i < levels.length - 1 ? `${level}:` : level;
    const [head, place, rest] = splitN(part, ': ', 3);
    if (head !== 'template' || rest === undefined) return part;
    const executing = EXEC_ERROR.exec(rest);
    return executing ? `${place}\n  executing "${executing[1]}" at <${executing[2]}>:\n    ${executing[3]}` : `${place}\n  ${rest}`;
  }).join('\n');
  return at(text.trim());
}

function splitN(text: string, separator: string, n: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (out.length < n - 1) {
    const at = rest.indexOf(separator);
    if (at < 0) break;
    out.push(rest.slice(0, at));
    rest = rest.slice(at + separator.length);
  }
  out.push(rest);
  return out;
}

