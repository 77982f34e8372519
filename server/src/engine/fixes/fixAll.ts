// Fix all: applies the preferred fix of every finding, the way ESLint's --fix does. Fixes whose edits would
// meet are left for the next pass, which analyses the fixed text again, until nothing more can be fixed.
// Only the preferred fix of each finding is computed. Each passed its check alone (see guard.ts); the fixes of a
// pass are checked again together.
import { AnalyzeOptions, splitStream } from '../analyze';
import { IncrementalAnalyzer } from '../incremental';
import { OffsetEdit } from '../rule';
import { DocumentSummary, Finding, Fix, FixChange } from '../types';
import { applyOffsetEdits, toOffsetEdits } from './apply';
import { parseBounded } from '../limits';
import { documentValues, resultProblems } from './guard';

export interface AppliedFix { rule: string; title: string; container?: string }

export interface FixAllResult {
  text: string;
  applied: AppliedFix[];
  /** Why nothing was fixed: the fixes of one pass together gave a result that fails the check (a bug). */
  refused?: string;
}

/** Enough for a pod whose every container needs its own edit of the pod spec; each pass fixes one of them. */
const MAX_PASSES = 64;

export function preferredFix(finding: Finding) {
  return finding.fixes?.find(fix => fix.isPreferred);
}

/**
 * What is wrong with `after` as the result of the fixes of one pass over `before`; empty when nothing is. Only
 * the chunks the fixes changed are parsed; `documents` (the analysis of `before`) tells which documents they hold.
 */
function passProblems(before: string, after: string, fixes: readonly { finding: Finding; fix: Fix }[], documents: readonly DocumentSummary[]): string[] {
  const chunksBefore = splitStream(before);
  const chunksAfter = splitStream(after);
  if (chunksBefore.length !== chunksAfter.length) return ['the fixes added or removed a document'];
  return chunksBefore.flatMap((chunk, i) => {
    if (chunk.text === chunksAfter[i].text) return [];
    const docs = parseBounded(chunk.text, { version: '1.1' });
    if (!Array.isArray(docs)) return ['a changed document nests too deeply to be checked'];
    const first = documents.filter(document => document.range.start.line < chunk.line).length;
    const changesOf = (index: number): FixChange[] => fixes.filter(({ finding }) => finding.documentIndex === first + index).flatMap(({ fix }) => fix.changes);
    return resultProblems(documentValues(docs), chunksAfter[i].text, changesOf);
  });
}

/** `include` picks the findings to fix (all by default). */
export function fixAll(text: string, options: AnalyzeOptions = {}, include: (finding: Finding) => boolean = () => true): FixAllResult {
  const applied: AppliedFix[] = [];
  // A pass changes a few documents of the stream; the others' results are taken from the previous pass.
  const analyzer = new IncrementalAnalyzer('preferred');
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const taken: OffsetEdit[] = [];
    const takenFixes: { finding: Finding; fix: Fix }[] = [];
    const spans: [number, number][] = [];
    const { findings, documents } = analyzer.analyze('fix-all', current, options);
    for (const finding of findings) {
      const fix = preferredFix(finding);
      if (!fix || !include(finding)) continue;
      const edits = toOffsetEdits(current, fix.edits);
      const span: [number, number] = [Math.min(...edits.map(e => e.start)), Math.max(...edits.map(e => e.end))];
      if (spans.some(([start, end]) => span[0] <= end && start <= span[1])) continue;
      spans.push(span);
      taken.push(...edits);
      takenFixes.push({ finding, fix });
      applied.push({ rule: finding.rule, title: fix.title, ...(finding.container !== undefined ? { container: finding.container } : {}) });
    }
    if (!taken.length) break;
    const next = applyOffsetEdits(current, taken);
    const problems = passProblems(current, next, takenFixes, documents);
    if (problems.length) return { text, applied: [], refused: `the fixes ${takenFixes.map(({ fix }) => `"${fix.title}"`).join(', ')} together: ${problems.join('; ')}` };
    current = next;
  }
  return { text: current, applied };
}
