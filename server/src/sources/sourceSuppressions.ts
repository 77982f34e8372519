// `# kube-immutable-ignore` comments in the files of a source (a base, a patch, a kustomization): a build's text
// has no comments, so the comments are read where a finding is placed. A line directive covers what its next line
// opens, as in a plain file; `# kube-immutable-ignore-file` covers the whole file.
import { commentSuppressions, parseDirective } from '../engine/suppressions';
import { Range } from '../engine/types';

/** The 0-based line ranges of the YAML documents of a text (cut at `---` lines). */
function documentRanges(lines: readonly string[]): Range[] {
  const ranges: Range[] = [];
  let start = 0;
  lines.forEach((line, i) => {
    if (!/^---(\s|$)/.test(line) || i === 0) return;
    ranges.push({ start: { line: start, character: 0 }, end: { line: i - 1, character: 0 } });
    start = i + 1;
  });
  ranges.push({ start: { line: start, character: 0 }, end: { line: lines.length - 1, character: 0 } });
  return ranges;
}

/** Is a finding of `rule` placed at `range` of the source text suppressed by a comment there? */
export function suppressedInSource(text: string, rule: string, range: Range): boolean {
  if (!text.includes('kube-immutable-ignore')) return false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const directive = parseDirective(lines[i], i);
    if (directive?.kind === 'file' && (!directive.rules.length || directive.rules.some(named => named.id === rule))) return true;
  }
  const line = range.start.line;
  const document = documentRanges(lines).find(r => r.start.line <= line && line <= r.end.line);
  if (!document) return false;
  return commentSuppressions(text, document).some(s => line >= s.firstLine && line <= s.lastLine && s.rules.some(named => named.id === rule));
}
