// Writes parsed YAML documents in a chosen layout, so that every fixture of the fix tables can be tried in the
// block styles people write: indentation of 2, 3 or 4 spaces or mixed per level, sequences flush with their
// key or indented, items on the dash's line or below a dash alone on its line, comments and blank lines
// between items, `key : value` and quoted keys, CRLF, and a last line without a line break.

export interface StyleLayout {
  /** Spaces per nesting level, repeated when there are more levels. */
  indents: number[];
  /** `key:` then `- item` at the key's column, rather than indented under it. */
  flushSequences: boolean;
  /** `- a: 1`, `-   a: 1`, or `-` alone on its line with the item below it. */
  items: 'compact' | 'wide' | 'bare';
  /** `comments`: a comment and a blank line between items, and a comment after each list; `keys`: `key : value`, every other key quoted. */
  extras: 'plain' | 'comments' | 'keys';
  eol: '\n' | '\r\n';
  finalNewline: boolean;
}

export function layoutName(layout: StyleLayout): string {
  return [
    `indent ${layout.indents.join('/')}`, layout.flushSequences ? 'flush' : 'indented', layout.items, layout.extras,
    layout.eol === '\n' ? 'LF' : 'CRLF', layout.finalNewline ? 'final newline' : 'no final newline',
  ].join(', ');
}

const INDENTS = [[2], [4], [3], [2, 4, 3]];
const ITEMS: StyleLayout['items'][] = ['compact', 'wide', 'bare'];
const EXTRAS: StyleLayout['extras'][] = ['plain', 'comments', 'keys'];
const ENDINGS: [StyleLayout['eol'], boolean][] = [['\n', true], ['\r\n', true], ['\n', false], ['\r\n', false]];

/**
 * The layouts the matrix tries: indentation x sequence placement x item style fully crossed (24 layouts), with the
 * extras and the line endings turning over them so that each of their values meets each item style.
 */
export function matrixLayouts(): StyleLayout[] {
  return INDENTS.flatMap((indents, a) => [false, true].flatMap((flushSequences, b) => ITEMS.map((items, c) => {
    const [eol, finalNewline] = ENDINGS[(a + b + 2 * c) % ENDINGS.length];
    return { indents, flushSequences, items, extras: EXTRAS[(a + b + c) % EXTRAS.length], eol, finalNewline };
  })));
}

/** Words YAML 1.1 reads as something other than a string (see render.ts), and text that needs quotes. */
const NOT_A_STRING = /^(?:y|n|yes|no|true|false|on|off|null|~)$/i;
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./@-]*$/;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return PLAIN.test(value) && !NOT_A_STRING.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
const isEmpty = (value: unknown) => (Array.isArray(value) ? !value.length : isMap(value) && !Object.keys(value).length);

class Writer {
  readonly lines: string[] = [];
  private keys = 0;

  constructor(private readonly layout: StyleLayout) {}

  private indent(level: number): number {
    return this.layout.indents[level % this.layout.indents.length];
  }

  private key(key: string): string {
    const quoted = PLAIN.test(key) && !NOT_A_STRING.test(key) ? key : JSON.stringify(key);
    if (this.layout.extras !== 'keys') return `${quoted}:`;
    return `${this.keys++ % 2 ? JSON.stringify(key) : quoted} :`;
  }

  /** The lines of `value` as an item or document whose text starts at `column`. */
  private block(value: unknown, column: number, level: number): string[] {
    const writer = new Writer(this.layout);
    writer.keys = this.keys;
    if (isMap(value) && !isEmpty(value)) writer.map(value, column, level);
    else if (Array.isArray(value) && value.length) writer.seq(value, column, level);
    else writer.lines.push(`${' '.repeat(column)}${isEmpty(value) ? (Array.isArray(value) ? '[]' : '{}') : scalar(value)}`);
    this.keys = writer.keys;
    return writer.lines;
  }

  map(map: Record<string, unknown>, column: number, level: number): void {
    for (const [key, value] of Object.entries(map)) {
      const head = `${' '.repeat(column)}${this.key(key)}`;
      if (isMap(value) && !isEmpty(value)) {
        this.lines.push(head);
        this.map(value, column + this.indent(level), level + 1);
      } else if (Array.isArray(value) && value.length) {
        this.lines.push(head);
        this.seq(value, column + (this.layout.flushSequences ? 0 : this.indent(level)), level + 1);
      } else {
        this.lines.push(`${head} ${isEmpty(value) ? (Array.isArray(value) ? '[]' : '{}') : scalar(value)}`);
      }
    }
  }

  seq(items: unknown[], dash: number, level: number): void {
    const { items: style, extras } = this.layout;
    const offset = style === 'compact' ? 2 : style === 'wide' ? 4 : this.indent(level);
    items.forEach((item, i) => {
      if (i > 0 && extras === 'comments') this.lines.push('', `${' '.repeat(dash)}# item ${i + 1}`);
      const [first, ...rest] = this.block(item, dash + offset, level + 1);
      if (style === 'bare') {
        this.lines.push(`${' '.repeat(dash)}-`);
        if (extras === 'comments') this.lines.push(`${' '.repeat(dash + offset)}# below its dash`);
        this.lines.push(first, ...rest);
      } else {
        this.lines.push(`${' '.repeat(dash)}-${' '.repeat(offset - 1)}${first.slice(dash + offset)}`, ...rest);
      }
    });
    if (extras === 'comments') this.lines.push(`${' '.repeat(dash)}# end of the list`);
  }

  document(value: unknown): void {
    this.lines.push(...this.block(value, 0, 0));
  }
}

/** The documents written in `layout`, separated by `---` lines. */
export function writeInLayout(documents: readonly unknown[], layout: StyleLayout): string {
  const lines = documents.flatMap((document, i) => {
    const writer = new Writer(layout);
    writer.document(document);
    return i ? ['---', ...writer.lines] : writer.lines;
  });
  return lines.join(layout.eol) + (layout.finalNewline ? layout.eol : '');
}
