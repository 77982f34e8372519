// Sprig's arithmetic (numeric.go): integer functions on int64 through cast (strings parsed, errors read as 0),
// float functions through shopspring/decimal (so 3 + 1.5 + 2.2 is 6.7, not 6.700000000000001), sequences.
import { GoFunction } from '../values';
import { castFloat64, castInt64, intArg, strval } from './convert';
import { Random, randomBelow } from './random';
import { parseGoInt } from './strconv';

/** Longest list until/untilStep/seq build: a bound against templates that would exhaust memory. */
const MAX_SEQUENCE_LENGTH = 1_000_000;

function untilStep(start: number, stop: number, step: number): bigint[] {
  const out: bigint[] = [];
  const push = (i: number) => {
    if (out.length >= MAX_SEQUENCE_LENGTH) throw new Error(`sequence longer than ${MAX_SEQUENCE_LENGTH} items`);
    out.push(BigInt(i));
  };
  if (stop < start) {
    if (step >= 0) return out;
    for (let i = start; i > stop; i += step) push(i);
    return out;
  }
  if (step <= 0) return out;
  for (let i = start; i < stop; i += step) push(i);
  return out;
}

function seq(...params: number[]): string {
  let list: bigint[];
  switch (params.length) {
    case 1: {
      const end = params[0];
      const increment = end < 1 ? -1 : 1;
      list = untilStep(1, end + increment, increment);
      break;
    }
    case 2: {
      const [start, end] = params;
      const step = end < start ? -1 : 1;
      list = untilStep(start, end + step, step);
      break;
    }
    case 3: {
      const [start, step, end] = params;
      let increment = 1;
      if (end < start) {
        increment = -1;
        if (step > 0) return '';
      }
      list = untilStep(start, end + increment, step);
      break;
    }
    default:
      return '';
  }
  return list.join(' ');
}

// ---- shopspring/decimal, as far as Sprig uses it ----

/** coefficient x 10^exponent, exactly. */
interface Decimal {
  coefficient: bigint;
  exponent: number;
}

/** decimal.NewFromFloat: the shortest decimal that reads back as the float. */
function decimalFromFloat(value: number): Decimal {
  if (!Number.isFinite(value)) throw new Error(`Cannot create a Decimal from ${value}`);
  const [mantissa, exp] = value.toExponential().split('e');
  const digits = mantissa.replace('.', '').replace('-', '');
  const fractionDigits = digits.length - 1;
  return { coefficient: BigInt((value < 0 ? '-' : '') + digits), exponent: Number(exp) - fractionDigits };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exponent = Math.min(a.exponent, b.exponent);
  return [a.coefficient * 10n ** BigInt(a.exponent - exponent), b.coefficient * 10n ** BigInt(b.exponent - exponent), exponent];
}

const DIVISION_PRECISION = 16;

function divide(a: Decimal, b: Decimal): Decimal {
  if (b.coefficient === 0n) throw new Error('decimal division by 0');
  // Scale so that the quotient has DIVISION_PRECISION + 1 places, then round half away from zero.
  const shift = DIVISION_PRECISION + 1 + a.exponent - b.exponent;
  let numerator = a.coefficient;
  let denominator = b.coefficient;
  if (shift >= 0) numerator *= 10n ** BigInt(shift);
  else denominator *= 10n ** BigInt(-shift);
  const quotient = numerator / denominator;
  const negative = quotient < 0n;
  const magnitude = negative ? -quotient : quotient;
  const rounded = (magnitude + 5n) / 10n;
  return { coefficient: negative ? -rounded : rounded, exponent: -DIVISION_PRECISION };
}

function decimalToFloat(d: Decimal): number {
  return Number(`${d.coefficient}e${d.exponent}`);
}

type DecimalOperation = (a: Decimal, b: Decimal) => Decimal;

const decimalAdd: DecimalOperation = (a, b) => {
  const [x, y, exponent] = align(a, b);
  return { coefficient: x + y, exponent };
};
const decimalSub: DecimalOperation = (a, b) => {
  const [x, y, exponent] = align(a, b);
  return { coefficient: x - y, exponent };
};
const decimalMul: DecimalOperation = (a, b) => ({ coefficient: a.coefficient * b.coefficient, exponent: a.exponent + b.exponent });

function decimalOperation(first: unknown, rest: unknown[], operation: DecimalOperation): number {
  let result = decimalFromFloat(castFloat64(first));
  for (const value of rest) result = operation(result, decimalFromFloat(castFloat64(value)));
  return decimalToFloat(result);
}

function integerDivide(a: bigint, b: bigint, op: 'div' | 'mod'): bigint {
  if (b === 0n) throw new Error('runtime error: integer divide by zero');
  return BigInt.asIntN(64, op === 'div' ? a / b : a % b);
}

export function numericFunctions(random: Random): Record<string, GoFunction> {
  return {
    atoi: (text) => {
      const s = strval(text);
      return /^[+-]?[0-9]+$/.test(s) ? parseGoInt(s) ?? 0n : 0n;
    },
    int64: (value) => castInt64(value),
    int: (value) => castInt64(value),
    float64: (value) => castFloat64(value),
    toDecimal: (value) => parseGoInt(strval(value), 8) ?? 0n,
    seq: (...params) => seq(...params.map(intArg)),
    until: (count) => {
      const n = intArg(count);
      return untilStep(0, n, n < 0 ? -1 : 1);
    },
    untilStep: (start, stop, step) => untilStep(intArg(start), intArg(stop), intArg(step)),
    add1: (value) => BigInt.asIntN(64, castInt64(value) + 1n),
    add: (...values) => BigInt.asIntN(64, values.reduce<bigint>((sum, v) => sum + castInt64(v), 0n)),
    sub: (a, b) => BigInt.asIntN(64, castInt64(a) - castInt64(b)),
    div: (a, b) => integerDivide(castInt64(a), castInt64(b), 'div'),
    mod: (a, b) => integerDivide(castInt64(a), castInt64(b), 'mod'),
    mul: (a, ...values) => BigInt.asIntN(64, values.reduce<bigint>((product, v) => product * castInt64(v), castInt64(a))),
    randInt: (min, max) => {
      const low = intArg(min);
      return BigInt(randomBelow(random, intArg(max) - low) + low);
    },
    add1f: (value) => decimalOperation(value, [1], decimalAdd),
    addf: (...values) => decimalOperation(0, values, decimalAdd),
    subf: (a, ...values) => decimalOperation(a, values, decimalSub),
    divf: (a, ...values) => decimalOperation(a, values, divide),
    mulf: (a, ...values) => decimalOperation(a, values, decimalMul),
    biggest: (a, ...values) => values.reduce<bigint>((max, v) => { const x = castInt64(v); return x > max ? x : max; }, castInt64(a)),
    max: (a, ...values) => values.reduce<bigint>((max, v) => { const x = castInt64(v); return x > max ? x : max; }, castInt64(a)),
    min: (a, ...values) => values.reduce<bigint>((min, v) => { const x = castInt64(v); return x < min ? x : min; }, castInt64(a)),
    maxf: (a, ...values) => values.reduce<number>((max, v) => Math.max(max, castFloat64(v)), castFloat64(a)),
    minf: (a, ...values) => values.reduce<number>((min, v) => Math.min(min, castFloat64(v)), castFloat64(a)),
    ceil: (value) => Math.ceil(castFloat64(value)),
    floor: (value) => Math.floor(castFloat64(value)),
    round: (value, places, ...roundOn) => {
      const threshold = roundOn.length > 0 ? castFloat64(roundOn[0]) : 0.5;
      const pow = 10 ** intArg(places);
      const digit = pow * castFloat64(value);
      const fraction = digit - Math.trunc(digit);
      return (fraction >= threshold ? Math.ceil(digit) : Math.floor(digit)) / pow;
    },
  };
}
