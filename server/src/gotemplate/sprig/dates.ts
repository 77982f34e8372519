// Sprig's date functions (date.go), on the Clock they are given: `now` and the Local zone are the clock's, so
// tests are deterministic. As in Sprig, a date argument may be a time or Unix seconds (an int); anything else
// means now.
import { GoFunction } from '../values';
import { plain, stringArg } from './convert';
import { Clock, formatDuration, formatGoTime, GoDuration, isKnownZone, parseDuration, parseGoTime, zeroTime } from './time';

const YEAR = 365n * 24n * 3600n * 1_000_000_000n;
const MONTH = 30n * 24n * 3600n * 1_000_000_000n;
const DAY = 24n * 3600n * 1_000_000_000n;
const HOUR = 3600n * 1_000_000_000n;
const MINUTE = 60n * 1_000_000_000n;
const SECOND = 1_000_000_000n;

function timeArg(value: unknown, clock: Clock): Date {
  const v = plain(value);
  if (v instanceof Date) return v;
  if (typeof v === 'bigint') return new Date(Number(v) * 1000);
  return clock.now();
}

function timeParam(value: unknown): Date {
  const v = plain(value);
  if (v instanceof Date) return v;
  throw new Error(`wrong type for value; expected time.Time; got ${v === null || v === undefined ? '<nil>' : typeof v}`);
}

/** Sprig's durationRound: the largest whole unit (y, mo, d, h, m, s) in the duration. */
function durationRound(value: unknown, clock: Clock): string {
  const v = plain(value);
  let d = 0n;
  if (typeof v === 'string') {
    try {
      d = parseDuration(v);
    } catch {
      d = 0n;
    }
  } else if (typeof v === 'bigint') d = v;
  else if (v instanceof GoDuration) d = v.nanoseconds;
  else if (v instanceof Date) d = BigInt(clock.now().getTime() - v.getTime()) * 1_000_000n;
  const u = d < 0n ? -d : d;
  for (const [unit, suffix] of [[YEAR, 'y'], [MONTH, 'mo'], [DAY, 'd'], [HOUR, 'h'], [MINUTE, 'm'], [SECOND, 's']] as const) {
    if (u > unit) return (u / unit).toString() + suffix;
  }
  return '0s';
}

export function dateFunctions(clock: Clock): Record<string, GoFunction> {
  const inZone = (layout: unknown, date: unknown, zone: unknown) => {
    const name = stringArg(zone);
    const resolved = name === 'Local' ? clock.localZone : isKnownZone(name) ? name : 'UTC';
    return formatGoTime(timeArg(date, clock), stringArg(layout), resolved);
  };
  const modify = (must: boolean) => (duration: unknown, date: unknown) => {
    const time = timeParam(date);
    try {
      return new Date(time.getTime() + Number(parseDuration(stringArg(duration)) / 1_000_000n));
    } catch (error) {
      if (must) throw error;
      return time;
    }
  };
  const toDate = (must: boolean) => (layout: unknown, text: unknown) => {
    try {
      return parseGoTime(stringArg(layout), stringArg(text), clock.localZone);
    } catch (error) {
      if (must) throw error;
      return zeroTime();
    }
  };
  return {
    ago: (date) => {
      const elapsed = BigInt(clock.now().getTime() - timeArg(date, clock).getTime()) * 1_000_000n;
      const rounded = ((elapsed + (elapsed < 0n ? -SECOND / 2n : SECOND / 2n)) / SECOND) * SECOND;
      return formatDuration(rounded);
    },
    date: (layout, date) => inZone(layout, date, 'Local'),
    date_in_zone: inZone,
    dateInZone: inZone,
    date_modify: modify(false),
    dateModify: modify(false),
    must_date_modify: modify(true),
    mustDateModify: modify(true),
    duration: (seconds) => {
      const v = plain(seconds);
      let n = 0n;
      if (typeof v === 'string') n = /^[+-]?[0-9]+$/.test(v) ? BigInt(v) : 0n;
      else if (typeof v === 'bigint') n = v;
      return formatDuration(BigInt.asIntN(64, n * SECOND));
    },
    durationRound: (value) => durationRound(value, clock),
    htmlDate: (date) => inZone('2006-01-02', date, 'Local'),
    htmlDateInZone: (date, zone) => inZone('2006-01-02', date, zone),
    now: () => clock.now(),
    toDate: toDate(false),
    mustToDate: toDate(true),
    unixEpoch: (date) => String(Math.floor(timeParam(date).getTime() / 1000)),
  };
}
