// Engine findings in LSP shapes. The only place that knows both.
import { CodeAction, CodeActionKind, Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';
import { Finding, Range, RULES, Severity } from '../engine';

export const SOURCE = 'kube-immutable';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const DOCS = new Map(RULES.map(rule => [rule.meta.id, rule.meta.docsUrl]));

export function toDiagnostic(finding: Finding, uri: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    source: SOURCE,
    message: finding.message,
  };
  const href = DOCS.get(finding.rule);
  if (href) diagnostic.codeDescription = { href };
  if (finding.related) diagnostic.relatedInformation = finding.related.map(r => ({ location: { uri, range: r.range }, message: r.message }));
  if (finding.unnecessary) diagnostic.tags = [DiagnosticTag.Unnecessary];
  return diagnostic;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Quick fixes of the findings whose range meets the requested range. */
export function toCodeActions(findings: readonly Finding[], uri: string, requested: Range, onlyDiagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const finding of findings) {
    if (!finding.fixes) continue;
    const diagnostic = onlyDiagnostics.find(d => d.code === finding.rule && sameRange(d.range, finding.range))
      ?? (overlaps(finding.range, requested) ? toDiagnostic(finding, uri) : undefined);
    if (!diagnostic) continue;
    for (const fix of finding.fixes) {
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

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}
