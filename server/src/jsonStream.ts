// Writes `JSON.stringify(value, null, 2)` of a value with one long array in it piece by piece: the text before
// the array, each item as it comes, and the text after it, byte for byte what the whole would print. So a
// report of ten thousand files never sits in memory whole.

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

export class JsonArrayWriter {
  private readonly indent: string;
  private items = 0;

  /**
   * `skeleton` builds the whole value around its array: it is called now for the text before the array (which
   * must not depend on anything known only at the end) and again by `end` for the text after it.
   */
  constructor(private readonly write: (text: string) => void, skeleton: (items: unknown[]) => unknown) {
    const { head, indent } = split(skeleton);
    this.indent = indent;
    write(head);
  }

  item(value: unknown): void {
    const json = JSON.stringify(value, null, 2).split('\n').join(`\n${this.indent}`);
    this.write(`${this.items++ ? ',' : ''}\n${this.indent}${json}`);
  }

  end(skeleton: (items: unknown[]) => unknown): void {
    const close = this.items ? `\n${this.indent.slice(2)}]` : ']';
    this.write(`${close}${split(skeleton).tail}\n`);
  }
}
