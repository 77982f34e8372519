// How a file is laid out, read off the file itself so that inserted text looks like its neighbours:
// line ending, indentation unit, and whether block sequences are indented under their key or flush with it.
import { Document, isMap, isPair, isSeq, Node, visit } from 'yaml';

export interface Layout {
  eol: '\n' | '\r\n';
  /** Spaces between a key and the keys of the block map under it. */
  indent: number;
  /** Spaces between a key and the `-` of the block sequence under it (0 when flush). */
  sequenceIndent: number;
}

const DEFAULT_INDENT = 2;

/** 0-based offset of the first character of the line that holds `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Offset of the line break that ends the line holding `offset` (its `\r` in a CRLF file), or the text's end. */
export function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline < 0) return text.length;
  return newline > 0 && text[newline - 1] === '\r' ? newline - 1 : newline;
}

/** Offset just past the line break that ends the line holding `offset`, or the text's end. */
export function nextLineStart(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/** Offset just past the last character before `end` that is not white space: where a node's text really ends. */
export function contentEnd(text: string, end: number): number {
  let at = end;
  while (at > 0 && /\s/.test(text[at - 1])) at--;
  return at;
}

/** The most frequent value, or `fallback` when there is none. */
function mostFrequent(values: number[], fallback: number): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best = fallback, bestCount = 0;
  for (const [value, count] of counts) if (count > bestCount) { best = value; bestCount = count; }
  return best;
}

/** Offset of the `-` that introduces a block sequence item starting at `itemStart`. */
export function dashBefore(text: string, itemStart: number): number {
  let at = itemStart - 1;
  while (at >= 0 && text[at] === ' ') at--;
  return at >= 0 && text[at] === '-' ? at : itemStart;
}

export function detectLayout(text: string, doc: Document): Layout {
  const indents: number[] = [];
  const sequenceIndents: number[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair)) return;
      const key = pair.key as Node | null;
      const value = pair.value;
      // Only block collections tell the layout; they never sit inside flow ones, so no giant flow line is scanned.
      if (!key?.range || !(isMap(value) || isSeq(value)) || value.flow || !value.items.length) return;
      const keyColumn = column(text, key.range[0]);
      if (isMap(value)) {
        const first = value.items[0].key as Node | null;
        const childStart = first?.range?.[0];
        if (childStart !== undefined && lineStart(text, childStart) !== lineStart(text, key.range[0])) indents.push(column(text, childStart) - keyColumn);
      } else {
        const first = value.items[0] as Node | null;
        if (first?.range) sequenceIndents.push(column(text, dashBefore(text, first.range[0])) - keyColumn);
      }
    },
  });
  const indent = mostFrequent(indents.filter(n => n > 0), DEFAULT_INDENT);
  return {
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    indent,
    sequenceIndent: mostFrequent(sequenceIndents.filter(n => n >= 0), indent),
  };
}
