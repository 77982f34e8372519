// The round trip every offered fix must survive: apply it alone to the text it was offered for, then the result
// parses, the finding it targets is gone, and every line before and after the edited lines is byte-identical.
// Used by the round-trip test over the repository's fixtures and by scripts/fix-roundtrip.mjs.
import { analyzeText, AnalyzeOptions, Finding } from '../../../server/src/engine';
import { applyTextEdits } from '../../../server/src/engine/fixes/apply';

export interface RoundTripFailure { rule: string; title: string; problem: string }
export interface RoundTripResult { applied: number; failures: RoundTripFailure[] }

/**
 * What identifies a finding across a fix that moves it: rule, severity, document, resource and container. With the
 * severity, a warning that a fix turns into a hint of the same rule counts as gone (runAsNonRoot: true on an
 * image known to run as root leaves a hint that the kubelet will refuse it, as the fix's title says).
 */
function identity(finding: Finding): string {
  const { kind, name, namespace } = finding.resource ?? {};
  return [finding.rule, finding.severity, finding.documentIndex, kind, namespace, name, finding.container].join('|');
}

function count(findings: readonly Finding[], key: string): number {
  return findings.filter(finding => identity(finding) === key).length;
}

/** The first line that differs outside lines [first, last] of the original, or undefined. */
function changedOutside(before: string, after: string, first: number, last: number): number | undefined {
  const a = before.split('\n');
  const b = after.split('\n');
  for (let i = 0; i < first; i++) if (a[i] !== b[i]) return i;
  for (let i = 1; i < a.length - last; i++) if (a[a.length - i] !== b[b.length - i]) return a.length - i;
  return undefined;
}

export function roundTrip(text: string, options: AnalyzeOptions = { allRules: true }): RoundTripResult {
  const before = analyzeText(text, options).findings;
  const parseErrors = before.filter(f => f.rule === 'parse-error').length;
  const result: RoundTripResult = { applied: 0, failures: [] };
  for (const finding of before) {
    for (const fix of finding.fixes ?? []) {
      result.applied++;
      const fail = (problem: string) => result.failures.push({ rule: finding.rule, title: fix.title, problem: `${problem} (line ${finding.range.start.line + 1})` });
      let fixed: string;
      try { fixed = applyTextEdits(text, fix.edits); } catch (error) { fail((error as Error).message); continue; }
      const after = analyzeText(fixed, options).findings;
      if (after.filter(f => f.rule === 'parse-error').length > parseErrors) { fail('the result does not parse'); continue; }
      const key = identity(finding);
      if (count(after, key) >= count(before, key)) fail('the finding is still there');
      const first = Math.min(...fix.edits.map(e => e.range.start.line));
      const last = Math.max(...fix.edits.map(e => e.range.end.line));
      const line = changedOutside(text, fixed, first, last);
      if (line !== undefined) fail(`line ${line + 1} changed outside the edited lines ${first + 1}-${last + 1}`);
    }
  }
  return result;
}
