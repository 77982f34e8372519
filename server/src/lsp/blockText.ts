// The text of an open document, held in blocks of about 16 KB. A JavaScript string cannot be changed in place: an
// edit of one character in a 2 MB string makes a new 2 MB string as soon as anything reads it (1.6 ms on our
// machine, at each keystroke). Here an edit makes a new block or two, and the whole text is made only when
// something asks for it (a code action), once per version. The analysis of an edit reads only the slices it needs
// (engine/incremental.ts).
import { StreamText } from '../engine';

/** The length blocks are cut to; an edit makes blocks up to twice as long, or merges one shorter than a quarter. */
export const BLOCK_LENGTH = 16 << 10;

export class BlockText implements StreamText {
  /** The whole text, once made or when it is what the blocks were cut from. */
  private whole?: string;

  private constructor(
    private blocks: readonly string[],
    /** Where each block starts in the text. */
    private readonly starts: readonly number[],
    readonly length: number,
    whole?: string,
  ) {
    this.whole = whole;
  }

  /** A text cut into blocks; they are slices of `text`, which V8 keeps as views into it, so nothing is copied. */
  static of(text: string): BlockText {
    const blocks: string[] = [];
    const starts: number[] = [];
    for (let at = 0; at < text.length; at += BLOCK_LENGTH) {
      starts.push(at);
      blocks.push(text.slice(at, at + BLOCK_LENGTH));
    }
    return new BlockText(blocks, starts, text.length, text);
  }

  /** The lengths of the blocks that hold the text (for tests). */
  blockLengths(): number[] {
    return this.blocks.map(block => block.length);
  }

  toString(): string {
    if (this.whole === undefined) {
      this.whole = this.blocks.join('');
      // The blocks become views into the whole, so that the texts they were cut from (of earlier versions) can go.
      this.blocks = this.blocks.map((block, i) => this.whole!.slice(this.starts[i], this.starts[i] + block.length));
    }
    return this.whole;
  }

  /** The text from `start` to `end`, as String.prototype.slice gives it (negative offsets count from the end). */
  slice(start = 0, end = this.length): string {
    const from = clampOffset(start, this.length);
    const to = clampOffset(end, this.length);
    if (from >= to) return '';
    if (this.whole !== undefined) return this.whole.slice(from, to);
    let i = this.blockAt(from);
    const first = this.blocks[i].slice(from - this.starts[i], to - this.starts[i]);
    if (to <= this.starts[i] + this.blocks[i].length) return first;
    let text = first;
    for (i++; i < this.blocks.length && this.starts[i] < to; i++) text += this.blocks[i].slice(0, to - this.starts[i]);
    return text;
  }

  /** The UTF-16 code unit at `offset`, NaN outside the text, as String.prototype.charCodeAt. */
  charCodeAt(offset: number): number {
    if (!(offset >= 0 && offset < this.length)) return NaN;
    if (this.whole !== undefined) return this.whole.charCodeAt(offset);
    const i = this.blockAt(offset);
    return this.blocks[i].charCodeAt(offset - this.starts[i]);
  }

  /** The text with `start` to `end` replaced by `text`; this one is left as it is. */
  replace(start: number, end: number, text: string): BlockText {
    if (start < 0 || end < start || end > this.length) throw new RangeError(`no range ${start}-${end} in a text of ${this.length}`);
    const length = this.length - (end - start) + text.length;
    if (!this.blocks.length) return BlockText.of(text);
    const first = this.blockAt(start);
    // The block the range ends in, or the one it starts in when the range is empty.
    const last = end > start ? this.blockAt(end - 1) : first;
    let middle = this.blocks[first].slice(0, start - this.starts[first]) + text + this.blocks[last].slice(end - this.starts[last]);
    let before = first;
    let after = last + 1;
    // A short block is merged with a neighbour, so that many edits do not leave many tiny blocks.
    if (middle.length < BLOCK_LENGTH / 4) {
      if (after < this.blocks.length) middle += this.blocks[after++];
      else if (before > 0) middle = this.blocks[--before] + middle;
    }
    // No block is longer than twice the length blocks are cut to.
    const pieces = middle.length > 2 * BLOCK_LENGTH ? cut(middle) : middle ? [middle] : [];
    const blocks = [...this.blocks.slice(0, before), ...pieces, ...this.blocks.slice(after)];
    const starts: number[] = new Array(blocks.length);
    for (let i = 0, at = 0; i < blocks.length; at += blocks[i++].length) starts[i] = at;
    return new BlockText(blocks, starts, length);
  }

  /** The block that holds `offset`; the last block for the offset at the end of the text. */
  private blockAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid; else high = mid - 1;
    }
    return low;
  }
}

/** A long text cut into blocks: V8 makes a concatenation flat at its first slice, so they are views into one copy. */
function cut(text: string): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += BLOCK_LENGTH) pieces.push(text.slice(at, at + BLOCK_LENGTH));
  return pieces;
}

function clampOffset(offset: number, length: number): number {
  if (offset < 0) return Math.max(0, length + offset);
  return Math.min(offset, length);
}
