// Fix all: applies the preferred fix of every finding, the way ESLint's --fix does. Fixes whose edits would
// meet are left for the next pass, which analyses the fixed text again, until nothing more can be fixed.
import { AnalyzeOptions } from '../analyze';
import { IncrementalAnalyzer } from '../incremental';
import { OffsetEdit } from '../rule';
import { Finding } from '../types';
import { applyOffsetEdits, toOffsetEdits } from './apply';

export interface AppliedFix { rule: string; title: string; container?: string }

export interface FixAllResult { text: string; applied: AppliedFix[] }

/** Enough for a pod whose every container needs its own edit of the pod spec; each pass fixes one of them. */
const MAX_PASSES = 64;

export function preferredFix(finding: Finding) {
  return finding.fixes?.find(fix => fix.isPreferred);
}

/** `include` picks the findings to fix (all by default). */
export function fixAll(text: string, options: AnalyzeOptions = {}, include: (finding: Finding) => boolean = () => true): FixAllResult {
  const applied: AppliedFix[] = [];
  // A pass changes a few documents of the stream; the others' results are taken from the previous pass.
  const analyzer = new IncrementalAnalyzer();
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const taken: OffsetEdit[] = [];
    const spans: [number, number][] = [];
    for (const finding of analyzer.analyze('fix-all', current, options).findings) {
      const fix = preferredFix(finding);
      if (!fix || !include(finding)) continue;
      const edits = toOffsetEdits(current, fix.edits);
      const span: [number, number] = [Math.min(...edits.map(e => e.start)), Math.max(...edits.map(e => e.end))];
      if (spans.some(([start, end]) => span[0] <= end && start <= span[1])) continue;
      spans.push(span);
      taken.push(...edits);
      applied.push({ rule: finding.rule, title: fix.title, ...(finding.container !== undefined ? { container: finding.container } : {}) });
    }
    if (!taken.length) break;
    current = applyOffsetEdits(current, taken);
  }
  return { text: current, applied };
}
