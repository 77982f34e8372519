// TOML as Helm's toToml and fromToml see it (github.com/BurntSushi/toml): the encoder writes a map's plain keys
// first, then its tables, keys sorted, nested tables indented by two spaces; the decoder reads TOML 1.0 into the
// value model (integers as int64, floats as float64, date-times as times) and reports errors as `toml: line N: ...`.
import { formatGoFloat } from '../../../gotemplate/sprig/strconv';
import { goJsonValue } from '../../../gotemplate/sprig/json';
import { isGoMap } from '../../../gotemplate/values';

export class TomlError extends Error {}

// ---- Encoding ----

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function quoteToml(text: string): string {
  let out = '"';
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (c === '\b') out += '\\b';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\f') out += '\\f';
    else if (c === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
    else out += c;
  }
  return out + '"';
}

const keyPart = (key: string) => (BARE_KEY.test(key) ? key : quoteToml(key));

const isTable = (value: unknown) => isGoMap(value);
const isArrayOfTables = (value: unknown) => Array.isArray(value) && value.length > 0 && value.every(item => isGoMap(item));

function encodeValue(value: unknown): string {
  if (typeof value === 'string') return quoteToml(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    const text = formatGoFloat(value, 'f', -1);
    return text.includes('.') ? text : text + '.0';
  }
  if (Array.isArray(value)) return '[' + value.filter(item => item !== null).map(encodeValue).join(', ') + ']';
  if (isGoMap(value)) return '{' + Object.keys(value).sort().filter(k => value[k] !== null).map(k => `${keyPart(k)} = ${encodeValue(value[k])}`).join(', ') + '}';
  throw new TomlError(`toml: cannot encode a value of this type`);
}

class TomlWriter {
  out = '';

  private newline(): void {
    if (this.out !== '') this.out += '\n';
  }

  table(path: string[], map: Record<string, unknown>): void {
    const keys = Object.keys(map).sort();
    const direct = keys.filter(k => map[k] !== null && !isTable(map[k]) && !isArrayOfTables(map[k]));
    const sub = keys.filter(k => map[k] !== null && (isTable(map[k]) || isArrayOfTables(map[k])));
    for (const key of direct) this.out += `${path.length > 0 ? '  '.repeat(path.length) : ''}${keyPart(key)} = ${encodeValue(map[key])}\n`;
    for (const key of sub) {
      const childPath = [...path, key];
      const name = childPath.map(keyPart).join('.');
      const childIndent = '  '.repeat(childPath.length - 1);
      if (isTable(map[key])) {
        if (childPath.length === 1) this.newline();
        this.out += `${childIndent}[${name}]\n`;
        this.table(childPath, map[key] as Record<string, unknown>);
      } else {
        for (const item of map[key] as Record<string, unknown>[]) {
          this.newline();
          this.out += `${childIndent}[[${name}]]\n`;
          this.table(childPath, item);
        }
      }
    }
  }
}

/** BurntSushi/toml's Encoder.Encode of a map; throws a TomlError for anything else. */
export function encodeToml(value: unknown): string {
  const data = goJsonValue(value);
  if (!isGoMap(data)) throw new TomlError('toml: top-level values must be Go maps or structs');
  const writer = new TomlWriter();
  writer.table([], data);
  return writer.out;
}

// ---- Decoding ----

class TomlReader {
  pos = 0;
  readonly root: Record<string, unknown> = {};
  private current: Record<string, unknown> = this.root;
  private readonly defined = new Set<object>();
  private readonly inline = new Set<object>();

  constructor(readonly text: string) {}

  line(): number {
    let line = 1;
    for (let i = 0; i < this.pos && i < this.text.length; i++) if (this.text[i] === '\n') line++;
    return line;
  }

  fail(message: string): never {
    throw new TomlError(`toml: line ${this.line()}: ${message}`);
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  skipSpace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  skipComment(): void {
    if (this.peek() === '#') while (this.pos < this.text.length && this.peek() !== '\n') this.pos++;
  }

  skipBlankLines(): void {
    for (;;) {
      this.skipSpace();
      this.skipComment();
      if (this.peek() === '\n') this.pos++;
      else if (this.peek() === '\r' && this.text[this.pos + 1] === '\n') this.pos += 2;
      else return;
    }
  }

  endOfLine(): void {
    this.skipSpace();
    this.skipComment();
    if (this.pos >= this.text.length) return;
    if (this.peek() === '\n') { this.pos++; return; }
    if (this.peek() === '\r' && this.text[this.pos + 1] === '\n') { this.pos += 2; return; }
    this.fail(`expected a top-level item to end with a newline, comment, or EOF, but got ${JSON.stringify(this.peek()).replace(/^"|"$/g, "'")} instead`);
  }

  parse(): Record<string, unknown> {
    for (;;) {
      this.skipBlankLines();
      if (this.pos >= this.text.length) return this.root;
      if (this.peek() === '[') this.tableHeader();
      else this.keyValue(this.current);
      this.endOfLine();
    }
  }

  key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === '"') parts.push(this.basicString());
      else if (c === "'") parts.push(this.literalString());
      else {
        const match = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.pos));
        if (!match) {
          if (this.pos >= this.text.length) this.fail("unexpected EOF; expected key separator '='");
          this.fail(`bare keys cannot contain ${JSON.stringify(c).replace(/^"|"$/g, "'")}`);
        }
        parts.push(match[0]);
        this.pos += match[0].length;
      }
      this.skipSpace();
      if (this.peek() !== '.') return parts;
      this.pos++;
    }
  }

  private descend(table: Record<string, unknown>, key: string): Record<string, unknown> {
    const existing = table[key];
    if (existing === undefined) {
      const created: Record<string, unknown> = {};
      table[key] = created;
      return created;
    }
    if (Array.isArray(existing) && existing.length > 0 && isGoMap(existing[existing.length - 1])) return existing[existing.length - 1] as Record<string, unknown>;
    if (!isGoMap(existing) || this.inline.has(existing)) this.fail(`key ${JSON.stringify(key)} has already been defined`);
    return existing as Record<string, unknown>;
  }

  tableHeader(): void {
    const array = this.text.startsWith('[[', this.pos);
    this.pos += array ? 2 : 1;
    const path = this.key();
    if (!this.text.startsWith(array ? ']]' : ']', this.pos)) this.fail(`expected ']' to close the table name`);
    this.pos += array ? 2 : 1;
    let table = this.root;
    for (const part of path.slice(0, -1)) table = this.descend(table, part);
    const last = path[path.length - 1];
    if (array) {
      const list = table[last] ?? [];
      if (!Array.isArray(list)) this.fail(`key ${JSON.stringify(path.join('.'))} has already been defined`);
      const entry: Record<string, unknown> = {};
      (list as unknown[]).push(entry);
      table[last] = list;
      this.current = entry;
    } else {
      const existing = table[last];
      if (existing !== undefined && (!isGoMap(existing) || this.defined.has(existing as object))) this.fail(`table ${path.join('.')} already exists`);
      const entry = (existing as Record<string, unknown>) ?? {};
      table[last] = entry;
      this.defined.add(entry);
      this.current = entry;
    }
  }

  keyValue(table: Record<string, unknown>): void {
    const path = this.key();
    this.skipSpace();
    if (this.peek() !== '=') {
      if (this.pos >= this.text.length || this.peek() === '\n' || this.peek() === '\r') this.fail("unexpected EOF; expected key separator '='");
      this.fail(`expected key separator '=', but got ${JSON.stringify(this.peek()).replace(/^"|"$/g, "'")} instead`);
    }
    this.pos++;
    this.skipSpace();
    let target = table;
    for (const part of path.slice(0, -1)) target = this.descend(target, part);
    const last = path[path.length - 1];
    if (Object.prototype.hasOwnProperty.call(target, last)) this.fail(`key ${JSON.stringify(path.join('.'))} has already been defined`);
    target[last] = this.value(0);
  }

  value(depth: number): unknown {
    if (depth > 1000) this.fail('nesting too deep');
    const rest = this.text.slice(this.pos);
    const c = this.peek();
    if (c === undefined) this.fail('unexpected EOF; expected value');
    if (rest.startsWith('"""')) return this.multilineString('"""');
    if (rest.startsWith("'''")) return this.multilineString("'''");
    if (c === '"') return this.basicString();
    if (c === "'") return this.literalString();
    if (c === '[') return this.array(depth);
    if (c === '{') return this.inlineTable(depth);
    if (rest.startsWith('true') && !/^true[A-Za-z0-9_]/.test(rest)) { this.pos += 4; return true; }
    if (rest.startsWith('false') && !/^false[A-Za-z0-9_]/.test(rest)) { this.pos += 5; return false; }
    const date = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?)?/.exec(rest);
    if (date) {
      this.pos += date[0].length;
      const parsed = new Date(date[0].replace(' ', 'T') + (/[Zz]|[+-]\d{2}:\d{2}$/.test(date[0]) || date[0].length === 10 ? '' : 'Z'));
      if (Number.isNaN(parsed.getTime())) this.fail(`invalid datetime ${JSON.stringify(date[0])}`);
      return parsed;
    }
    const number = /^[+-]?(?:0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+|inf|nan|[0-9_]+(?:\.[0-9_]+)?(?:[eE][+-]?[0-9_]+)?)/.exec(rest);
    if (number) {
      this.pos += number[0].length;
      return this.number(number[0]);
    }
    this.fail(`expected value but found ${JSON.stringify(c).replace(/^"|"$/g, "'")} instead`);
  }

  number(text: string): unknown {
    const clean = text.replace(/_/g, '');
    if (/inf$/.test(clean)) return clean.startsWith('-') ? -Infinity : Infinity;
    if (/nan$/.test(clean)) return NaN;
    if (/[.eE]/.test(clean) && !/^[+-]?0x/.test(clean)) return Number(clean);
    const sign = clean.startsWith('-') ? -1n : 1n;
    const body = clean.replace(/^[+-]/, '');
    const value = sign * BigInt(body);
    if (value < -(2n ** 63n) || value > 2n ** 63n - 1n) this.fail(`${text} is out of range for int64`);
    return value;
  }

  basicString(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '\n') this.fail('unexpected EOF; expected \'"\'');
      this.pos++;
      if (c === '"') return out;
      if (c === '\\') out += this.escape();
      else out += c;
    }
  }

  escape(): string {
    const c = this.text[this.pos++];
    const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
    if (c in simple) return simple[c];
    if (c === 'u' || c === 'U') {
      const length = c === 'u' ? 4 : 8;
      const hex = this.text.slice(this.pos, this.pos + length);
      if (hex.length !== length || !/^[0-9A-Fa-f]+$/.test(hex)) this.fail(`invalid escape: '\\${c}${hex}'`);
      this.pos += length;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    return this.fail(`invalid escape character ${JSON.stringify(c)}; only the following escape characters are allowed: \\b, \\t, \\n, \\f, \\r, \\", \\\\, \\uXXXX, and \\UXXXXXXXX`);
  }

  literalString(): string {
    this.pos++;
    const end = this.text.indexOf("'", this.pos);
    const newline = this.text.indexOf('\n', this.pos);
    if (end < 0 || (newline >= 0 && newline < end)) this.fail("unexpected EOF; expected \"'\"");
    const out = this.text.slice(this.pos, end);
    this.pos = end + 1;
    return out;
  }

  multilineString(quote: string): string {
    this.pos += 3;
    if (this.peek() === '\n') this.pos++;
    else if (this.text.startsWith('\r\n', this.pos)) this.pos += 2;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail(`unexpected EOF; expected '${quote}'`);
      if (this.text.startsWith(quote, this.pos)) {
        // Up to two quotes right before the closing three belong to the string.
        let extra = 0;
        while (extra < 2 && this.text[this.pos + 3 + extra] === quote[0]) extra++;
        this.pos += 3 + extra;
        return out + quote[0].repeat(extra);
      }
      const c = this.text[this.pos++];
      if (quote === '"""' && c === '\\') {
        if (/^[ \t]*\r?\n/.test(this.text.slice(this.pos))) {
          while (/[ \t\r\n]/.test(this.peek() ?? '')) this.pos++;
        } else out += this.escape();
      } else out += c;
    }
  }

  skipArraySpace(): void {
    for (;;) {
      this.skipBlankLines();
      if (this.peek() === '\n') this.pos++;
      else return;
    }
  }

  array(depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    for (;;) {
      this.skipArraySpace();
      if (this.peek() === ']') { this.pos++; return out; }
      out.push(this.value(depth + 1));
      this.skipArraySpace();
      if (this.peek() === ',') { this.pos++; continue; }
      if (this.peek() === ']') { this.pos++; return out; }
      this.fail(`expected a comma (',') or array terminator (']'), but got ${this.peek() === undefined ? 'EOF' : JSON.stringify(this.peek()).replace(/^"|"$/g, "'")}`);
    }
  }

  inlineTable(depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.skipSpace();
    if (this.peek() === '}') { this.pos++; this.inline.add(out); return out; }
    for (;;) {
      this.keyValueIn(out, depth);
      this.skipSpace();
      if (this.peek() === ',') { this.pos++; continue; }
      if (this.peek() === '}') { this.pos++; this.inline.add(out); return out; }
      this.fail(`expected a comma or an inline table terminator '}', but got ${this.peek() === undefined ? 'EOF' : JSON.stringify(this.peek()).replace(/^"|"$/g, "'")} instead`);
    }
  }

  private keyValueIn(table: Record<string, unknown>, depth: number): void {
    const path = this.key();
    this.skipSpace();
    if (this.peek() !== '=') this.fail("unexpected EOF; expected key separator '='");
    this.pos++;
    this.skipSpace();
    let target = table;
    for (const part of path.slice(0, -1)) target = this.descend(target, part);
    target[path[path.length - 1]] = this.value(depth + 1);
  }
}

/** BurntSushi/toml's Unmarshal into map[string]interface{}; throws a TomlError with its wording. */
export function decodeToml(text: string): Record<string, unknown> {
  return new TomlReader(text).parse();
}
