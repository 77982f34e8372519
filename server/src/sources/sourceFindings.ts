// The engine run on what a source rendered, with every finding placed in the source file a user would change,
// and the problems of the source itself (a missing file, a cycle) as findings on the line at fault.
import { analyzeText, AnalysisResult, AnalyzeOptions, Finding, RuleMeta } from '../engine';
import { docsUrl, messagesOf } from '../engine/rule';
import { OriginSegment, RenderedDocument, SourceProblem } from './origin';
import { offsetOf, placeFinding, placeRange, resourceLabel, SourceLocation } from './placement';
import { SourceTexts } from './sourceTexts';

/** What a source rendered, from one root (a kustomization directory). */
export interface Rendering {
  /** The root's own file (its kustomization.yaml), where problems without a file and related information go. */
  rootFile: string;
  /** How messages name it (e.g. `overlays/prod`). */
  label: string;
  documents: readonly RenderedDocument[];
  problems: readonly SourceProblem[];
}

/** A rendered document's finding as the engine made it, kept for fixes (see fixProjection.ts). */
export interface RenderedFinding { rendering: Rendering; document: RenderedDocument; finding: Finding }

/** A finding in a source file. `related` of the engine's finding is replaced by `locations`, which name their file. */
export interface SourceFinding extends Omit<Finding, 'related' | 'fixes'> {
  file: string;
  locations: SourceLocation[];
  /** Each rendering that has this finding (several when overlays share a base), with the engine's finding. */
  renderedFrom: RenderedFinding[];
}

export const SOURCE_PROBLEM_RULE = 'kustomize-build';

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
];

export type Analyze = (text: string, options: AnalyzeOptions) => AnalysisResult;

/** A problem of the source as a finding on its span (on the root file's first line when it names no file). */
function problemFinding(rendering: Rendering, problem: SourceProblem, sources: SourceTexts): SourceFinding {
  const span = problem.span ?? { file: rendering.rootFile, start: 0, end: 0 };
  const range = sources.range(span) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const located = sources.nodeAt(span);
  return {
    file: span.file, rule: SOURCE_PROBLEM_RULE, messageId: `${SOURCE_PROBLEM_RULE}/${problem.severity === 'error' ? 'not-built' : 'not-rendered'}`,
    severity: problem.severity, message: problem.message, range,
    documentIndex: located?.documentIndex ?? 0, locations: [], renderedFrom: [],
  };
}

/** The findings of one rendering, each placed in a source file; findings that cannot be placed go on the root file. */
export function findingsOfRendering(rendering: Rendering, sources: SourceTexts, options: AnalyzeOptions, analyze: Analyze = analyzeText): SourceFinding[] {
  const found: SourceFinding[] = rendering.problems.map(problem => problemFinding(rendering, problem, sources));
  const rootStart = { line: 0, character: 0 };
  for (const document of rendering.documents) {
    for (const finding of analyze(document.text, options).findings) {
      const placed = placeFinding(document, finding, sources);
      const { related, fixes, ...rest } = finding;
      const locations: SourceLocation[] = (related ?? []).flatMap(r => {
        const at = placeRange(document, offsetOf(document.text, r.range.start), offsetOf(document.text, r.range.end), sources);
        return at ? [{ file: at.file, range: at.range, message: r.message }] : [];
      });
      locations.push({ file: rendering.rootFile, range: { start: rootStart, end: rootStart }, message: `Rendered by ${rendering.label} as ${resourceLabel(finding)}.` });
      found.push({
        ...rest,
        file: placed?.file ?? rendering.rootFile,
        range: placed?.range ?? { start: rootStart, end: rootStart },
        documentIndex: placed?.documentIndex ?? 0,
        locations,
        renderedFrom: [{ rendering, document, finding }],
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
