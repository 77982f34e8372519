// Fixes computed when they are asked for. An analysis that computes none (an editor's) leaves a FixRef on each
// finding a rule offers fixes for; the fixes are made later by analysing the finding's chunk again, computing
// and checking (guard.ts) the fixes of the named findings only. A chunk's analysis depends on its text and the
// options alone, so the same text and options find the same findings at the same places.
import { analyzeChunk, AnalyzeOptions, ChunkParse, parseChunk, shiftFixes, splitStream } from '../analyze';
import { Finding, Fix, FixRef } from '../types';

/**
 * The fixes of each of `findings` of the stream `text` (the findings of an analysis of that text with `options`),
 * each chunk analysed once. A finding without a FixRef keeps the fixes it carries; one that is not found again
 * (another text) gets none. `parse` parses a chunk as the analysis does (a caller may share its parses).
 */
export function fixesOf(text: string, findings: readonly Finding[], options: AnalyzeOptions, parse: ChunkParse = parseChunk): Map<Finding, Fix[]> {
  const fixes = new Map<Finding, Fix[]>();
  const byLine = new Map<number, Finding[]>();
  for (const finding of findings) {
    if (!finding.fixRef) { fixes.set(finding, finding.fixes ?? []); continue; }
    const group = byLine.get(finding.fixRef.line);
    if (group) group.push(finding); else byLine.set(finding.fixRef.line, [finding]);
  }
  if (!byLine.size) return fixes;
  for (const chunk of splitStream(text)) {
    const wanted = byLine.get(chunk.line);
    if (!wanted) continue;
    byLine.delete(chunk.line);
    const named = (ref: FixRef) => wanted.some(finding => finding.fixRef!.document === ref.document && finding.fixRef!.report === ref.report);
    const results = analyzeChunk(chunk.text, options, (document, report) => named({ line: chunk.line, document, report }), false, parse);
    for (const finding of wanted) {
      const ref = finding.fixRef!;
      const found = results[ref.document]?.findings.find(raw => raw.fixRef?.report === ref.report);
      fixes.set(finding, found?.fixes && found.rule === finding.rule && found.messageId === finding.messageId ? shiftFixes(found.fixes, chunk.line) : []);
    }
  }
  for (const group of byLine.values()) for (const finding of group) fixes.set(finding, []);
  return fixes;
}
