// Writes `JSON.stringify(value, null, 2)` of a value with one long array in it piece by piece: the text before
// the array, its items as they come, and the text after it, byte for byte what the whole would print. So a
// report of ten thousand files never sits in memory whole, and the items' text can be made in another thread.

/** Stands for the array in the skeleton; JSON prints it as "\u0000...", which no real item can be. */
const PLACEHOLDER = '\u0000items';

interface Parts { head: string; indent: string; tail: string }

/** The text before and after the array in the skeleton, and the indentation of its items. */
function split(skeleton: (items: unknown[]) => unknown): Parts {
  const text = JSON.stringify(skeleton([PLACEHOLDER]), null, 2);
  const marker = JSON.stringify(PLACEHOLDER);
  const at = text.indexOf(marker);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = text.slice(lineStart, at);
  // The array's closing line: a newline, the indentation of the line that opened it, and `]`.
  return { head: text.slice(0, lineStart - 1), indent, tail: text.slice(at + marker.length + 1 + indent.length - 2 + 1) };
}

/** The indentation of the items of the array in the skeleton, for `jsonItems`. */
export function itemIndent(skeleton: (items: unknown[]) => unknown): string {
  return split(skeleton).indent;
}

/**
 * Items stringified together: one call of JSON.stringify on many items costs far less than one per item. Each
 * call holds at most this many, so that the text of a file with 100,000 findings is made in pieces.
 */
const ITEMS_PER_STRINGIFY = 1000;

/** How much of the text of items nested as deep as `indent` says is brackets around them (see jsonItems). */
const framing = new Map<string, { head: number; tail: number }>();

function framingOf(indent: string): { head: number; tail: number } {
  let known = framing.get(indent);
  if (!known) {
    const probe = JSON.stringify(nested([0], indent), null, 2);
    const marker = `\n${indent}0`;
    const head = probe.indexOf(marker);
    framing.set(indent, known = { head, tail: probe.length - head - marker.length });
  }
  return known;
}

/** The items in as many arrays as put them at the depth of `indent` (two spaces a level), where JSON indents them so. */
function nested(items: readonly unknown[], indent: string): unknown[] {
  let value: unknown[] = items as unknown[];
  for (let depth = indent.length / 2; depth > 1; depth--) value = [value];
  return value;
}

/**
 * The text that the items made by `toItem` of `sources` add to an array whose items are indented by `indent`, as
 * JSON.stringify(value, null, 2) prints them there: each on a new line after the indentation, separated by commas;
 * no piece for no item. The items are made a piece at a time, so that those of 100,000 findings are never all alive
 * at once (each piece is garbage once printed, instead of surviving collections until the last is printed). The
 * pieces are written one after the other, with a comma between them: joined, the text of a file with 100,000
 * findings (80 MB) would be copied once more.
 */
export function jsonItems<T>(sources: readonly T[], indent: string, toItem: (source: T) => unknown): string[] {
  const { head, tail } = framingOf(indent);
  const pieces: string[] = [];
  for (let first = 0; first < sources.length; first += ITEMS_PER_STRINGIFY) {
    const text = JSON.stringify(nested(sources.slice(first, first + ITEMS_PER_STRINGIFY).map(toItem), indent), null, 2);
    pieces.push(text.slice(head, text.length - tail));
  }
  return pieces;
}

export class JsonArrayWriter {
  readonly indent: string;
  private empty = true;

  /**
   * `skeleton` builds the whole value around its array: it is called now for the text before the array (which
   * must not depend on anything known only at the end) and again by `end` for the text after it.
   */
  constructor(private readonly write: (text: string) => void, skeleton: (items: unknown[]) => unknown) {
    const { head, indent } = split(skeleton);
    this.indent = indent;
    write(head);
  }

  /** Writes the pieces of items made by `jsonItems` with this array's `indent`. */
  items(pieces: readonly string[]): void {
    for (const piece of pieces) {
      if (!this.empty) this.write(',');
      this.write(piece);
      this.empty = false;
    }
  }

  end(skeleton: (items: unknown[]) => unknown): void {
    const close = this.empty ? ']' : `\n${this.indent.slice(2)}]`;
    this.write(`${close}${split(skeleton).tail}\n`);
  }
}
