// The round trip every offered fix must survive: apply it alone to the text it was offered for, then the result
// parses, the finding it targets is gone, every line before and after the edited lines is byte-identical, and the
// parsed documents differ exactly where the fix says (its `changes`) with no volumeMount naming a missing volume.
// Used by the round-trip test over the repository's fixtures, the style matrix and scripts/fix-roundtrip.mjs.
import { parseAllDocuments } from 'yaml';
import { analyzeText, AnalyzeOptions, Finding, Fix } from '../../../server/src/engine';
import { applyTextEdits } from '../../../server/src/engine/fixes/apply';
import { danglingVolumeMounts, diffObjects, formatPath, unexplainedDifferences } from '../../../server/src/engine/fixes/semanticCheck';

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

/** A document that does not parse: its first syntax error. */
export class Broken { constructor(readonly message: string) {} }

/** The documents of a stream as plain objects, parsed by `yaml` on its own. */
export function documentValues(text: string): unknown[] {
  const docs = parseAllDocuments(text, { version: '1.1', logLevel: 'error' });
  if (!Array.isArray(docs)) return [];
  return docs.map(doc => (doc.errors.length ? new Broken(doc.errors[0].message.split('\n')[0]) : doc.toJS({ maxAliasCount: -1 })));
}

/** The volumeMounts of `after` that name no volume of their pod, and did not in `before`. */
export function newDanglingMounts(before: unknown, after: unknown): string[] {
  const known = new Set(danglingVolumeMounts(before));
  return danglingVolumeMounts(after).filter(mount => !known.has(mount));
}

/**
 * What is wrong with `after` as `before` with the fix of a finding of document `documentIndex` applied: the
 * documents must differ exactly at the paths the fix names, and every new volumeMount must name a volume.
 */
export function semanticProblems(before: string, after: string, documentIndex: number, fix: Fix): string[] {
  const a = documentValues(before);
  const b = documentValues(after);
  if (a.length !== b.length) return [`${a.length} documents before, ${b.length} after`];
  return a.flatMap((value, i) => {
    const fixed = b[i];
    // A document broken before is left to the parse-error rule; one broken by the fix is a failure.
    if (value instanceof Broken) return [];
    if (fixed instanceof Broken) return [`document ${i + 1} does not parse: ${fixed.message}`];
    if (i !== documentIndex) return diffObjects(value, fixed).map(d => `document ${i + 1} changed at ${formatPath(d.path)}`);
    return [...unexplainedDifferences(value, fixed, fix.changes), ...newDanglingMounts(value, fixed).map(mount => `${mount} names no volume`)];
  });
}

export function roundTrip(text: string, options: AnalyzeOptions = { allRules: true }): RoundTripResult {
  const analysis = analyzeText(text, options);
  const before = analysis.findings;
  const parseErrors = before.filter(f => f.rule === 'parse-error').length;
  const result: RoundTripResult = { applied: 0, failures: [] };
  // A fix the engine refused to offer is a failure too: it shows as an internal error.
  for (const error of analysis.errors ?? []) result.failures.push({ rule: error.rule ?? 'analysis', title: '', problem: error.message });
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
      for (const problem of semanticProblems(text, fixed, finding.documentIndex, fix)) fail(problem);
    }
  }
  return result;
}
