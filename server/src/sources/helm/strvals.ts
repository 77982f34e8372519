// Helm's `--set name=value` syntax (pkg/strvals): `a.b=1,c[0]=x,d={e,f}`, with `\` escaping the next character.
// `--set` types its values (true/false/null, 64-bit integers written without a leading zero); `--set-string`
// keeps them as strings. Each value remembers the argument it came from, for the source map.
import { DataOrigin, GoMap, setEntryOrigin } from '../../gotemplate/values';
import { isTable } from './coalesce';

const MAX_INDEX = 65536;
const MAX_NESTING = 30;

export class StrvalsError extends Error {}

/** Parses one `--set`/`--set-string` argument into `into`; `file` names the argument in origins (e.g. `--set`). */
export function parseSet(argument: string, into: GoMap, options: { strings?: boolean; file?: string } = {}): void {
  new Parser(argument, into, options.strings ?? false, options.file ?? '--set').parse();
}

class Parser {
  private at = 0;
  constructor(private readonly text: string, private readonly data: GoMap, private readonly strings: boolean, private readonly file: string) {}

  parse(): void {
    while (this.at < this.text.length) this.key(this.data, 0);
  }

  /** Reads up to (and consumes) one of `stop`; returns the text with escapes resolved and the stop, or '' at the end. */
  private until(stop: string): [string, string] {
    let out = '';
    while (this.at < this.text.length) {
      const c = this.text[this.at++];
      if (stop.includes(c)) return [out, c];
      if (c === '\\') { if (this.at >= this.text.length) return [out, '']; out += this.text[this.at++]; }
      else out += c;
    }
    return [out, ''];
  }

  private key(data: GoMap, level: number): void {
    const keyStart = this.at;
    const [key, last] = this.until('=[,.');
    switch (last) {
      case '': throw new StrvalsError(key ? `key "${key}" has no value` : 'unexpected end of argument');
      case '[': {
        const index = this.index();
        const existing = data[key];
        const list = this.listItem(Array.isArray(existing) ? existing : [], index, level);
        data[key] = list;
        return;
      }
      case '=': {
        const start = this.at;
        data[key] = this.value();
        this.origin(data, key, keyStart, start);
        return;
      }
      case ',': data[key] = ''; throw new StrvalsError(`key "${key}" has no value (cannot end with ,)`);
      default: { // '.'
        if (level + 1 > MAX_NESTING) throw new StrvalsError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTING}`);
        const existing = data[key];
        const inner: GoMap = isTable(existing) ? existing : {};
        this.key(inner, level + 1);
        if (Object.keys(inner).length === 0) throw new StrvalsError(`key map "${key}" has no value`);
        data[key] = inner;
      }
    }
  }

  private origin(container: object, key: string | number, start: number, valueStart: number): void {
    const origin: DataOrigin = { file: this.file, start, end: Math.max(valueStart, this.at - (this.text[this.at - 1] === ',' ? 1 : 0)) };
    setEntryOrigin(container, key, origin);
  }

  private index(): number {
    const [digits, last] = this.until(']');
    if (last !== ']') throw new StrvalsError('error parsing index: unexpected end of argument');
    if (!/^[0-9]+$/.test(digits)) throw new StrvalsError(`error parsing index: strconv.Atoi: parsing "${digits}": invalid syntax`);
    const index = Number(digits);
    if (index > MAX_INDEX) throw new StrvalsError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
    return index;
  }

  private listItem(list: unknown[], index: number, level: number): unknown[] {
    const start = this.at;
    const next = this.text[this.at++];
    if (next === undefined) throw new StrvalsError('unexpected end of argument after an index');
    while (list.length <= index) list.push(null);
    switch (next) {
      case '=': list[index] = this.value(); this.origin(list, index, start, start + 1); return list;
      case '.': {
        const existing = list[index];
        const inner: GoMap = isTable(existing) ? existing : {};
        this.key(inner, level);
        list[index] = inner;
        return list;
      }
      case '[': {
        const inner = this.index();
        const existing = list[index];
        list[index] = this.listItem(Array.isArray(existing) ? existing : [], inner, level);
        return list;
      }
      default: throw new StrvalsError(`parse error: unexpected data at end of array index: ${JSON.stringify(next)}`);
    }
  }

  /** A value up to the next `,`: a `{a,b}` list or one typed value. */
  private value(): unknown {
    if (this.text[this.at] === '{') {
      this.at++;
      const list: unknown[] = [];
      for (;;) {
        const [item, last] = this.until(',}');
        if (last === '') throw new StrvalsError('list must terminate with \'}\'');
        list.push(this.typed(item));
        if (last === '}') {
          if (this.at < this.text.length && this.text[this.at] !== ',') throw new StrvalsError(`key map has trailing characters after list: ${this.text.slice(this.at)}`);
          if (this.text[this.at] === ',') this.at++;
          return list;
        }
      }
    }
    const [text] = this.until(',');
    return this.typed(text);
  }

  private typed(text: string): unknown {
    if (this.strings) return text;
    const lower = text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (text === '0') return 0n;
    if (text !== '' && text[0] !== '0' && /^[+-]?[0-9]+$/.test(text)) {
      const value = BigInt(text);
      if (value >= -(2n ** 63n) && value < 2n ** 63n) return value;
    }
    return text;
  }
}
