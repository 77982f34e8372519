// `# kube-immutable-ignore` comments in the files of a source (a base, a patch, a kustomization): a build's text
// has no comments, so the comments are read where a finding is placed. A line directive covers what its next line
// opens, as in a plain file; `# kube-immutable-ignore-file` covers the whole file. What the directives of a file
// suppressed is gathered over every rendering that places findings there, so that those that suppressed nothing in
// any of them are reported, as in a plain file.
import { commentSuppressions, Directive, parseDirective } from '../engine/suppressions';
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

/** The directives of a text, `#` comment lines (of either kind). */
export function sourceDirectives(text: string): Directive[] {
  if (!text.includes('kube-immutable-ignore')) return [];
  return text.split('\n').flatMap((line, i) => parseDirective(line, i) ?? []);
}

/**
 * The lines of the directives that suppress a finding of `rule` placed at `range` of the source text: the line
 * directives that cover it, else the first file directive that names the rule (or none), as the engine applies them.
 * Empty when it is not suppressed.
 */
export function sourceSuppressors(text: string, rule: string, range: Range): number[] {
  if (!text.includes('kube-immutable-ignore')) return [];
  const lines = text.split('\n');
  const line = range.start.line;
  const document = documentRanges(lines).find(r => r.start.line <= line && line <= r.end.line);
  const covering = document
    ? commentSuppressions(text, document).filter(s => line >= s.firstLine && line <= s.lastLine && s.rules.some(named => named.id === rule)).map(s => s.commentLine!)
    : [];
  if (covering.length) return covering;
  const file = sourceDirectives(text).find(d => d.kind === 'file' && (!d.rules.length || d.rules.some(named => named.id === rule)));
  return file ? [file.line] : [];
}

/** The lines a line directive on `line` covers: none (-1) when nothing follows it in its document. */
export function coveredLines(text: string, line: number): { firstLine: number; lastLine: number } | undefined {
  const document = documentRanges(text.split('\n')).find(r => r.start.line <= line && line <= r.end.line);
  return document && commentSuppressions(text, document).find(suppression => suppression.commentLine === line);
}

/** A directive: the file and the line it is on. */
export interface DirectiveAt { file: string; line: number }

/** The rules each directive of each source file suppressed a finding of, over the renderings that placed findings there. */
export class SuppressionUses {
  private readonly byFile = new Map<string, Map<number, Set<string>>>();

  add(file: string, line: number, rule: string): void {
    let lines = this.byFile.get(file);
    if (!lines) this.byFile.set(file, lines = new Map());
    let rules = lines.get(line);
    if (!rules) lines.set(line, rules = new Set());
    rules.add(rule);
  }

  /** The rules that the directive on `line` of `file` suppressed findings of. */
  rulesAt(file: string, line: number): ReadonlySet<string> {
    return this.byFile.get(file)?.get(line) ?? new Set();
  }

  /** All these uses together (those of the trees that read one file). */
  static union(all: readonly SuppressionUses[]): SuppressionUses {
    const union = new SuppressionUses();
    for (const uses of all) {
      for (const [file, lines] of uses.byFile) for (const [line, rules] of lines) for (const rule of rules) union.add(file, line, rule);
    }
    return union;
  }
}
