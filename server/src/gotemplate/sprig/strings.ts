// Sprig's string functions (strings.go and the goutils/xstrings helpers it wraps). Go strings are bytes: the
// functions that cut by position (trunc, substr, abbrev) count UTF-8 bytes as Go does.
import { GoFunction, passThrough } from '../values';
import { intArg, plain, strslice, strval, stringArg } from './convert';
import { Random, randomString, shuffled } from './random';
import { goQuote } from '../lex';
import { fromUtf8, utf8, utf8Length } from '../bytes';


/** Go's s[start:end] on the UTF-8 bytes, with Go's panic when out of range. */
function byteSlice(text: string, start: number, end?: number): string {
  const bytes = utf8(text);
  const stop = end ?? bytes.length;
  if (start < 0 || stop > bytes.length || start > stop) throw new Error(`runtime error: slice bounds out of range [${start}:${stop}] with length ${bytes.length}`);
  return fromUtf8(bytes.subarray(start, stop));
}

const byteLength = utf8Length;

const isGoSpace = (c: string) => /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(c);

/** Go's strings.TrimSpace (Unicode white space, which differs a little from JavaScript's trim). */
function trimSpace(text: string): string {
  const chars = Array.from(text);
  let start = 0;
  let end = chars.length;
  while (start < end && isGoSpace(chars[start])) start++;
  while (end > start && isGoSpace(chars[end - 1])) end--;
  return chars.slice(start, end).join('');
}

/** Go's strings.Trim with a cutset. */
function trimCutset(text: string, cutset: string): string {
  const set = new Set(Array.from(cutset));
  const chars = Array.from(text);
  let start = 0;
  let end = chars.length;
  while (start < end && set.has(chars[start])) start++;
  while (end > start && set.has(chars[end - 1])) end--;
  return chars.slice(start, end).join('');
}

function abbreviate(text: string, offset: number, maxWidth: number): string {
  const length = byteLength(text);
  if (text === '' || length <= maxWidth) return text;
  let start = Math.min(offset, length);
  if (length - start < maxWidth - 3) start = length - (maxWidth - 3);
  if (start <= 4) return byteSlice(text, 0, maxWidth - 3) + '...';
  if (maxWidth < 7) return '';
  if (start + maxWidth - 3 < length) return '...' + abbreviate(byteSlice(text, start), 0, maxWidth - 3);
  return '...' + byteSlice(text, length - (maxWidth - 3));
}

/** goutils' WrapCustom: break at the last space within `width`, long words kept whole unless `wrapLongWords`. */
function wrap(text: string, width: number, newline: string, wrapLongWords: boolean): string {
  if (text === '') return '';
  const separator = newline === '' ? '\n' : newline;
  const limit = Math.max(width, 1);
  let offset = 0;
  let out = '';
  while (text.length - offset > limit) {
    if (text[offset] === ' ') {
      offset++;
      continue;
    }
    const window = text.slice(offset, limit + offset + 1);
    const space = window.lastIndexOf(' ');
    if (space >= 0) {
      out += text.slice(offset, offset + space) + separator;
      offset += space + 1;
    } else if (wrapLongWords) {
      out += text.slice(offset, offset + limit) + separator;
      offset += limit;
    } else {
      const next = text.indexOf(' ', offset + limit);
      if (next < 0) {
        out += text.slice(offset);
        offset = text.length;
      } else {
        out += text.slice(offset, next) + separator;
        offset = next + 1;
      }
    }
  }
  return out + text.slice(offset);
}

/** strings.Title's word boundaries: ASCII letters, digits and `_` join; other ASCII and spaces separate. */
function isTitleSeparator(c: string): boolean {
  if (c.charCodeAt(0) <= 0x7f) return !/[0-9A-Za-z_]/.test(c);
  if (/[\p{L}\p{Nd}]/u.test(c)) return false;
  return isGoSpace(c);
}

function title(text: string): string {
  let previous = ' ';
  let out = '';
  for (const c of text) {
    out += isTitleSeparator(previous) ? c.toUpperCase() : c;
    previous = c;
  }
  return out;
}

/** goutils' Uncapitalize/Initials split words at white space. */
function untitle(text: string): string {
  let previous = ' ';
  let out = '';
  for (const c of text) {
    out += isGoSpace(previous) ? c.toLowerCase() : c;
    previous = c;
  }
  return out;
}

function initials(text: string): string {
  let previous = ' ';
  let out = '';
  for (const c of text) {
    if (isGoSpace(previous) && !isGoSpace(c)) out += c;
    previous = c;
  }
  return out;
}

function swapCase(text: string): string {
  let out = '';
  for (const c of text) {
    const upper = c.toUpperCase();
    const lower = c.toLowerCase();
    out += c === upper && c !== lower ? lower : c === lower && c !== upper ? upper : c;
  }
  return out;
}

const isConnector = (c: string) => c === '-' || c === '_' || isGoSpace(c);

/** xstrings.ToCamelCase: connectors dropped and the letter after them upper-cased; leading connectors kept. */
function camelCase(text: string): string {
  const chars = Array.from(text);
  if (chars.length === 0) return '';
  let out = '';
  let i = 0;
  while (i < chars.length && isConnector(chars[i])) out += chars[i++];
  if (i === chars.length) return out;
  let current = chars[i++].toUpperCase();
  for (; i < chars.length; i++) {
    const previous = current;
    current = chars[i];
    if (isConnector(current) && isConnector(previous)) {
      out += previous;
      continue;
    }
    if (isConnector(previous)) current = current.toUpperCase();
    else out += previous;
  }
  return out + current;
}

/**
 * xstrings' ToSnakeCase/ToKebabCase: words are split at connectors, at a lower-to-upper change and before the last
 * capital of an upper-case run (`HTTPServer` is `http_server`); digits stay with the word before them.
 */
function joinWords(text: string, connector: string): string {
  const words: string[] = [];
  for (const run of text.split(/[^\p{L}\p{N}]+/u)) {
    if (run === '') continue;
    const parts = run.match(/\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?\p{Ll}+\p{N}*|\p{Lu}+\p{N}*|\p{N}+\p{Ll}*|[^\p{Lu}\p{Ll}\p{N}]+/gu) ?? [run];
    words.push(...parts);
  }
  return words.map(word => word.toLowerCase()).join(connector);
}

/** Longest text indent may produce: a bound against `indent 100000000` on a long text exhausting memory. */
const MAX_INDENTED_LENGTH = 64 * 1024 * 1024;

/** Sprig's indent: every line prefixed with `spaces` spaces (none for a negative count, as strings.Repeat panics). */
function indent(spaces: number, text: string): string {
  if (spaces < 0) throw new Error('strings: negative Repeat count');
  const lines = text.split('\n').length;
  if (text.length + spaces * lines > MAX_INDENTED_LENGTH) throw new Error(`indented text longer than ${MAX_INDENTED_LENGTH} characters`);
  const pad = ' '.repeat(spaces);
  return pad + text.replaceAll('\n', '\n' + pad);
}

export function stringFunctions(random: Random): Record<string, GoFunction> {
  return {
    abbrev: (width, text) => (intArg(width) < 4 ? stringArg(text) : abbreviate(stringArg(text), 0, intArg(width))),
    abbrevboth: (left, right, text) => {
      const l = intArg(left);
      const r = intArg(right);
      return r < 4 || (l > 0 && r < 7) ? stringArg(text) : abbreviate(stringArg(text), l, r);
    },
    trunc: (count, text) => {
      const c = intArg(count);
      const s = stringArg(text);
      const length = byteLength(s);
      if (c < 0 && length + c > 0) return byteSlice(s, length + c);
      if (c >= 0 && length > c) return byteSlice(s, 0, c);
      return s;
    },
    trim: passThrough((text: unknown) => trimSpace(stringArg(text)), 'derive'),
    upper: (text) => stringArg(text).toUpperCase(),
    lower: (text) => stringArg(text).toLowerCase(),
    title: (text) => title(stringArg(text)),
    untitle: (text) => untitle(stringArg(text)),
    substr: (start, end, text) => {
      const s = stringArg(text);
      const from = intArg(start);
      const to = intArg(end);
      if (from < 0) return byteSlice(s, 0, to);
      if (to < 0 || to > byteLength(s)) return byteSlice(s, from);
      return byteSlice(s, from, to);
    },
    repeat: (count, text) => {
      const c = intArg(count);
      if (c < 0) throw new Error('strings: negative Repeat count');
      const s = stringArg(text);
      if (s.length * c > 64 * 1024 * 1024) throw new Error('strings: Repeat output length overflow');
      return s.repeat(c);
    },
    trimall: (cutset, text) => trimCutset(stringArg(text), stringArg(cutset)),
    trimAll: (cutset, text) => trimCutset(stringArg(text), stringArg(cutset)),
    trimSuffix: (suffix, text) => {
      const s = stringArg(text);
      const x = stringArg(suffix);
      return x !== '' && s.endsWith(x) ? s.slice(0, s.length - x.length) : s;
    },
    trimPrefix: (prefix, text) => {
      const s = stringArg(text);
      const x = stringArg(prefix);
      return s.startsWith(x) ? s.slice(x.length) : s;
    },
    nospace: (text) => Array.from(stringArg(text)).filter(c => !isGoSpace(c)).join(''),
    initials: (text) => initials(stringArg(text)),
    randAlphaNum: (count) => randomString(random, intArg(count), 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
    randAlpha: (count) => randomString(random, intArg(count), 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'),
    randAscii: (count) => randomString(random, intArg(count), Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')),
    randNumeric: (count) => randomString(random, intArg(count), '0123456789'),
    swapcase: (text) => swapCase(stringArg(text)),
    shuffle: (text) => shuffled(random, Array.from(stringArg(text))).join(''),
    snakecase: (text) => joinWords(stringArg(text), '_'),
    camelcase: (text) => camelCase(stringArg(text)),
    kebabcase: (text) => joinWords(stringArg(text), '-'),
    wrap: (width, text) => wrap(stringArg(text), intArg(width), '', false),
    wrapWith: (width, separator, text) => wrap(stringArg(text), intArg(width), stringArg(separator), true),
    contains: (substring, text) => stringArg(text).includes(stringArg(substring)),
    hasPrefix: (prefix, text) => stringArg(text).startsWith(stringArg(prefix)),
    hasSuffix: (suffix, text) => stringArg(text).endsWith(stringArg(suffix)),
    quote: passThrough((...values: unknown[]) => values.filter(v => plain(v) !== null && plain(v) !== undefined).map(v => goQuote(strval(v))).join(' '), 'derive'),
    squote: passThrough((...values: unknown[]) => values.filter(v => plain(v) !== null && plain(v) !== undefined).map(v => `'${strval(v)}'`).join(' '), 'derive'),
    cat: (...values) => values.filter(v => plain(v) !== null && plain(v) !== undefined).map(strval).join(' '),
    indent: passThrough((spaces: unknown, text: unknown) => indent(intArg(spaces), stringArg(text)), 'indent'),
    nindent: passThrough((spaces: unknown, text: unknown) => '\n' + indent(intArg(spaces), stringArg(text)), 'nindent'),
    replace: (old, replacement, text) => stringArg(text).replaceAll(stringArg(old), stringArg(replacement)),
    plural: (one, many, count) => (intArg(count) === 1 ? stringArg(one) : stringArg(many)),
    toString: passThrough((value: unknown) => strval(value), 'derive'),
    toStrings: (list) => strslice(list),
    split: (separator, text) => Object.fromEntries(goSplit(stringArg(text), stringArg(separator), -1).map((part, i) => ['_' + i, part])),
    splitList: (separator, text) => goSplit(stringArg(text), stringArg(separator), -1),
    splitn: (separator, n, text) => Object.fromEntries(goSplit(stringArg(text), stringArg(separator), intArg(n)).map((part, i) => ['_' + i, part])),
    join: (separator, list) => strslice(list).join(stringArg(separator)),
    sortAlpha: (list) => {
      const value = plain(list);
      if (!Array.isArray(value) && !(value instanceof Uint8Array)) return [strval(value)];
      return strslice(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    },
  };
}

/** strings.SplitN (n < 0: all parts); an empty separator splits after each character. */
function goSplit(text: string, separator: string, n: number): string[] {
  if (n === 0) return [];
  if (separator === '') {
    const chars = Array.from(text);
    if (n < 0 || n >= chars.length) return chars;
    return [...chars.slice(0, n - 1), chars.slice(n - 1).join('')];
  }
  const parts = text.split(separator);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(separator)];
}
