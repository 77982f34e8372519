// Engine findings in LSP shapes. The only place that knows both.
import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import { AnalyzeOptions, BUILT_IN_CHECKS, Finding, ignoreForContainerEdit, Range, RULES, Severity } from '../engine';
import { fixAll } from '../engine/fixes/fixAll';
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
export function toIgnoreActions(text: string, findings: readonly Finding[], uri: string, requested: Range, onlyDiagnostics: readonly Diagnostic[]): CodeAction[] {
  return findings.flatMap(finding => {
    const diagnostic = finding.container !== undefined ? diagnosticFor(finding, uri, requested, onlyDiagnostics) : undefined;
    const edit = diagnostic && ignoreForContainerEdit(text, finding);
    return edit ? [{ title: `Ignore ${finding.rule} for this container`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: [edit] } } }] : [];
  });
}

/**
 * Quick fixes of the findings whose range meets the requested range. A fix that several findings offer (such as
 * "Harden container ..." on the four findings of an unhardened container) is listed once, for the first.
 */
export function toCodeActions(findings: readonly Finding[], uri: string, requested: Range, onlyDiagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const titles = new Set<string>();
  for (const finding of findings) {
    if (!finding.fixes) continue;
    const diagnostic = diagnosticFor(finding, uri, requested, onlyDiagnostics);
    if (!diagnostic) continue;
    for (const fix of finding.fixes) {
      if (titles.has(fix.title)) continue;
      titles.add(fix.title);
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.isPreferred,
        edit: { changes: { [uri]: fix.edits } },
      });
    }
  }
  return actions;
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

/** Quick fixes for the requested range, and fix-all when the request asks for source actions by kind. */
export function codeActionsFor(text: string, findings: readonly Finding[], uri: string, params: CodeActionParams, options: AnalyzeOptions, refused: (problem: string) => void): CodeAction[] {
  const { only, diagnostics } = params.context;
  const actions = wanted(CodeActionKind.QuickFix, only)
    ? [...toCodeActions(findings, uri, params.range, diagnostics), ...toIgnoreActions(text, findings, uri, params.range, diagnostics)]
    : [];
  const all = only && wanted(FIX_ALL_KIND, only) ? toFixAllAction(text, uri, options, refused) : undefined;
  return all ? [...actions, all] : actions;
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}
