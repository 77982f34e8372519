// Applying edits to a text, the way an editor applies a workspace edit: edits must not overlap, and
// insertions at one offset keep their order.
import { OffsetEdit } from '../rule';
import { Position, TextEdit } from '../types';

export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = edits.map((edit, order) => ({ edit, order })).sort((a, b) => a.edit.start - b.edit.start || a.order - b.order);
  let result = '';
  let at = 0;
  for (const { edit } of sorted) {
    if (edit.start < at) throw new Error(`overlapping edits at offset ${edit.start}`);
    result += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return result + text.slice(at);
}

/** Turns 0-based line/character positions into offsets of `text`. */
export function offsetsOf(text: string): (position: Position) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return ({ line, character }) => Math.min(line < starts.length ? starts[line] + character : text.length, text.length);
}

/** `offset`: the text's offsetsOf, when the caller converts the edits of many fixes of one text. */
export function toOffsetEdits(text: string, edits: readonly TextEdit[], offset = offsetsOf(text)): OffsetEdit[] {
  return edits.map(edit => ({ start: offset(edit.range.start), end: offset(edit.range.end), text: edit.newText }));
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  return applyOffsetEdits(text, toOffsetEdits(text, edits));
}

/** The position of one offset (the analysis keeps a line table for many: see positionsOf). */
function positionAt(text: string, offset: number): Position {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, character: offset - (text.lastIndexOf('\n', offset - 1) + 1) };
}

/** One edit that turns `before` into `after`, spanning only the text between their common start and end. */
export function replacementEdit(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { range: { start: positionAt(before, start), end: positionAt(before, before.length - end) }, newText: after.slice(start, after.length - end) };
}
