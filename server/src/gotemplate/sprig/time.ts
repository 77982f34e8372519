// Go's time package as templates use it: time.Duration (parsed, printed as `1h2m3.5s`), layouts written with the
// reference time `Mon Jan 2 15:04:05 MST 2006` for formatting and parsing, and time zones by IANA name.
// A time.Time is a JavaScript Date: an instant. The zone it is shown in is an argument (Local, or a named zone),
// and what "now" and "Local" are comes from a Clock, so templates that print times can be tested.
import { defineGoType } from '../values';
import { trimTrailing } from '../text';

/** Where time functions get the current time and the local zone; tests pass a fixed one. */
export interface Clock {
  now(): Date;
  /** An IANA zone name (`UTC`, `Europe/Paris`): Go's time.Local. */
  localZone: string;
}

export const systemClock: Clock = {
  now: () => new Date(),
  localZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
};

// ---- Durations ----

const NANOSECOND = 1n;
const MICROSECOND = 1000n;
const MILLISECOND = 1000n * MICROSECOND;
const SECOND = 1000n * MILLISECOND;
const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;

/** A time.Duration: int64 nanoseconds that print as Go prints them. */
export class GoDuration {
  constructor(readonly nanoseconds: bigint) {
    defineGoType(this, 'time.Duration', 'struct');
  }

  String(): string {
    return formatDuration(this.nanoseconds);
  }

  Seconds(): number {
    return Number(this.nanoseconds) / 1e9;
  }
}

function fraction(value: bigint, precision: number): [string, bigint] {
  let text = '';
  let printed = false;
  let v = value;
  for (let i = 0; i < precision; i++) {
    const digit = v % 10n;
    printed = printed || digit !== 0n;
    if (printed) text = digit.toString() + text;
    v /= 10n;
  }
  return [printed ? '.' + text : '', v];
}

/** Duration.String: `72h3m0.5s`, `1.5ms`, `0s`. */
export function formatDuration(nanoseconds: bigint): string {
  const negative = nanoseconds < 0n;
  let u = negative ? -nanoseconds : nanoseconds;
  let text: string;
  if (u < SECOND) {
    if (u === 0n) return '0s';
    const [unit, precision] = u < MICROSECOND ? ['ns', 0] : u < MILLISECOND ? ['µs', 3] : ['ms', 6];
    const [frac, whole] = fraction(u, precision);
    text = whole.toString() + frac + unit;
  } else {
    const [frac, seconds] = fraction(u, 9);
    u = seconds;
    text = (u % 60n).toString() + frac + 's';
    u /= 60n;
    if (u > 0n) {
      text = (u % 60n).toString() + 'm' + text;
      u /= 60n;
      if (u > 0n) text = u.toString() + 'h' + text;
    }
  }
  return (negative ? '-' : '') + text;
}

const units: Record<string, bigint> = { ns: NANOSECOND, us: MICROSECOND, 'µs': MICROSECOND, 'μs': MICROSECOND, ms: MILLISECOND, s: SECOND, m: MINUTE, h: HOUR };

/** time.ParseDuration: `1h30m`, `-1.5s`, `300ms`; throws Go's error. */
export function parseDuration(text: string): bigint {
  const quoted = '"' + text + '"';
  let rest = text;
  let negative = false;
  if (rest[0] === '-' || rest[0] === '+') {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw new Error('time: invalid duration ' + quoted);
  let total = 0n;
  while (rest !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(rest)!;
    if (number[0] === '' || number[0] === '.') throw new Error('time: invalid duration ' + quoted);
    rest = rest.slice(number[0].length);
    const unitMatch = /^[^0-9.]+/.exec(rest);
    if (!unitMatch) throw new Error('time: missing unit in duration ' + quoted);
    const unit = units[unitMatch[0]];
    if (unit === undefined) throw new Error(`time: unknown unit "${unitMatch[0]}" in duration ${quoted}`);
    rest = rest.slice(unitMatch[0].length);
    let value = BigInt(number[1] || '0') * unit;
    const frac = number[2] ?? '';
    if (frac) value += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += value;
    if (total > 2n ** 63n - 1n) throw new Error('time: invalid duration ' + quoted);
  }
  return negative ? -total : total;
}

// ---- Zones ----

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** Whether Go's time.LoadLocation knows the zone (UTC, Local and IANA names). */
export function isKnownZone(zone: string): boolean {
  if (zone === '' || zone === 'UTC' || zone === 'Local') return true;
  try {
    zoneFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = zoneFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', timeZoneName: 'short' });
    zoneFormatters.set(zone, formatter);
  }
  return formatter;
}

/** The offset from UTC in seconds of `zone` at `instant`, and the zone's abbreviation then. */
function zoneOffset(instant: Date, zone: string): { offset: number; abbreviation: string } {
  if (zone === 'UTC' || zone === '') return { offset: 0, abbreviation: 'UTC' };
  const parts = Object.fromEntries(zoneFormatter(zone).formatToParts(instant).map(part => [part.type, part.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const offset = Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 1000);
  const name = parts.timeZoneName ?? '';
  const abbreviation = /^GMT[+-]/.test(name) || name === '' ? formatOffset(offset, '-07') : name === 'GMT' && offset === 0 ? (zone === 'Etc/UTC' ? 'UTC' : 'GMT') : name;
  return { offset, abbreviation };
}

function formatOffset(offset: number, layout: '-07' | '-0700' | '-07:00' | '-07:00:00' | '-070000'): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const h = String(Math.floor(abs / 3600)).padStart(2, '0');
  const m = String(Math.floor(abs / 60) % 60).padStart(2, '0');
  const s = String(abs % 60).padStart(2, '0');
  switch (layout) {
    case '-07': return sign + h;
    case '-0700': return sign + h + m;
    case '-07:00': return `${sign}${h}:${m}`;
    case '-07:00:00': return `${sign}${h}:${m}:${s}`;
    default: return sign + h + m + s;
  }
}

// ---- Layouts ----

const longDays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const longMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

// Longest first, as Go's nextStdChunk tries them.
const layoutTokens = /January|Jan|Monday|Mon|MST|2006|01|02|_2|__2|002|06|15|1|2|03|3|04|4|05|5|PM|pm|Z070000|Z07:00:00|Z0700|Z07:00|Z07|-070000|-07:00:00|-0700|-07:00|-07|[.,](?:0+|9+)(?![0-9])/g;

interface WallTime {
  year: number; month: number; day: number; weekday: number; yearDay: number;
  hour: number; minute: number; second: number; nanosecond: number;
  offset: number; abbreviation: string;
}

function wallTime(instant: Date, zone: string, nanosecond?: number): WallTime {
  const { offset, abbreviation } = zoneOffset(instant, zone);
  const shifted = new Date(instant.getTime() + offset * 1000);
  const startOfYear = Date.UTC(shifted.getUTCFullYear(), 0, 1);
  return {
    year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), weekday: shifted.getUTCDay(),
    yearDay: Math.floor((shifted.getTime() - startOfYear) / 86400000) + 1,
    hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds(),
    nanosecond: nanosecond ?? ((instant.getTime() % 1000) + 1000) % 1000 * 1e6, offset, abbreviation,
  };
}

const pad = (n: number, width: number, char = '0') => String(n).padStart(width, char);

/** time.Time.Format: `layout` written with the reference time, shown in `zone`. */
export function formatGoTime(instant: Date, layout: string, zone: string): string {
  const t = wallTime(instant, zone);
  return layout.replace(layoutTokens, token => {
    switch (token) {
      case 'January': return longMonths[t.month - 1];
      case 'Jan': return longMonths[t.month - 1].slice(0, 3);
      case 'Monday': return longDays[t.weekday];
      case 'Mon': return longDays[t.weekday].slice(0, 3);
      case 'MST': return t.abbreviation;
      case '2006': return pad(t.year, 4);
      case '06': return pad(t.year % 100, 2);
      case '01': return pad(t.month, 2);
      case '1': return String(t.month);
      case '02': return pad(t.day, 2);
      case '_2': return pad(t.day, 2, ' ');
      case '2': return String(t.day);
      case '__2': return pad(t.yearDay, 3, ' ');
      case '002': return pad(t.yearDay, 3);
      case '15': return pad(t.hour, 2);
      case '03': return pad(t.hour % 12 || 12, 2);
      case '3': return String(t.hour % 12 || 12);
      case '04': return pad(t.minute, 2);
      case '4': return String(t.minute);
      case '05': return pad(t.second, 2);
      case '5': return String(t.second);
      case 'PM': return t.hour >= 12 ? 'PM' : 'AM';
      case 'pm': return t.hour >= 12 ? 'pm' : 'am';
      case 'Z070000': case 'Z07:00:00': case 'Z0700': case 'Z07:00': case 'Z07':
        return t.offset === 0 ? 'Z' : formatOffset(t.offset, token.replace('Z', '-') as '-07');
      case '-070000': case '-07:00:00': case '-0700': case '-07:00': case '-07':
        return formatOffset(t.offset, token as '-07');
      default: {
        // Fractional seconds: `.000` always that many digits, `.999` without trailing zeros.
        const digits = pad(t.nanosecond, 9).slice(0, token.length - 1);
        if (token[1] === '0') return token[0] + digits;
        const trimmed = trimTrailing(digits, '0');
        return trimmed ? token[0] + trimmed : '';
      }
    }
  });
}

/** time.RFC3339Nano in UTC, as encoding/json writes a time. */
export function formatRfc3339Nano(instant: Date): string {
  return formatGoTime(instant, '2006-01-02T15:04:05.999999999Z07:00', 'UTC');
}

/** time.ParseInLocation for the layout elements charts use; throws Go's `parsing time` error. */
export function parseGoTime(layout: string, value: string, zone: string): Date {
  const fail = (): never => {
    throw new Error(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(value)} as ${JSON.stringify(layout)}`);
  };
  const fields = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0, pm: undefined as boolean | undefined, offset: undefined as number | undefined };
  let rest = value;
  let last = 0;
  const take = (pattern: RegExp): string => {
    const match = pattern.exec(rest);
    if (!match) fail();
    rest = rest.slice(match![0].length);
    return match![0];
  };
  /** A `.` or `,` and exactly `digits` digits. */
  const takeFixedFraction = (digits: number): string => {
    const text = rest.slice(0, digits + 1);
    if (text.length !== digits + 1 || !/^[.,]\d+$/.test(text)) fail();
    rest = rest.slice(text.length);
    return text;
  };
  const literal = (text: string) => {
    if (!rest.startsWith(text)) fail();
    rest = rest.slice(text.length);
  };
  for (const match of layout.matchAll(layoutTokens)) {
    literal(layout.slice(last, match.index));
    last = match.index! + match[0].length;
    const token = match[0];
    switch (token) {
      case 'January': case 'Jan': {
        const name = take(token === 'January' ? /^[A-Za-z]+/ : /^[A-Za-z]{3}/).toLowerCase();
        const index = longMonths.findIndex(m => (token === 'Jan' ? m.slice(0, 3) : m).toLowerCase() === name);
        if (index < 0) fail();
        fields.month = index + 1;
        break;
      }
      case 'Monday': case 'Mon': take(/^[A-Za-z]+/); break;
      case 'MST': take(/^[A-Z]{3,5}|^[+-]\d+/); break;
      case '2006': fields.year = Number(take(/^\d{4}/)); break;
      case '06': { const y = Number(take(/^\d{2}/)); fields.year = y >= 69 ? 1900 + y : 2000 + y; break; }
      case '01': fields.month = Number(take(/^\d{2}/)); break;
      case '1': fields.month = Number(take(/^\d{1,2}/)); break;
      case '02': fields.day = Number(take(/^\d{2}/)); break;
      case '_2': fields.day = Number(take(/^ ?\d{1,2}/).trim()); break;
      case '2': fields.day = Number(take(/^\d{1,2}/)); break;
      case '15': fields.hour = Number(take(/^\d{1,2}/)); break;
      case '03': case '3': fields.hour = Number(take(token === '03' ? /^\d{2}/ : /^\d{1,2}/)); break;
      case '04': case '4': fields.minute = Number(take(token === '04' ? /^\d{2}/ : /^\d{1,2}/)); break;
      case '05': case '5': {
        fields.second = Number(take(token === '05' ? /^\d{2}/ : /^\d{1,2}/));
        // Go accepts a fractional second after the seconds even when the layout has none.
        if (/^[.,]\d/.test(rest) && !layout.slice(last).match(/^[.,][09]/)) fields.millisecond = Math.floor(Number('0.' + take(/^[.,]\d+/).slice(1)) * 1000);
        break;
      }
      case 'PM': case 'pm': fields.pm = take(/^[AaPp][Mm]/).toLowerCase() === 'pm'; break;
      case '__2': case '002': take(/^ *\d{1,3}/); break;
      default:
        if (/^[Z-]07/.test(token)) {
          if (token[0] === 'Z' && rest[0] === 'Z') { rest = rest.slice(1); fields.offset = 0; break; }
          const offset = take(/^[+-]\d{2}(:?\d{2}(:?\d{2})?)?/);
          const digits = offset.replace(/[^0-9]/g, '');
          const seconds = Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60 + Number(digits.slice(4, 6) || 0);
          fields.offset = offset[0] === '-' ? -seconds : seconds;
        } else {
          const fractionText = token[1] === '9' ? take(/^([.,]\d+)?/) : takeFixedFraction(token.length - 1);
          if (fractionText) fields.millisecond = Math.floor(Number('0.' + fractionText.slice(1)) * 1000);
        }
    }
  }
  literal(layout.slice(last));
  if (rest !== '') throw new Error(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(rest)}`);
  if (fields.pm !== undefined) fields.hour = (fields.hour % 12) + (fields.pm ? 12 : 0);
  if (fields.month < 1 || fields.month > 12) throw new Error(`parsing time ${JSON.stringify(value)}: month out of range`);
  if (fields.day < 1 || fields.day > 31 || fields.hour > 23 || fields.minute > 59 || fields.second > 59) throw new Error(`parsing time ${JSON.stringify(value)}: day out of range`);
  const wall = new Date(0);
  wall.setUTCFullYear(fields.year, fields.month - 1, fields.day);
  wall.setUTCHours(fields.hour, fields.minute, fields.second, fields.millisecond);
  if (fields.offset !== undefined) return new Date(wall.getTime() - fields.offset * 1000);
  // A wall time in a zone: find the instant whose local time it is (twice, to settle across an offset change).
  let instant = wall.getTime() - zoneOffset(wall, zone).offset * 1000;
  instant = wall.getTime() - zoneOffset(new Date(instant), zone).offset * 1000;
  return new Date(instant);
}

/** Go's zero time.Time, 0001-01-01 00:00:00 UTC. */
export function zeroTime(): Date {
  const zero = new Date(0);
  zero.setUTCFullYear(1, 0, 1);
  return zero;
}
