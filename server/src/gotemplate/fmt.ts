// Go's fmt for the value model of values.ts: Sprint, Sprintln, Sprintf with the verbs, flags, widths and
// precisions templates use, and the `%!verb(type=value)` texts Go prints for a verb that does not fit.

import { goQuote } from './lex';
import { goTypeOf, isGoMap } from './values';
import { trimTrailing } from './text';
import { latin1, toHex, utf8 } from './bytes';

/** The Go type name of a value, as fmt and template errors print it. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  switch (typeof value) {
    case 'string': return 'string';
    case 'bigint': return 'int';
    case 'number': return 'float64';
    case 'boolean': return 'bool';
    case 'function': return 'func(...interface {}) (interface {}, error)';
  }
  if (Array.isArray(value)) return '[]interface {}';
  if (value instanceof Uint8Array) return '[]uint8';
  if (value instanceof Date) return 'time.Time';
  return goTypeOf(value as object)?.name ?? 'map[string]interface {}';
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(arg, 'v', NO_FLAGS);
  });
  return out;
}

/** fmt.Sprintln: operands always separated by a space, and a newline. */
export function sprintln(args: readonly unknown[]): string {
  return args.map((arg) => formatValue(arg, 'v', NO_FLAGS)).join(' ') + '\n';
}

interface Flags {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  precision?: number;
}

const NO_FLAGS: Flags = { minus: false, plus: false, sharp: false, space: false, zero: false };

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argIndex = 0;
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf('%', i);
    if (percent < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, percent);
    i = percent + 1;
    const flags: Flags = { ...NO_FLAGS };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') flags.minus = true;
      else if (c === '+') flags.plus = true;
      else if (c === '#') flags.sharp = true;
      else if (c === ' ') flags.space = true;
      else if (c === '0') flags.zero = !flags.minus;
      else break;
    }
    const number = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const arg = args[argIndex++];
        return typeof arg === 'bigint' ? Number(arg) : undefined;
      }
      const start = i;
      while (i < format.length && format[i] >= '0' && format[i] <= '9') i++;
      return i > start ? Number(format.slice(start, i)) : undefined;
    };
    flags.width = number();
    if (flags.width !== undefined && flags.width < 0) {
      flags.minus = true;
      flags.width = -flags.width;
    }
    if (format[i] === '.') {
      i++;
      flags.precision = number() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatValue(args[argIndex++], verb, flags);
  }
  if (argIndex < args.length) {
    out += '%!(EXTRA ' + args.slice(argIndex).map((arg) => `${goTypeName(arg)}=${formatValue(arg, 'v', NO_FLAGS)}`).join(', ') + ')';
  }
  return out;
}

function badVerb(value: unknown, verb: string): string {
  if (value === null || value === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(value)}=${formatValue(value, 'v', NO_FLAGS)})`;
}

function pad(text: string, flags: Flags, zeroAllowed = false): string {
  const width = flags.width ?? 0;
  const length = [...text].length;
  if (length >= width) return text;
  if (flags.minus) return text + ' '.repeat(width - length);
  if (flags.zero && zeroAllowed) {
    const sign = /^[+\- ]/.test(text) ? text[0] : '';
    return sign + '0'.repeat(width - length) + text.slice(sign.length);
  }
  return ' '.repeat(width - length) + text;
}

/** Bounds of what is printed in one go: data shared many times over (YAML aliases) or nested without end. */
const MAX_PRINTED_NODES = 1_000_000;
const MAX_PRINTED_DEPTH = 1000;

/** Thrown when the printed text of a value would be longer than the room left for it. */
export class PrintTooLong extends Error {}

/** Throws when printing `value` would visit too many nodes, nest too deeply or print more than `maxLength`. */
function checkPrintable(value: unknown, maxLength: number): void {
  let nodes = 0;
  let length = 0;
  const visit = (item: unknown, depth: number): void => {
    if (++nodes > MAX_PRINTED_NODES) throw new Error(`value too large to print (more than ${MAX_PRINTED_NODES} elements)`);
    length += typeof item === 'string' ? item.length + 1 : 2;
    if (length > maxLength) throw new PrintTooLong(`value too long to print (more than ${maxLength} characters)`);
    if (depth > MAX_PRINTED_DEPTH) throw new Error(`value nests too deeply to print (more than ${MAX_PRINTED_DEPTH} levels)`);
    if (Array.isArray(item)) for (const element of item) visit(element, depth + 1);
    else if (isGoMap(item)) for (const key of Object.keys(item)) visit(item[key], depth + 1);
  };
  visit(value, 0);
}

/**
 * One operand formatted with one verb, as fmt does for the value's type. Throws for data too large to print, and
 * PrintTooLong when its text would be longer than `maxLength`.
 */
export function formatValue(value: unknown, verb: string, flags: Flags, maxLength = Infinity): string {
  if (value !== null && typeof value === 'object' && (Array.isArray(value) || isGoMap(value))) checkPrintable(value, maxLength);
  return formatOperand(value, verb, flags);
}

function formatOperand(value: unknown, verb: string, flags: Flags): string {
  if (value === null || value === undefined) {
    return verb === 'v' ? pad('<nil>', flags) : badVerb(value, verb);
  }
  switch (typeof value) {
    case 'boolean':
      return verb === 'v' || verb === 't' ? pad(String(value), flags) : badVerb(value, verb);
    case 'bigint':
      return formatInteger(value, verb, flags);
    case 'number':
      return formatFloat(value, verb, flags);
    case 'string':
      return formatString(value, verb, flags);
    case 'function':
      return verb === 'v' || verb === 'p' ? pad('0xc000000000', flags) : badVerb(value, verb);
  }
  if (value instanceof Uint8Array) {
    if (verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') return formatString(latin1(value), verb, flags);
    return '[' + [...value].map((b) => formatInteger(BigInt(b), verb, { ...flags, width: undefined })).join(' ') + ']';
  }
  if (value instanceof Date) return verb === 'v' || verb === 's' ? pad(goTimeString(value), flags) : badVerb(value, verb);
  if (Array.isArray(value)) {
    return pad('[' + value.map((item) => formatOperand(item, verb, { ...flags, width: undefined })).join(' ') + ']', flags);
  }
  const object = value as Record<string, unknown>;
  if (typeof object.String === 'function' && goTypeOf(object)?.kind === 'struct' && (verb === 'v' || verb === 's' || verb === 'q')) {
    return formatString(String(object.String()), verb === 'q' ? 'q' : 's', flags);
  }
  const keys = Object.keys(object).sort();
  const inner = { ...flags, width: undefined };
  if (isGoMap(object)) {
    return pad('map[' + keys.map((key) => `${formatOperand(key, verb, inner)}:${formatOperand(object[key], verb, inner)}`).join(' ') + ']', flags);
  }
  return pad('{' + keys.filter((key) => typeof object[key] !== 'function').map((key) => formatOperand(object[key], verb, inner)).join(' ') + '}', flags);
}

function formatString(value: string, verb: string, flags: Flags): string {
  switch (verb) {
    case 'v':
    case 's': {
      const text = flags.precision !== undefined ? [...value].slice(0, flags.precision).join('') : value;
      return pad(text, flags);
    }
    case 'q':
      if (flags.sharp && !value.includes('`')) return pad('`' + value + '`', flags);
      return pad(goQuote(value), flags);
    case 'x':
    case 'X': {
      let hex = toHex(utf8(value));
      if (verb === 'X') hex = hex.toUpperCase();
      return pad(hex, flags);
    }
    default:
      return badVerb(value, verb);
  }
}

function formatInteger(value: bigint, verb: string, flags: Flags): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'v':
    case 'd':
      digits = magnitude.toString(10);
      break;
    case 'x':
      digits = magnitude.toString(16);
      if (flags.sharp) prefix = '0x';
      break;
    case 'X':
      digits = magnitude.toString(16).toUpperCase();
      if (flags.sharp) prefix = '0X';
      break;
    case 'o':
      digits = magnitude.toString(8);
      if (flags.sharp) prefix = '0';
      break;
    case 'O':
      digits = magnitude.toString(8);
      prefix = '0o';
      break;
    case 'b':
      digits = magnitude.toString(2);
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(value)), flags);
    case 'q':
      return pad(`'${goQuote(String.fromCodePoint(Number(value))).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`, flags);
    case 'U':
      return pad('U+' + magnitude.toString(16).toUpperCase().padStart(4, '0'), flags);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
      return formatFloat(Number(value), verb, flags);
    default:
      return badVerb(value, verb);
  }
  if (flags.precision !== undefined) {
    if (flags.precision === 0 && value === 0n) digits = '';
    digits = digits.padStart(flags.precision, '0');
  }
  const sign = negative ? '-' : flags.plus ? '+' : flags.space ? ' ' : '';
  return pad(sign + prefix + digits, flags, flags.precision === undefined);
}

/** The exact decimal expansion of a finite positive double: digits and the position of the decimal point. */
function exactDecimal(value: number): { digits: string; point: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let exponent = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  if (exponent >= 0) {
    const digits = (mantissa << BigInt(exponent)).toString();
    return { digits, point: digits.length };
  }
  const digits = (mantissa * 5n ** BigInt(-exponent)).toString();
  return { digits, point: digits.length + exponent };
}

/** Rounds decimal digits to `keep` of them, halves to even, as Go's strconv does. */
function roundDigits(digits: string, point: number, keep: number): { digits: string; point: number } {
  if (keep <= 0) {
    // Everything is rounded away, unless the value is above half of the unit at `keep`.
    const shift = 1 - keep;
    digits = '0'.repeat(shift) + digits;
    point += shift;
    keep = 1;
  }
  if (digits.length <= keep) return { digits: digits.padEnd(keep, '0'), point };
  const next = digits[keep];
  const rest = digits.slice(keep + 1);
  const up = next > '5' || (next === '5' && (/[1-9]/.test(rest) || Number(digits[keep - 1] ?? '0') % 2 === 1));
  let kept = digits.slice(0, keep);
  if (up) {
    const incremented = (BigInt(kept) + 1n).toString().padStart(keep, '0');
    if (incremented.length > keep) {
      point++;
      kept = incremented.slice(0, keep);
    } else kept = incremented;
  }
  return { digits: kept, point };
}

/** Digits and decimal point of a positive float: the shortest that read back (no count), or rounded to `significant`. */
function decimalDigits(value: number, significant?: number): { digits: string; point: number } {
  if (significant === undefined) {
    const [mantissa, exponent] = value.toExponential().split('e');
    return { digits: mantissa.replace('.', ''), point: Number(exponent) + 1 };
  }
  const exact = exactDecimal(value);
  return roundDigits(exact.digits, exact.point, significant);
}

/** A positive float with `decimals` digits after the point, rounded as Go rounds. */
function fixedDigits(value: number, decimals: number): string {
  if (value === 0) return decimals > 0 ? '0.' + '0'.repeat(decimals) : '0';
  const exact = exactDecimal(value);
  const { digits, point } = roundDigits(exact.digits, exact.point, exact.point + decimals);
  const whole = point > 0 ? digits.slice(0, point).padEnd(point, '0') : '0';
  const fraction = point >= 0 ? digits.slice(point) : '0'.repeat(-point) + digits;
  return decimals > 0 ? `${whole}.${fraction.padEnd(decimals, '0').slice(0, decimals)}` : whole;
}

function exponentForm(digits: string, point: number, upper: boolean): string {
  const exponent = point - 1;
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exponent).toString().padStart(2, '0');
  return `${mantissa}${upper ? 'E' : 'e'}${exponent < 0 ? '-' : '+'}${e}`;
}

function fixedForm(digits: string, point: number): string {
  if (point <= 0) return '0.' + '0'.repeat(-point) + digits;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return digits.slice(0, point) + '.' + digits.slice(point);
}

function formatFloat(value: number, verb: string, flags: Flags): string {
  if (!'vfFeEgG'.includes(verb)) return badVerb(value, verb);
  const negative = value < 0 || Object.is(value, -0);
  const sign = negative ? '-' : flags.plus ? '+' : flags.space ? ' ' : '';
  if (Number.isNaN(value)) return pad(flags.plus ? '+NaN' : 'NaN', flags);
  if (!Number.isFinite(value)) return pad(negative ? '-Inf' : flags.plus ? '+Inf' : 'Inf', flags);
  const magnitude = Math.abs(value);
  let body: string;
  switch (verb) {
    case 'f':
    case 'F':
      body = fixedDigits(magnitude, flags.precision ?? 6);
      break;
    case 'e':
    case 'E': {
      const { digits, point } = decimalDigits(magnitude, (flags.precision ?? 6) + 1);
      body = exponentForm(magnitude === 0 ? '0'.repeat((flags.precision ?? 6) + 1) : digits, magnitude === 0 ? 1 : point, verb === 'E');
      break;
    }
    default: {
      // %v and %g: the shortest digits (or `precision` significant ones), exponent form for large and small ones.
      const precision = flags.precision;
      let { digits, point } = magnitude === 0 ? { digits: '0', point: 1 } : decimalDigits(magnitude, precision === 0 ? 1 : precision);
      // Go: the precision decides between the forms; for the shortest form that precision is 6.
      let eprec = precision === undefined ? 6 : precision === 0 ? 1 : precision;
      if (precision !== undefined) {
        digits = trimTrailing(digits, '0') || '0';
        if (eprec > digits.length && digits.length >= point) eprec = digits.length;
      }
      const exponent = point - 1;
      body = exponent < -4 || exponent >= eprec
        ? exponentForm(digits, point, verb === 'G')
        : fixedForm(digits, point);
    }
  }
  return pad(sign + body, flags, true);
}

/** time.Time's String(): `2006-01-02 15:04:05.999999999 +0000 UTC`. */
export function goTimeString(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const millis = date.getUTCMilliseconds();
  const fraction = millis ? '.' + trimTrailing(String(millis).padStart(3, '0'), '0') : '';
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}${fraction} +0000 UTC`;
}
