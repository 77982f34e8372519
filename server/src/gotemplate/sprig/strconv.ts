// Go's strconv where Sprig and Helm's functions print or parse numbers the way Go does: float
// formatting ('e', 'f', 'g' with Go's exponent form and shortest digits) and the integer and float syntax of
// ParseInt/ParseFloat.

import { trimTrailing } from '../text';

export type FloatFormat = 'e' | 'E' | 'f' | 'g' | 'G';

/** The decimal digits of |x| (no trailing zeros) and the position of the decimal point: 0.d1d2... x 10^dp. */
function decimalDigits(x: number, significant?: number): { digits: string; dp: number } {
  if (x === 0) return { digits: '', dp: 0 };
  const [mantissa, exponent] = Math.abs(x).toExponential(significant === undefined ? undefined : Math.min(significant - 1, 100)).split('e');
  const digits = trimTrailing(mantissa.replace('.', ''), '0');
  return { digits, dp: Number(exponent) + 1 };
}

/** The digits of |x| rounded to `decimals` places after the point (Go's %f with a precision). */
function fixedDigits(x: number, decimals: number): { digits: string; dp: number } {
  const abs = Math.abs(x);
  let text: string;
  if (abs < 1e21 && decimals <= 100) text = abs.toFixed(decimals);
  else text = BigInt(Math.trunc(abs)).toString() + (decimals > 0 ? '.' + '0'.repeat(decimals) : '');
  const [whole, fraction = ''] = text.split('.');
  const all = (whole + fraction).replace(/^0+/, '');
  const dp = whole === '0' ? -(fraction.length - fraction.replace(/^0+/, '').length) : whole.length;
  return { digits: trimTrailing(all, '0'), dp: all === '' ? 0 : dp };
}

function formatE(negative: boolean, digits: string, dp: number, decimals: number, upper: boolean): string {
  const padded = (digits || '0').padEnd(decimals + 1, '0');
  const exponent = digits === '' ? 0 : dp - 1;
  const expText = String(Math.abs(exponent)).padStart(2, '0');
  return `${negative ? '-' : ''}${padded[0]}${decimals > 0 ? '.' + padded.slice(1, decimals + 1) : ''}${upper ? 'E' : 'e'}${exponent < 0 ? '-' : '+'}${expText}`;
}

function formatF(negative: boolean, digits: string, dp: number, decimals: number): string {
  let whole: string;
  let fraction: string;
  if (dp > 0) {
    whole = digits.slice(0, dp).padEnd(dp, '0');
    fraction = digits.slice(dp);
  } else {
    whole = '0';
    fraction = '0'.repeat(-dp) + digits;
  }
  fraction = fraction.padEnd(decimals, '0').slice(0, decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? '.' + fraction : ''}`;
}

/** strconv.FormatFloat(x, fmt, prec, 64); prec -1 is the shortest representation that reads back as x. */
export function formatGoFloat(x: number, fmt: FloatFormat, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const negative = x < 0 || Object.is(x, -0);
  const shortest = prec < 0;
  switch (fmt) {
    case 'e': case 'E': {
      const { digits, dp } = decimalDigits(x, shortest ? undefined : prec + 1);
      return formatE(negative, digits, dp, shortest ? Math.max(digits.length - 1, 0) : prec, fmt === 'E');
    }
    case 'f': {
      if (shortest) {
        const { digits, dp } = decimalDigits(x);
        return formatF(negative, digits, dp, Math.max(digits.length - dp, 0));
      }
      const { digits, dp } = fixedDigits(x, prec);
      return formatF(negative, digits, dp, prec);
    }
    default: {
      let precision = prec === 0 ? 1 : prec;
      const { digits, dp } = decimalDigits(x, shortest ? undefined : precision);
      const nd = digits.length;
      let eprec = precision;
      if (shortest) eprec = 6;
      else if (eprec > nd && nd >= dp) eprec = nd;
      const exponent = (nd === 0 ? 1 : dp) - 1;
      if (exponent < -4 || exponent >= eprec) {
        if (shortest || precision > nd) precision = nd;
        return formatE(negative, digits, dp, Math.max(precision - 1, 0), fmt === 'G');
      }
      if (shortest || precision > dp) precision = nd;
      return formatF(negative, digits, dp, Math.max(precision - dp, 0));
    }
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * strconv.ParseInt(s, base, 64), or ParseUint when `unsigned`: base 0 reads the prefixes 0x, 0o, 0b and a leading
 * 0 (octal) and allows `_`; undefined for a syntax or range error.
 */
export function parseGoInt(text: string, base = 10, unsigned = false): bigint | undefined {
  let body = text;
  let sign = 1n;
  if (!unsigned && (body.startsWith('+') || body.startsWith('-'))) {
    if (body[0] === '-') sign = -1n;
    body = body.slice(1);
  }
  let radix = base;
  if (base === 0) {
    radix = 10;
    const prefix = body.slice(0, 2).toLowerCase();
    if (prefix === '0x') { radix = 16; body = body.slice(2); } else if (prefix === '0o') { radix = 8; body = body.slice(2); } else if (prefix === '0b') { radix = 2; body = body.slice(2); } else if (body.length > 1 && body[0] === '0') { radix = 8; body = body.slice(1); }
    if (body.includes('_')) {
      if (!/^_?[0-9a-zA-Z]+(_[0-9a-zA-Z]+)*$/.test(body) || (body.startsWith('_') && radix === 10)) return undefined;
      body = body.replace(/_/g, '');
    }
  }
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, radix);
  if (body === '' || ![...body.toLowerCase()].every(c => digits.includes(c))) return undefined;
  let value = 0n;
  for (const c of body.toLowerCase()) value = value * BigInt(radix) + BigInt(digits.indexOf(c));
  value *= sign;
  if (unsigned) return value > UINT64_MAX ? undefined : value;
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/** strconv.ParseFloat(s, 64) for decimal and special forms; undefined when Go reports a syntax or range error. */
export function parseGoFloat(text: string): number | undefined {
  const lower = text.toLowerCase();
  const special = /^([+-]?)(inf|infinity|nan)$/.exec(lower);
  if (special) return special[2] === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  if (/^[+-]?0x/i.test(text)) {
    const match = /^([+-]?)0x([0-9a-f_]*)(?:\.([0-9a-f_]*))?p([+-]?[0-9_]+)$/i.exec(text);
    if (!match || (match[2] + (match[3] ?? '')).replace(/_/g, '') === '') return undefined;
    const mantissa = parseInt((match[2] + (match[3] ?? '')).replace(/_/g, '') || '0', 16);
    const value = mantissa * 2 ** (Number(match[4].replace(/_/g, '')) - 4 * (match[3] ?? '').replace(/_/g, '').length);
    return match[1] === '-' ? -value : value;
  }
  if (!/^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
