// Engine findings in LSP shapes. The only place that knows both.
import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import { AnalyzeOptions, BUILT_IN_CHECKS, ChunkParse, Finding, Fix, FixRef, ignoreForContainerEdits, parseChunk, Range, RULES, Severity } from '../engine';
import { fixAll } from '../engine/fixes/fixAll';
import { fixesOf } from '../engine/fixes/onDemand';
import { replacementEdit } from '../engine/fixes/apply';
import { SOURCE_CHECKS, SourceFinding } from '../sources/sourceFindings';

export const SOURCE = 'kube-immutable';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const DOCS = new Map([...RULES.map(rule => rule.meta), ...BUILT_IN_CHECKS, ...SOURCE_CHECKS].map(meta => [meta.id, meta.docsUrl]));

// Findings of the documents an edit did not touch come back as the same objects (see assemble), and so do
// their diagnostics.
const converted = new WeakMap<Finding, { uri: string; diagnostic: Diagnostic }>();

export function toDiagnostic(finding: Finding, uri: string): Diagnostic {
  const cached = converted.get(finding);
  if (cached?.uri === uri) return cached.diagnostic;
  const diagnostic = convert(finding, uri);
  converted.set(finding, { uri, diagnostic });
  return diagnostic;
}

function convert(finding: Finding, uri: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    source: SOURCE,
    message: finding.message,
    data: { messageId: finding.messageId },
  };
  const href = DOCS.get(finding.rule);
  if (href) diagnostic.codeDescription = { href };
  if (finding.related) diagnostic.relatedInformation = finding.related.map(r => ({ location: { uri: r.file ?? uri, range: r.range }, message: r.message }));
  if (finding.unnecessary) diagnostic.tags = [DiagnosticTag.Unnecessary];
  return diagnostic;
}

/** A finding of a Kustomize tree, in the source file it is placed in; its related places name their own files. */
export function sourceDiagnostic(finding: SourceFinding, toUri: (path: string) => string): Diagnostic {
  const diagnostic = convert({ ...finding, related: undefined }, '');
  if (finding.locations.length) {
    diagnostic.relatedInformation = finding.locations.map(l => ({ location: { uri: toUri(l.file), range: l.range }, message: l.message }));
  }
  return diagnostic;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** The diagnostic a code action is for: the client's, else the finding's when it meets the requested range. */
function diagnosticFor(finding: Finding, uri: string, requested: Range, onlyDiagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  return onlyDiagnostics.find(d => d.code === finding.rule && sameRange(d.range, finding.range))
    ?? (overlaps(finding.range, requested) ? toDiagnostic(finding, uri) : undefined);
}

/** "Ignore <rule> for this container": a suppression comment above the container, for findings about one. */
export function toIgnoreActions(text: string, findings: readonly Finding[], uri: string, requested: Range, onlyDiagnostics: readonly Diagnostic[], parse: ChunkParse = parseChunk): CodeAction[] {
  const wanted = findings.flatMap(finding => {
    const diagnostic = finding.container !== undefined ? diagnosticFor(finding, uri, requested, onlyDiagnostics) : undefined;
    return diagnostic ? [{ finding, diagnostic }] : [];
  });
  const edits = ignoreForContainerEdits(text, wanted.map(({ finding }) => finding), parse);
  return wanted.flatMap(({ finding, diagnostic }, i) => {
    const edit = edits[i];
    return edit ? [{ title: `Ignore ${finding.rule} for this container`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: [edit] } } }] : [];
  });
}

/**
 * The fixes of findings computed once: an editor asks for the code actions at the cursor after each move. A finding
 * object stands for its text and options (an analysis hands back the same object only for the same chunk text at
 * the same place, analysed with the same options), so its fixes stay valid while the object lives.
 */
const computedFixes = new WeakMap<Finding, Fix[]>();

/** `fixesOf`, from and into computedFixes. */
export function cachedFixesOf(text: string, findings: readonly Finding[], options: AnalyzeOptions, parse: ChunkParse = parseChunk): Map<Finding, Fix[]> {
  const missing = findings.filter(finding => !computedFixes.has(finding));
  for (const [finding, fixes] of missing.length ? fixesOf(text, missing, options, parse) : []) computedFixes.set(finding, fixes);
  return new Map(findings.map(finding => [finding, computedFixes.get(finding)!]));
}

/** Computes the fixes of some findings of the analysed text (see engine/fixes/onDemand.ts). */
export type FixesOf = (findings: readonly Finding[]) => Map<Finding, Fix[]>;

/** What a quick fix sent without its edit carries, so that `codeAction/resolve` can compute the edit. */
export interface DeferredFix { uri: string; version: number; fixRef: FixRef; rule: string; title: string }

/**
 * Quick fixes of the findings whose range meets the requested range; only their fixes are computed. A fix that
 * several findings offer (such as "Harden container ..." on the four findings of an unhardened container) is
 * listed once, for the first. With `deferred`, a fix of a finding with a FixRef goes without its edit, carrying
 * what its resolve needs instead.
 */
export function toCodeActions(findings: readonly Finding[], uri: string, requested: Range, onlyDiagnostics: readonly Diagnostic[], fixesOf: FixesOf, deferred?: { version: number }): CodeAction[] {
  const fixable: { finding: Finding; diagnostic: Diagnostic }[] = [];
  for (const finding of findings) {
    if (!finding.fixes && !finding.fixRef) continue;
    const diagnostic = diagnosticFor(finding, uri, requested, onlyDiagnostics);
    if (diagnostic) fixable.push({ finding, diagnostic });
  }
  const fixes = fixesOf(fixable.map(({ finding }) => finding));
  const actions: CodeAction[] = [];
  const titles = new Set<string>();
  for (const { finding, diagnostic } of fixable) {
    for (const fix of fixes.get(finding) ?? []) {
      if (titles.has(fix.title)) continue;
      titles.add(fix.title);
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.isPreferred };
      if (deferred && finding.fixRef) {
        const data: DeferredFix = { uri, version: deferred.version, fixRef: finding.fixRef, rule: finding.rule, title: fix.title };
        action.data = data;
      } else {
        action.edit = { changes: { [uri]: fix.edits } };
      }
      actions.push(action);
    }
  }
  return actions;
}

/** The edit of a deferred quick fix, if `findings` (of the same version of the text) still offer it. */
export function resolveFixEdit(data: DeferredFix, findings: readonly Finding[], fixesOf: FixesOf): CodeAction['edit'] {
  const same = (ref: FixRef) => ref.line === data.fixRef.line && ref.document === data.fixRef.document && ref.report === data.fixRef.report;
  const finding = findings.find(f => f.fixRef && f.rule === data.rule && same(f.fixRef));
  const fix = finding && fixesOf([finding]).get(finding)?.find(f => f.title === data.title);
  return fix && { changes: { [data.uri]: fix.edits } };
}

/** The kind of the action that applies every preferred fix: `editor.codeActionsOnSave` can run it. */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.${SOURCE}`;

/** Does a request's `only` filter let actions of `kind` through? `source` lets `source.fixAll.x` through. */
export function wanted(kind: string, only: readonly string[] | undefined): boolean {
  return !only || only.some(prefix => kind === prefix || kind.startsWith(`${prefix}.`));
}

/**
 * The fix-all action for a document, or undefined when nothing can be fixed, or when its fixes together failed
 * their check (a bug, handed to `refused` for the log).
 */
export function toFixAllAction(text: string, uri: string, options: AnalyzeOptions, refused: (problem: string) => void): CodeAction | undefined {
  const { text: fixed, applied, refused: problem } = fixAll(text, options);
  if (problem) refused(problem);
  if (!applied.length) return undefined;
  return {
    title: `Fix all ${SOURCE} problems that have an automatic fix (${applied.length})`,
    kind: FIX_ALL_KIND,
    edit: { changes: { [uri]: [replacementEdit(text, fixed)] } },
  };
}

/**
 * Quick fixes for the requested range, and fix-all when the request asks for source actions by kind. The
 * findings came from an analysis with `analysedWith`; with `deferred`, quick fixes go without their edits (see
 * toCodeActions).
 */
export function codeActionsFor(text: string, findings: readonly Finding[], uri: string, params: CodeActionParams, options: AnalyzeOptions, refused: (problem: string) => void,
  analysedWith: AnalyzeOptions, deferred?: { version: number }): CodeAction[] {
  const { only, diagnostics } = params.context;
  // The fixes at the cursor and the "Ignore" edits read the same chunk: it is parsed once for both.
  const parse = lastParseKept();
  const fixes: FixesOf = wantedFindings => cachedFixesOf(text, wantedFindings, analysedWith, parse);
  const actions = wanted(CodeActionKind.QuickFix, only)
    ? [...toCodeActions(findings, uri, params.range, diagnostics, fixes, deferred), ...toIgnoreActions(text, findings, uri, params.range, diagnostics, parse)]
    : [];
  const all = only && wanted(FIX_ALL_KIND, only) ? toFixAllAction(text, uri, options, refused) : undefined;
  return all ? [...actions, all] : actions;
}

/** parseChunk, keeping its last result for the same text. */
function lastParseKept(): ChunkParse {
  let last: { text: string; docs: ReturnType<ChunkParse> } | undefined;
  return text => {
    if (last?.text !== text) last = { text, docs: parseChunk(text) };
    return last.docs;
  };
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}
