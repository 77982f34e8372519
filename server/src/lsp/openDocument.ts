// An open document: TextDocument's interface over a text held in blocks (blockText.ts), so that an edit of a large
// file does not copy the whole text. Positions behave as TextDocument's (vscode-languageserver-textdocument): lines
// end at \n, \r\n or \r; a character past the end of its line is the line's end; a line past the last is the end
// of the text; an offset between \r and \n is taken back to before the line break.
import { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { Position, Range, TextDocument } from 'vscode-languageserver-textdocument';
import { BlockText } from './blockText';

const CR = 13;
const LF = 10;

export class OpenDocument implements TextDocument {
  private content: BlockText;
  /**
   * Where each line starts, the first at 0; counted when first asked for, as TextDocument does: the analysis of a
   * document just opened needs no positions, and counting the lines of 5 MB takes a few milliseconds.
   */
  private knownLineStarts?: number[];

  constructor(readonly uri: string, readonly languageId: string, public version: number, text: string) {
    this.content = BlockText.of(text);
  }

  /** The text in blocks: the analysis reads the slices it needs of it. */
  get text(): BlockText {
    return this.content;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  getText(range?: Range): string {
    if (!range) return this.content.toString();
    // A range that ends before it starts gives the text between, as TextDocument's (String.prototype.substring).
    const [start, end] = [this.offsetAt(range.start), this.offsetAt(range.end)].sort((a, b) => a - b);
    return this.content.slice(start, end);
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.content.length;
    if (position.line < 0) return 0;
    const lineStart = this.lineStarts[position.line];
    if (position.character <= 0) return lineStart;
    return this.beforeLineBreak(Math.min(lineStart + position.character, this.nextLineStart(position.line)), lineStart);
  }

  positionAt(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.content.length));
    const line = lineOf(this.lineStarts, at);
    const lineStart = this.lineStarts[line];
    return { line, character: this.beforeLineBreak(at, lineStart) - lineStart };
  }

  getLineRange(line: number): Range {
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    // Past the last line: the last line.
    const at = Math.min(line, this.lineStarts.length - 1);
    const lineStart = this.lineStarts[at];
    const end = at === line ? this.lineEnd(at) : this.content.length;
    return { start: { line: at, character: 0 }, end: { line: at, character: end - lineStart } };
  }

  getEOLCharacters(line: number): string {
    if (line < 0 || line >= this.lineStarts.length) return '';
    return this.content.slice(this.lineEnd(line), this.nextLineStart(line));
  }

  /** Applies changes one after the other, each to the text the one before left, and takes the new version. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (!('range' in change)) {
        this.content = BlockText.of(change.text);
        this.knownLineStarts = undefined;
        continue;
      }
      const [start, end] = [this.offsetAt(change.range.start), this.offsetAt(change.range.end)].sort((a, b) => a - b);
      this.replace(start, end, change.text);
    }
    this.version = version;
  }

  private replace(start: number, end: number, text: string): void {
    const before = this.content;
    this.content = before.replace(start, end, text);
    // A \r next to the edit may join or part a \r\n: the line starts are counted again (editors seldom leave one).
    if (before.charCodeAt(start - 1) === CR || before.charCodeAt(end - 1) === CR || before.charCodeAt(end) === LF
      || text.charCodeAt(0) === LF || text.charCodeAt(text.length - 1) === CR || text.includes('\r')) {
      this.knownLineStarts = undefined;
      return;
    }
    // Not counted yet: they will be, from the new text.
    const starts = this.knownLineStarts;
    if (!starts) return;
    const startLine = lineOf(starts, start);
    const endLine = lineOf(starts, end);
    const added: number[] = [];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) added.push(start + i + 1);
    const shift = text.length - (end - start);
    if (endLine - startLine === added.length) {
      for (let i = 0; i < added.length; i++) starts[startLine + 1 + i] = added[i];
      if (shift) for (let i = endLine + 1; i < starts.length; i++) starts[i] += shift;
      return;
    }
    const following = starts.slice(endLine + 1);
    for (let i = 0; i < following.length; i++) following[i] += shift;
    starts.length = startLine + 1;
    for (const at of added) starts.push(at);
    for (const at of following) starts.push(at);
  }

  private get lineStarts(): number[] {
    return this.knownLineStarts ??= lineStartsOf(this.content);
  }

  private nextLineStart(line: number): number {
    return line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.content.length;
  }

  /** Where a line's text ends, before its line break. */
  private lineEnd(line: number): number {
    return this.beforeLineBreak(this.nextLineStart(line), this.lineStarts[line]);
  }

  /** `offset`, or the start of the line break it falls inside or after, not before `lineStart`. */
  private beforeLineBreak(offset: number, lineStart: number): number {
    let at = offset;
    while (at > lineStart && isLineBreak(this.content.charCodeAt(at - 1))) at--;
    return at;
  }
}

function isLineBreak(code: number): boolean {
  return code === CR || code === LF;
}

/** The line that holds `offset`: the last whose start is not after it. */
function lineOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= offset) low = mid; else high = mid - 1;
  }
  return low;
}

/** Where the lines of a text start, a piece at a time: \r\n is one line break, also across two pieces. */
function lineStartsOf(text: BlockText): number[] {
  const starts = [0];
  const { length } = text;
  const step = 1 << 16;
  for (let from = 0; from < length; from += step) {
    const piece = text.slice(from, from + step);
    if (!piece.includes('\r')) {
      for (let i = piece.indexOf('\n'); i >= 0; i = piece.indexOf('\n', i + 1)) starts.push(from + i + 1);
      continue;
    }
    for (let i = 0; i < piece.length; i++) {
      const code = piece.charCodeAt(i);
      if (code === LF) starts.push(from + i + 1);
      // A \r\n breaks the line after its \n.
      else if (code === CR && text.charCodeAt(from + i + 1) !== LF) starts.push(from + i + 1);
    }
  }
  return starts;
}
