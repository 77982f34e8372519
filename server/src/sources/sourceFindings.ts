// The engine run on what a source rendered, with every finding placed in the source file a user would change,
// and the problems of the source itself (a missing file, a cycle) as findings on the line at fault.
import { analyzeText, AnalysisResult, AnalyzeOptions, ChunkParse, Finding, Fix, FixDemand, parseChunk, RuleMeta, Severity, severityOf, TextEdit, UNUSED_SUPPRESSION_RULE } from '../engine';
import { Directive, unusedDirectiveHints } from '../engine/suppressions';
import { fixesOf } from '../engine/fixes/onDemand';
import { docsUrl, messagesOf } from '../engine/rule';
import { OriginSegment, RenderedDocument, SourceProblem } from './origin';
import { offsetOf, placeFinding, Placement, placeRange, resourceLabel, SourceLocation } from './placement';
import { SourceTexts } from './sourceTexts';
import { DirectiveAt, sourceDirectives, sourceSuppressors, SuppressionUses } from './sourceSuppressions';

/** What a source rendered, from one root (a kustomization directory). */
export interface Rendering {
  /** The root's own file (its kustomization.yaml), where problems without a file and related information go. */
  rootFile: string;
  /** How messages name it (e.g. `overlays/prod`). */
  label: string;
  documents: readonly RenderedDocument[];
  problems: readonly SourceProblem[];
  /** How the source places findings and makes fixes; absent, by the YAML nodes its origins point at (Kustomize). */
  placer?: SourcePlacer;
  /** The check that reports the source's own problems (`kustomize-build` when absent). */
  problemRule?: string;
}

/** Edits of one source file. */
export interface FileEdits { file: string; edits: TextEdit[] }

/** A fix in source files: edits of existing files, and files it creates (a new patch beside a kustomization). */
export interface SourceFix {
  title: string;
  isPreferred?: boolean;
  changes: FileEdits[];
  creates: { file: string; text: string }[];
}

/**
 * Placement and fixes of a source whose origins are text rather than YAML nodes (a chart's templates): where a
 * finding goes can depend on where its fix goes (a missing field goes where the user adds it).
 */
export interface SourcePlacer {
  placeFinding(document: RenderedDocument, finding: Finding, sources: SourceTexts): Placement | undefined;
  placeRange(document: RenderedDocument, start: number, end: number, sources: SourceTexts): Placement | undefined;
  /** The fix made in the source files; undefined when it cannot be made there. */
  projectFix(rendered: RenderedFinding, fix: Fix, sources: SourceTexts): SourceFix | undefined;
  /** The directives that suppress the finding where the source writes what it is about (template comments). */
  suppressors?(document: RenderedDocument, finding: Finding, sources: SourceTexts): DirectiveAt[];
  /** Further places a finding has to do with (the template line of the container). */
  locations?(document: RenderedDocument, finding: Finding, sources: SourceTexts): SourceLocation[];
}

/**
 * A rendered document's finding as the engine made it, without fixes (see renderedFixes), and the options it was
 * analysed with, kept for fixes (see fixProjection.ts).
 */
export interface RenderedFinding { rendering: Rendering; document: RenderedDocument; finding: Finding; options: AnalyzeOptions }

/** A finding in a source file. `related` of the engine's finding is replaced by `locations`, which name their file. */
export interface SourceFinding extends Omit<Finding, 'related' | 'fixes'> {
  file: string;
  locations: SourceLocation[];
  /** Each rendering that has this finding (several when overlays share a base), with the engine's finding. */
  renderedFrom: RenderedFinding[];
  /** Fixes made in the source file itself, not projected from a rendering's (removing an unused suppression). */
  directFixes?: SourceFix[];
}

export const SOURCE_PROBLEM_RULE = 'kustomize-build';
export const COMPOSE_PROBLEM_RULE = 'compose-project';
export const CHART_PROBLEM_RULE = 'helm-template';

export const SOURCE_CHECKS: readonly RuleMeta[] = [
  {
    id: SOURCE_PROBLEM_RULE,
    defaultSeverity: 'error',
    description: 'A kustomization that cannot be built as written (a missing file, a cycle, a patch without a target) or uses what is not rendered here (helmCharts, remote resources, plugins).',
    docsUrl: docsUrl(SOURCE_PROBLEM_RULE),
    messages: messagesOf(SOURCE_PROBLEM_RULE, {
      'not-built': 'A part of the tree cannot be built as written (a missing file, a cycle, a patch without a target).',
      'not-rendered': 'A part of the tree is left out because it is not rendered here (helmCharts, remote resources, plugins).',
    }),
  },
  {
    id: COMPOSE_PROBLEM_RULE,
    defaultSeverity: 'error',
    description: 'A Compose project that cannot be read as docker compose reads it: a missing or broken file of its chain, include or extends, a cycle.',
    docsUrl: docsUrl(COMPOSE_PROBLEM_RULE),
    messages: messagesOf(COMPOSE_PROBLEM_RULE, {
      'not-read': 'A part of the Compose project cannot be read (a missing or broken file, an include or extends cycle), so its services are checked without it.',
    }),
  },
  {
    id: CHART_PROBLEM_RULE,
    defaultSeverity: 'error',
    description: 'A Helm chart that cannot be rendered as written (a template error, a value that fails values.schema.json, a missing dependency).',
    docsUrl: docsUrl(CHART_PROBLEM_RULE),
    messages: messagesOf(CHART_PROBLEM_RULE, {
      'not-built': 'The chart cannot be rendered as written (a template error, a value that fails values.schema.json).',
      'not-rendered': 'A part of the chart is left out.',
    }),
  },
];

/** The engine's analysis of a rendered text (analyzeText, or a host's cache of it), parsing with `parse`. */
export type Analyze = (text: string, options: AnalyzeOptions, fixes: FixDemand, parse: ChunkParse) => AnalysisResult;

/**
 * What a rendering's documents are analysed for: no fixes, which are made when a host asks for them
 * (renderedFixes); a source that places a finding where its fix goes (a chart) plans the fix without checking it.
 */
const demandOf = (rendering: Rendering): FixDemand => (rendering.placer ? 'planned' : 'none');

const computedFixes = new WeakMap<Finding, Fix[]>();

/** The engine's fixes of a rendered finding, made and checked on the first request, as the editor's quick fixes are. */
export function renderedFixes(rendered: RenderedFinding): Fix[] {
  const { finding } = rendered;
  if (finding.fixes || !finding.fixRef) return finding.fixes ?? [];
  let fixes = computedFixes.get(finding);
  if (!fixes) computedFixes.set(finding, fixes = fixesOf(rendered.document.text, [finding], rendered.options).get(finding) ?? []);
  return fixes;
}

/** A problem of the source as a finding on its span (on the root file's first line when it names no file). */
function problemFinding(rendering: Rendering, problem: SourceProblem, sources: SourceTexts): SourceFinding {
  const span = problem.span ?? { file: rendering.rootFile, start: 0, end: 0 };
  const range = sources.range(span) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  // A template is not YAML: its problems sit in its one document.
  const located = rendering.placer ? undefined : sources.nodeAt(span);
  const rule = rendering.problemRule ?? SOURCE_PROBLEM_RULE;
  return {
    file: span.file, rule, messageId: `${rule}/${problem.severity === 'error' ? 'not-built' : 'not-rendered'}`,
    severity: problem.severity, message: problem.message, range,
    documentIndex: located?.documentIndex ?? 0, locations: [], renderedFrom: [],
  };
}

/**
 * The findings of one rendering, each placed in a source file; findings that cannot be placed go on the root file.
 * The directives of source files that suppress findings are noted in `uses`.
 */
export function findingsOfRendering(rendering: Rendering, sources: SourceTexts, options: AnalyzeOptions, analyze: Analyze = analyzeText, uses = new SuppressionUses()): SourceFinding[] {
  const found: SourceFinding[] = rendering.problems.map(problem => problemFinding(rendering, problem, sources));
  const rootStart = { line: 0, character: 0 };
  // A source that places findings by the rendered nodes (a chart) reads the parse the analysis made.
  const parse = rendering.placer ? sources.renderedParse : parseChunk;
  for (const document of rendering.documents) {
    for (const finding of analyze(document.text, options, demandOf(rendering), parse).findings) {
      const placer = rendering.placer;
      const placed = placer ? placer.placeFinding(document, finding, sources) : placeFinding(document, finding, sources);
      const placedText = placed && sources.get(placed.file)?.text;
      const suppressors: DirectiveAt[] = placed && placedText ? sourceSuppressors(placedText, finding.rule, placed.range).map(line => ({ file: placed.file, line })) : [];
      suppressors.push(...placer?.suppressors?.(document, finding, sources) ?? []);
      if (suppressors.length) {
        for (const { file, line } of suppressors) uses.add(file, line, finding.rule);
        continue;
      }
      const { related, fixes, ...rest } = finding;
      const locations: SourceLocation[] = (related ?? []).flatMap(r => {
        const [start, end] = [offsetOf(document.text, r.range.start), offsetOf(document.text, r.range.end)];
        const at = placer ? placer.placeRange(document, start, end, sources) : placeRange(document, start, end, sources);
        return at ? [{ file: at.file, range: at.range, message: r.message }] : [];
      });
      locations.push(...(placer?.locations?.(document, finding, sources) ?? []));
      locations.push({ file: rendering.rootFile, range: { start: rootStart, end: rootStart }, message: `Rendered by ${rendering.label} as ${resourceLabel(finding)}.` });
      found.push({
        ...rest,
        file: placed?.file ?? rendering.rootFile,
        range: placed?.range ?? { start: rootStart, end: rootStart },
        documentIndex: placed?.documentIndex ?? 0,
        locations,
        renderedFrom: [{ rendering, document, finding, options }],
      });
    }
  }
  return found;
}

/** Where the resource of a rendered document was first written: the same for every overlay that renders one base resource. */
function resourceOrigin(document: RenderedDocument | undefined): string {
  const root = document?.segments.reduce<OriginSegment | undefined>((outer, segment) => (!outer || segment.end - segment.start > outer.end - outer.start ? segment : outer), undefined);
  const written = root?.origins.find(origin => origin.kind === 'literal') ?? root?.origins[0];
  return written ? `${written.span.file}:${written.span.start}` : '';
}

/** A finding is the same in two renderings when it sits at the same place, about the same written resource. */
function identity(finding: SourceFinding): string {
  const { start, end } = finding.range;
  return [finding.file, finding.rule, start.line, start.character, end.line, end.character, finding.message, resourceOrigin(finding.renderedFrom[0]?.document)].join('\0');
}

/**
 * One finding per place and problem: a base included by three overlays has its finding once, with the three
 * renderings (and their "Rendered by" locations) that share it. Sorted by file, then position.
 */
export function mergeShared(findings: Iterable<SourceFinding>): SourceFinding[] {
  const merged = new Map<string, SourceFinding>();
  for (const finding of findings) {
    const key = identity(finding);
    const seen = merged.get(key);
    if (!seen) { merged.set(key, { ...finding, locations: [...finding.locations], renderedFrom: [...finding.renderedFrom] }); continue; }
    for (const location of finding.locations) {
      if (!seen.locations.some(l => l.file === location.file && l.message === location.message)) seen.locations.push(location);
    }
    seen.renderedFrom.push(...finding.renderedFrom);
  }
  return [...merged.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
    || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** The overlays (renderings) a shared finding comes from, for messages: `overlays/a, overlays/b`. */
export function renderingLabels(finding: SourceFinding): string[] {
  return [...new Set(finding.renderedFrom.map(r => r.rendering.label))];
}

/**
 * `unused-suppression` hints for the directives of a source file that suppressed nothing in any rendering that
 * `uses` gathers, with `severity`; `label` names a directive in the message (the `#` comment by default).
 */
function unusedSourceSuppressions(file: string, directives: readonly Directive[], uses: SuppressionUses, severity: Severity, label?: (directive: Directive) => string): SourceFinding[] {
  return directives.flatMap(directive => unusedDirectiveHints(directive, uses.rulesAt(file, directive.line), label?.(directive)).map((hint): SourceFinding => {
    const { fixes, ...rest } = hint;
    return {
      ...rest, severity, file, locations: [], renderedFrom: [],
      directFixes: (fixes ?? []).map(fix => ({ title: fix.title, isPreferred: fix.isPreferred, changes: [{ file, edits: fix.edits }], creates: [] })),
    };
  }));
}

/** How a kind of source reads the directives of one of its files, and names them in messages. */
export interface SourceDirectives {
  directives(file: string, text: string): Directive[];
  label?(file: string, directive: Directive): string;
}

/** Which directives can be told unused (all by default). */
export type Judged = (file: string, text: string, directive: Directive) => boolean;

/**
 * The `unused-suppression` hints of `files` (read by renderings whose suppressions `uses` gathered), each with the
 * severity the file's options give the rule; none for an excluded file or with the rule off.
 */
export function unusedInFiles(files: Iterable<string>, sources: SourceTexts, uses: SuppressionUses, optionsFor: (file: string) => AnalyzeOptions | undefined, read: SourceDirectives, judged: Judged = () => true): SourceFinding[] {
  const found: SourceFinding[] = [];
  for (const file of files) {
    const options = optionsFor(file);
    const severity = options && severityOf(UNUSED_SUPPRESSION_RULE, options);
    const text = sources.get(file)?.text;
    if (!severity || severity === 'off' || text === undefined) continue;
    const directives = read.directives(file, text).filter(directive => judged(file, text, directive));
    found.push(...unusedSourceSuppressions(file, directives, uses, severity, read.label && (directive => read.label!(file, directive))));
  }
  return found;
}

/**
 * The directives of Kustomize's files: the `#` comment lines of its YAML files (not those of the files a generator
 * reads, such as a `.env` file, where findings are never placed).
 */
export const COMMENT_DIRECTIVES: SourceDirectives = {
  directives: (file, text) => (/(\.ya?ml|\/Kustomization)$/.test(file) ? sourceDirectives(text) : []),
};
