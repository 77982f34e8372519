// Fix all: applies the preferred fix of every finding, the way ESLint's --fix does. Fixes whose edits would
// meet are left for the next pass, which analyses the fixed text again, until nothing more can be fixed.
// Only the preferred fix of each finding is computed. Each passed its check alone (see guard.ts); the fixes of a
// pass are checked again together.
import { AnalyzeOptions, splitStream } from '../analyze';
import { IncrementalAnalyzer } from '../incremental';
import { OffsetEdit } from '../rule';
import { DocumentSummary, Finding, Fix, FixChange } from '../types';
import { applyOffsetEdits, offsetsOf, toOffsetEdits } from './apply';
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
  // The fixes of each document, and the documents before each chunk, found in one walk: a fix-all of a stream of
  // thousands of documents changes most of them.
  const changesByDocument = new Map<number, FixChange[]>();
  for (const { finding, fix } of fixes) {
    const changes = changesByDocument.get(finding.documentIndex);
    if (changes) changes.push(...fix.changes);
    else changesByDocument.set(finding.documentIndex, [...fix.changes]);
  }
  let first = 0;
  return chunksBefore.flatMap((chunk, i) => {
    while (first < documents.length && documents[first].range.start.line < chunk.line) first++;
    if (chunk.text === chunksAfter[i].text) return [];
    const docs = parseBounded(chunk.text, { version: '1.1' });
    if (!Array.isArray(docs)) return ['a changed document nests too deeply to be checked'];
    const before = first;
    return resultProblems(documentValues(docs), chunksAfter[i].text, index => changesByDocument.get(before + index) ?? []);
  });
}

/**
 * The spans of the fixes a pass takes, which do not meet (two that touch meet), sorted: whether a fix's span meets
 * one is a bisection, so that a pass over thousands of fixes does not compare each with all the others.
 */
export class TakenSpans {
  private readonly spans: [number, number][] = [];

  /** Takes the span unless it meets one taken; says whether it did. */
  take(start: number, end: number): boolean {
    // The last span that starts at or before `end`: only it can meet [start, end], as the spans before it end
    // before it starts.
    let low = 0;
    let high = this.spans.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.spans[middle][0] <= end) low = middle + 1;
      else high = middle;
    }
    if (low > 0 && this.spans[low - 1][1] >= start) return false;
    this.spans.splice(low, 0, [start, end]);
    return true;
  }
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
    const spans = new TakenSpans();
    const { findings, documents } = analyzer.analyze('fix-all', current, options);
    const offset = offsetsOf(current);
    for (const finding of findings) {
      const fix = preferredFix(finding);
      if (!fix || !include(finding)) continue;
      const edits = toOffsetEdits(current, fix.edits, offset);
      if (!spans.take(Math.min(...edits.map(e => e.start)), Math.max(...edits.map(e => e.end)))) continue;
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
