// Go's encoding/json as templates see it: Marshal (keys sorted, `<`, `>` and `&` escaped unless raw, float64 in
// Go's shortest form, []byte as base64, time.Time as RFC 3339) and Unmarshal into interface{} (every number a
// float64), with Go's error messages, which Helm's fromJson puts in the map it returns.
import { goTypeOf, Traced } from '../values';
import { formatGoFloat } from './strconv';
import { formatRfc3339Nano, GoDuration } from './time';
import { toBase64 } from '../bytes';

export class JsonError extends Error {}

/**
 * The value as encoding/json sees it: structs as maps of their fields, []byte as base64, times as RFC 3339
 * strings, durations as nanoseconds. Throws a JsonError for what Go cannot encode (functions, NaN, infinities).
 */
export function goJsonValue(value: unknown, ancestors: Set<object> = new Set()): unknown {
  if (value instanceof Traced) return goJsonValue(value.value, ancestors);
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new JsonError(`json: unsupported value: ${formatGoFloat(value, 'g', -1)}`);
    return value;
  }
  if (typeof value === 'function') throw new JsonError('json: unsupported type: func()');
  if (typeof value !== 'object') return value;
  if (value instanceof GoDuration) return value.nanoseconds;
  if (value instanceof Uint8Array) return toBase64(value);
  if (value instanceof Date) return formatRfc3339Nano(value);
  // Go's encoder reports a value that contains itself; it also stops at a depth no real data reaches.
  if (ancestors.has(value) || ancestors.size >= 1000) throw new JsonError(`json: unsupported value: encountered a cycle via ${Array.isArray(value) ? '[]interface {}' : 'map[string]interface {}'}`);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map(item => goJsonValue(item, ancestors));
    const out: Record<string, unknown> = {};
    const struct = goTypeOf(value)?.kind === 'struct';
    for (const [key, entry] of Object.entries(value)) {
      if (struct && typeof entry === 'function') continue;
      out[key] = goJsonValue(entry, ancestors);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

function quoteJson(text: string, escapeHtml: boolean): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const code = text.charCodeAt(i);
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\b') out += '\\b';
    else if (c === '\f') out += '\\f';
    else if (code < 0x20 || (escapeHtml && (c === '<' || c === '>' || c === '&')) || code === 0x2028 || code === 0x2029) out += '\\u' + code.toString(16).padStart(4, '0');
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) out += c + text[++i];
    else if (code >= 0xd800 && code <= 0xdfff) out += '\ufffd';
    else out += c;
  }
  return out + '"';
}

/** Go's encoding of a float64: shortest digits, an exponent below 1e-6 and from 1e21 on (`1e-07` becomes `1e-7`). */
function formatJsonFloat(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return formatGoFloat(value, 'e', -1).replace(/e([-+])0(\d)$/, 'e$1$2');
  return formatGoFloat(value, 'f', -1);
}

function encode(value: unknown, escapeHtml: boolean, indent: string, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean': return String(value);
    case 'bigint': return value.toString();
    case 'number': return formatJsonFloat(value);
    case 'string': return quoteJson(value, escapeHtml);
  }
  const newline = indent ? '\n' + indent.repeat(depth + 1) : '';
  const close = indent ? '\n' + indent.repeat(depth) : '';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return '[' + value.map(item => newline + encode(item, escapeHtml, indent, depth + 1)).join(',') + close + ']';
  }
  const keys = Object.keys(value as object).sort(compareUtf8);
  if (keys.length === 0) return '{}';
  const colon = indent ? ': ' : ':';
  return '{' + keys.map(key => newline + quoteJson(key, escapeHtml) + colon + encode((value as Record<string, unknown>)[key], escapeHtml, indent, depth + 1)).join(',') + close + '}';
}

/** Go orders strings by their UTF-8 bytes; for UTF-16 that differs from `<` only around surrogates. */
function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : 1;
}

/** json.Marshal (escapeHtml true) or an Encoder with SetEscapeHTML(false); `indent` as json.MarshalIndent's. */
export function marshalJson(value: unknown, escapeHtml = true, indent = ''): string {
  return encode(goJsonValue(value), escapeHtml, indent, 0);
}

// ---- Unmarshal ----

class JsonReader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(context: string): never {
    if (this.pos >= this.text.length) throw new JsonError('unexpected end of JSON input');
    const char = this.text[this.pos];
    const shown = char === "'" ? "'\\''" : char === '"' ? "'\"'" : JSON.stringify(char).replace(/^"|"$/g, "'");
    throw new JsonError(`invalid character ${shown} ${context}`);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos])) this.pos++;
  }

  value(depth: number): unknown {
    if (depth > 1000) throw new JsonError('exceeded max depth');
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
      if (c === word[0]) {
        let i = 0;
        while (this.text[this.pos] === word[i]) { this.pos++; i++; }
        this.fail(`in literal ${word} (expecting '${word[i]}')`);
      }
    }
    return this.fail('looking for beginning of value');
  }

  object(depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.skipSpace();
    if (this.text[this.pos] === '}') { this.pos++; return out; }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('looking for beginning of object key string');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail('after object key');
      this.pos++;
      out[key] = this.value(depth + 1);
      this.skipSpace();
      if (this.text[this.pos] === ',') { this.pos++; continue; }
      if (this.text[this.pos] === '}') { this.pos++; return out; }
      this.fail('after object key:value pair');
    }
  }

  array(depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') { this.pos++; return out; }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.pos] === ',') { this.pos++; continue; }
      if (this.text[this.pos] === ']') { this.pos++; return out; }
      this.fail('after array element');
    }
  }

  string(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('in string literal');
      if (c === '"') break;
      if (c === '\\') {
        this.pos++;
        const e = this.text[this.pos];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 1, this.pos + 5))) {
            this.pos++;
            while (/[0-9a-fA-F]/.test(this.text[this.pos] ?? '')) this.pos++;
            this.fail('in \\u hexadecimal character escape');
          }
          this.pos += 4;
        } else if (!'"\\/bfnrt'.includes(e ?? 'x')) this.fail('in string escape code');
      } else if (c.charCodeAt(0) < 0x20) this.fail('in string literal');
      this.pos++;
    }
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos).replace(/[\u2028\u2029]/g, m => '\\u' + m.charCodeAt(0).toString(16)));
  }

  number(): number {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(this.text.slice(this.pos));
    if (!match) {
      this.pos++;
      this.fail('in numeric literal');
    }
    const text = match[0];
    this.pos += text.length;
    const next = this.text[this.pos];
    if (next === '.' || next === 'e' || next === 'E') {
      this.pos++;
      this.fail(next === '.' ? 'after decimal point in numeric literal' : 'in exponent of numeric literal');
    }
    const value = Number(text);
    if (!Number.isFinite(value)) throw new JsonError(`json: cannot unmarshal number ${text} into Go value of type float64`);
    return value;
  }
}

/** json.Unmarshal into interface{}: every number a float64. Throws a JsonError with Go's message. */
export function unmarshalJson(text: string): unknown {
  const reader = new JsonReader(text);
  const value = reader.value(0);
  reader.skipSpace();
  if (reader.pos < text.length) reader.fail('after top-level value');
  return value;
}

/** What encoding/json calls a JSON value's kind in "cannot unmarshal X into Go value of type T". */
export function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'bool' : 'string';
}
