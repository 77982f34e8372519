// The preferred fixes of a project's findings that can be made together: those whose edits neither overlap nor
// touch an earlier one's in any file (two insertions at one place would come out in either order, one inside the
// other's text). What is left out is made on the next pass, after the project is read again.
import { Position, TextEdit } from '../../engine';
import { ComposeFinding } from './findings';
import { SourceFix } from '../fixProjection';

const after = (a: Position, b: Position) => a.line > b.line || (a.line === b.line && a.character > b.character);

/** Do two edits overlap, or meet at a point? */
function meet(a: TextEdit, b: TextEdit): boolean {
  return !after(a.range.start, b.range.end) && !after(b.range.start, a.range.end);
}

export interface ChosenFix { finding: ComposeFinding; fix: SourceFix }

/** The preferred fixes that go together, in the findings' order; `only` keeps those that edit no other file. */
export function compatibleFixes(findings: readonly ComposeFinding[], only?: string): { chosen: ChosenFix[]; shared: ChosenFix[] } {
  const chosen: ChosenFix[] = [];
  // A fix that several findings offer (hardening a service) is made once, and counted for each.
  const shared: ChosenFix[] = [];
  const taken = new Map<string, TextEdit[]>();
  const seen = new Set<string>();
  for (const finding of findings) {
    const fix = finding.fixes?.find(f => f.isPreferred);
    if (!fix || (only !== undefined && fix.changes.some(change => change.file !== only))) continue;
    const key = JSON.stringify(fix.changes);
    if (seen.has(key)) { shared.push({ finding, fix }); continue; }
    if (fix.changes.some(change => change.edits.some(edit => (taken.get(change.file) ?? []).some(other => meet(edit, other))))) continue;
    seen.add(key);
    for (const change of fix.changes) taken.set(change.file, [...(taken.get(change.file) ?? []), ...change.edits]);
    chosen.push({ finding, fix });
  }
  return { chosen, shared };
}
