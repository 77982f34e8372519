// How a file is laid out, read off the file itself so that inserted text looks like its neighbours:
// line ending, indentation unit, whether block sequences are indented under their key or flush with it, and
// how their items are written.
import { Document, isMap, isPair, isSeq, Node, YAMLSeq } from 'yaml';
import { composedDashes } from '../plainBlockYaml';

export interface Layout {
  eol: '\n' | '\r\n';
  /** Spaces between a key and the keys of the block map under it. */
  indent: number;
  /** Spaces between a key and the `-` of the block sequence under it (0 when flush). */
  sequenceIndent: number;
  /** How the items of block sequences of maps are written, for new sequences that have no siblings to copy. */
  mapItem: ItemStyle;
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

/**
 * Where the `-` of a block sequence's item sits, read from the parser's source tokens (the text between a dash
 * and its item may hold line breaks, comments, an anchor or a tag, so searching back from the item is not safe).
 */
export function dashOffset(seq: YAMLSeq, index: number): number {
  const composed = composedDashes.get(seq)?.[index];
  if (composed !== undefined) return composed;
  const token = seq.srcToken;
  if (token?.type !== 'block-seq') throw new Error('a block sequence parsed without keepSourceTokens');
  const dash = token.items[index]?.start.find(part => part.type === 'seq-item-ind');
  if (!dash) throw new Error(`no dash before item ${index} of a block sequence`);
  return dash.offset;
}

/**
 * How the items of a block sequence are written: `bare` when the dash stands alone on its line and the item
 * starts below it (`-` then `  name: x`), else on the dash's line (`- name: x`); `offset` is the item's column
 * minus the dash's column.
 */
export interface ItemStyle { bare: boolean; offset: number }

/** The style of an item of `seq` as written; undefined for an empty item (a dash with nothing after it). */
export function itemStyle(text: string, seq: YAMLSeq, index: number): ItemStyle | undefined {
  const range = (seq.items[index] as Node | null)?.range;
  if (!range || range[0] === range[1]) return undefined;
  const dash = dashOffset(seq, index);
  const style = { bare: lineStart(text, range[0]) !== lineStart(text, dash), offset: column(text, range[0]) - column(text, dash) };
  // An item on its dash's line is at least a space away from it.
  return style.offset >= (style.bare ? 1 : 2) ? style : undefined;
}

const COMPACT: ItemStyle = { bare: false, offset: 2 };

export function detectLayout(text: string, doc: Document): Layout {
  const indents: number[] = [];
  const sequenceIndents: number[] = [];
  const mapItemStyles: ItemStyle[] = [];
  const pair = (key: Node | null, value: unknown) => {
    if (!key?.range || !(isMap(value) || isSeq(value)) || value.flow || !value.items.length) return;
    const keyColumn = column(text, key.range[0]);
    if (isMap(value)) {
      const first = value.items[0].key as Node | null;
      const childStart = first?.range?.[0];
      if (childStart !== undefined && lineStart(text, childStart) !== lineStart(text, key.range[0])) indents.push(column(text, childStart) - keyColumn);
    } else {
      sequenceIndents.push(column(text, dashOffset(value, 0)) - keyColumn);
      const style = isMap(value.items[0]) && !value.items[0].flow ? itemStyle(text, value, 0) : undefined;
      if (style) mapItemStyles.push(style);
    }
  };
  // The pairs of the block collections, in the order of the text (the first of equally frequent values wins). Only
  // block collections tell the layout, and they never sit inside flow ones, so no flow collection is walked: a giant
  // flow line is not scanned. A walk of its own, not yaml's visit, which calls back for every node of a document
  // that may hold thousands of resources, for each fix made in it.
  const pending: unknown[] = [doc.contents];
  while (pending.length) {
    const node = pending.pop();
    if (isPair(node)) {
      pair(node.key as Node | null, node.value);
      pending.push(node.value, node.key);
    } else if ((isMap(node) || isSeq(node)) && !node.flow) {
      for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]);
    }
  }
  const indent = mostFrequent(indents.filter(n => n > 0), DEFAULT_INDENT);
  return {
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    indent,
    sequenceIndent: mostFrequent(sequenceIndents.filter(n => n >= 0), indent),
    mapItem: mostFrequentStyle(mapItemStyles) ?? COMPACT,
  };
}

function mostFrequentStyle(styles: ItemStyle[]): ItemStyle | undefined {
  // Offsets are small columns: one number per style, so the counting is the same as for the indentation.
  const code = (style: ItemStyle) => style.offset * 2 + (style.bare ? 1 : 0);
  const best = mostFrequent(styles.map(code), -1);
  return best < 0 ? undefined : { bare: best % 2 === 1, offset: Math.floor(best / 2) };
}
