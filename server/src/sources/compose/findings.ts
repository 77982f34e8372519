// The Compose checks run on a project's services, each once, with each finding in the file that holds what it
// points at (the base file's service for a key nobody sets, an override file's line for a value it sets) and each
// fix made of edits in the files that hold the keys it changes. Severities, suppression comments (in the file of
// the finding) and `exemptImages` work as for a file analysed alone.
import { Document } from 'yaml';
import { AnalyzeOptions, Finding, InternalError, Position, Range, RawFinding, severityOf, TextEdit, UNUSED_SUPPRESSION_RULE } from '../../engine';
import { SERVICE_RULES } from '../../engine/compose/rules';
import { FixGuard, UNCHECKED } from '../../engine/fixes/guard';
import { internalError } from '../../engine/limits';
import { FixSpec, Report } from '../../engine/rule';
import { applyFileSuppressions, applySuppressions, commentSuppressions, isExemptImage } from '../../engine/suppressions';
import { spanOf } from '../../engine/yamlNodes';
import { COMPOSE_KIND } from '../../engine/analyze';
import { SourceProblem } from '../origin';
import { SourceLocation } from '../placement';
import { SourceFix } from '../fixProjection';
import { COMPOSE_PROBLEM_RULE } from '../sourceFindings';
import { ComposeProject } from './project';

/** A finding of a project, in the file it is placed in; its fixes may edit several files of the project. */
export interface ComposeFinding extends Omit<Finding, 'fixes' | 'related'> {
  file: string;
  /** Places it has to do with (in this file or another): the read-only setting a tmpfs finding depends on. */
  locations: SourceLocation[];
  fixes?: SourceFix[];
}

export interface ProjectFindings {
  findings: ComposeFinding[];
  errors: (InternalError & { file: string })[];
}

/** Line and character of offsets in one text. */
class Lines {
  private readonly starts = [0];
  constructor(readonly text: string) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.starts.push(at + 1);
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle; else high = middle - 1;
    }
    return { line: low, character: offset - this.starts[low] };
  }

  range([start, end]: readonly [number, number]): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}

/** A file of the project as the analysis of its findings needs it. */
interface FileState { text: string; docs: readonly Document[]; lines: Lines; guard: FixGuard; raw: RawFinding[] }

/** The findings of a project, each file's sorted by position, under the options of its base file (as a kustomization's root decides for its tree). */
export function analyzeComposeProject(project: ComposeProject, options: AnalyzeOptions): ProjectFindings {
  const states = new Map<string, FileState>();
  for (const [path, file] of project.files) {
    states.set(path, { text: file.compose.text, docs: file.docs, lines: new Lines(file.compose.text), guard: new FixGuard(file.compose.text, file.docs, 0), raw: [] });
  }
  const nodeFiles = new WeakMap<object, string>();
  for (const [path, file] of project.files) indexNodes(file.compose.doc, path, nodeFiles);
  const errors: ProjectFindings['errors'] = [];
  const fixesOf = new Map<RawFinding, SourceFix[]>();

  for (const service of project.services) {
    if (service.image && isExemptImage(service.image, options.exemptImages ?? [])) continue;
    for (const { rule, checkService } of SERVICE_RULES) {
      const report = (r: Report) => {
        const file = r.file ?? (Array.isArray(r.at) ? undefined : nodeFiles.get(r.at as object)) ?? service.file.path!;
        const state = states.get(file)!;
        const range = state.lines.range(Array.isArray(r.at) ? r.at as [number, number] : spanOf(r.at as never));
        const raw: RawFinding = { rule: rule.meta.id, messageId: `${rule.meta.id}/${r.messageId}`, message: r.message, range, documentIndex: 0, container: service.name };
        if (r.severity) raw.severity = r.severity;
        if (r.unnecessary) raw.unnecessary = true;
        const related = (r.related ?? []).flatMap(item => {
          if (!('at' in item)) return [];
          const at = Array.isArray(item.at) ? undefined : nodeFiles.get(item.at as object);
          const where = states.get(at ?? file)!;
          return [{ file: at ?? file, range: where.lines.range(Array.isArray(item.at) ? item.at as [number, number] : spanOf(item.at as never)), message: item.message }];
        });
        if (related.length) raw.related = related;
        state.raw.push(raw);
        if (!r.fixes) return;
        try {
          const fixes = r.fixes().flatMap(fix => projectFix(fix, states, problem => errors.push({ rule: rule.meta.id, documentIndex: 0, range, file, message: `the fix "${fix.title}" was not offered: ${problem}` })));
          if (fixes.length) fixesOf.set(raw, fixes);
        } catch (error) {
          errors.push({ ...internalError(rule.meta.id, error), file });
        }
      };
      try { checkService(service, { text: service.file.text, options, report }); } catch (error) { errors.push({ ...internalError(rule.meta.id, error), file: service.file.path! }); }
    }
  }

  const findings: ComposeFinding[] = project.problems.map(problem => problemFinding(problem, project, states));
  for (const [path, state] of states) findings.push(...fileFindings(path, state, fixesOf, options));
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { findings, errors };
}

/** Each node of a document, and each of its pairs, mapped to the file. */
function indexNodes(doc: Document, file: string, map: WeakMap<object, string>): void {
  const pending: unknown[] = [doc.contents];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (!node || typeof node !== 'object' || map.has(node)) continue;
    map.set(node, file);
    const { items, key, value } = node as { items?: unknown[]; key?: unknown; value?: unknown };
    if (Array.isArray(items)) pending.push(...items);
    if ('key' in (node as object)) pending.push(key, value);
  }
}

/** A fix of the project: its edits grouped by file, each group checked against its file; undefined when one fails. */
function projectFix(fix: FixSpec, states: ReadonlyMap<string, FileState>, refused: (problem: string) => void): SourceFix[] {
  const byFile = new Map<string, FixSpec['edits']>();
  for (const edit of fix.edits) {
    const file = edit.file!;
    byFile.set(file, [...(byFile.get(file) ?? []), edit]);
  }
  const changes = [];
  for (const [file, edits] of byFile) {
    const state = states.get(file)!;
    const problem = state.guard.problem({ title: fix.title, edits, changes: edits.flatMap(edit => edit.changes ?? []) });
    if (problem) {
      if (problem !== UNCHECKED) refused(problem);
      return [];
    }
    changes.push({ file, edits: edits.map((edit): TextEdit => ({ range: state.lines.range([edit.start, edit.end]), newText: edit.text })) });
  }
  return [{ title: fix.title, ...(fix.isPreferred ? { isPreferred: true } : {}), changes, creates: [] }];
}

/** The findings placed in one file: suppressed by its comments, with the configured severities. */
function fileFindings(path: string, state: FileState, fixesOf: ReadonlyMap<RawFinding, SourceFix[]>, options: AnalyzeOptions): ComposeFinding[] {
  const doc = state.docs[0];
  const documentRange = state.lines.range([doc.range?.[0] ?? 0, doc.range?.[2] ?? state.text.length]);
  const kept = applySuppressions(state.raw, commentSuppressions(state.text, documentRange));
  const findings: Finding[] = [];
  const fixes = new Map<Finding, SourceFix[]>();
  for (const raw of kept) {
    const configured = severityOf(raw.rule, options);
    if (configured === 'off') continue;
    const finding: Finding = { ...raw, severity: raw.severity ?? configured };
    findings.push(finding);
    const projected = fixesOf.get(raw) ?? (raw.fixes ?? []).map(fix => ({ title: fix.title, ...(fix.isPreferred ? { isPreferred: true } : {}), changes: [{ file: path, edits: fix.edits }], creates: [] }));
    if (projected.length) fixes.set(finding, projected);
  }
  const summary = { index: 0, status: 'analysed' as const, kind: COMPOSE_KIND, range: documentRange };
  const result = applyFileSuppressions([{ text: state.text, offset: 0, line: 0 }], { findings, documents: [summary] }, severityOf(UNUSED_SUPPRESSION_RULE, options));
  return result.findings
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .map(finding => {
      const { related, fixes: ownFixes, ...rest } = finding;
      const projected = fixes.get(finding) ?? (ownFixes ?? []).map(fix => ({ title: fix.title, ...(fix.isPreferred ? { isPreferred: true } : {}), changes: [{ file: path, edits: fix.edits }], creates: [] }));
      return {
        ...rest, file: path,
        locations: (related ?? []).map(r => ({ file: r.file ?? path, range: r.range, message: r.message })),
        ...(projected.length ? { fixes: projected } : {}),
      };
    });
}

/** A problem of the project as an error on its span, or on the first line of the base file. */
function problemFinding(problem: SourceProblem, project: ComposeProject, states: ReadonlyMap<string, FileState>): ComposeFinding {
  const file = problem.span?.file ?? project.chain[0];
  const text = project.texts.get(file);
  const lines = states.get(file)?.lines ?? (text === undefined ? undefined : new Lines(text));
  const span: [number, number] = problem.span ? [problem.span.start, problem.span.end] : [0, 0];
  const range = lines ? lines.range(span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { file, rule: COMPOSE_PROBLEM_RULE, messageId: `${COMPOSE_PROBLEM_RULE}/not-read`, severity: problem.severity, message: problem.message, range, documentIndex: 0, locations: [] };
}
