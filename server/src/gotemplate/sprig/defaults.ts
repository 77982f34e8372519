// Sprig's defaults, JSON and reflection functions (defaults.go, reflect.go) and fail.
import { GoFunction, passThrough } from '../values';
import { deepEqual, isEmpty, kindOf, plain, stringArg, typeOf } from './convert';
import { marshalJson, unmarshalJson } from './json';

function mustToJson(value: unknown): string {
  return marshalJson(value);
}

function swallow(fn: (value: unknown) => string): (value: unknown) => string {
  return value => {
    try {
      return fn(value);
    } catch {
      return '';
    }
  };
}

const mustToPrettyJson = (value: unknown) => marshalJson(value, true, '  ');
const mustToRawJson = (value: unknown) => marshalJson(value, false);

export function defaultFunctions(): Record<string, GoFunction> {
  return {
    default: passThrough((fallback: unknown, ...given: unknown[]) => (given.length === 0 || isEmpty(given[0]) ? fallback : given[0]), 'select'),
    empty: (value) => isEmpty(value),
    coalesce: passThrough((...values: unknown[]) => values.find(value => !isEmpty(value)) ?? null, 'select'),
    all: (...values) => values.every(value => !isEmpty(value)),
    any: (...values) => values.some(value => !isEmpty(value)),
    ternary: passThrough((whenTrue: unknown, whenFalse: unknown, condition: unknown) => {
      const c = plain(condition);
      if (typeof c !== 'boolean') throw new Error(`wrong type for value; expected bool; got ${typeOf(c)}`);
      return c ? whenTrue : whenFalse;
    }, 'select'),
    fromJson: (text) => {
      try {
        return unmarshalJson(stringArg(text));
      } catch {
        return null;
      }
    },
    mustFromJson: (text) => unmarshalJson(stringArg(text)),
    toJson: passThrough(swallow(mustToJson), 'derive'),
    mustToJson: passThrough(mustToJson, 'derive'),
    toPrettyJson: passThrough(swallow(mustToPrettyJson), 'derive'),
    mustToPrettyJson: passThrough(mustToPrettyJson, 'derive'),
    toRawJson: passThrough(swallow(mustToRawJson), 'derive'),
    mustToRawJson: passThrough(mustToRawJson, 'derive'),
    typeOf: (value) => typeOf(value),
    typeIs: (target, value) => stringArg(target) === typeOf(value),
    typeIsLike: (target, value) => {
      const type = typeOf(value);
      return stringArg(target) === type || '*' + stringArg(target) === type;
    },
    kindOf: (value) => kindOf(value),
    kindIs: (target, value) => stringArg(target) === kindOf(value),
    deepEqual: (a, b) => deepEqual(a, b),
    fail: (message) => {
      throw new Error(stringArg(message));
    },
  };
}
