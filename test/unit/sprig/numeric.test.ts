import * as assert from 'node:assert/strict';
import { render, table } from './render';

describe('sprig numbers', () => {
  describe('integers through cast (strings read, floats truncated)', () => table([
    ['{{ add 1 "2" 3.9 }}', '6'],
    ['{{ sub 10 3 }}', '7'],
    ['{{ mul 2 "0x10" }}', '32'],
    ['{{ div 7 2 }}', '3'],
    ['{{ mod -7 3 }}', '-1'],
    ['{{ add1 "41" }}', '42'],
    ['{{ max 1 "5" 3 }}|{{ min 4 2 8 }}', '5|2'],
    ['{{ int "12.0" }}|{{ int64 "abc" }}|{{ int 3.99 }}', '12|0|3'],
    ['{{ atoi "42" }}|{{ atoi "4.2" }}', '42|0'],
    ['{{ toDecimal "0777" }}', '511'],
    ['{{ int64 9223372036854775807 | add1 }}', '-9223372036854775808'],
  ]));

  describe('floats through decimal arithmetic', () => table([
    ['{{ addf 0.1 0.2 }}', '0.3'],
    ['{{ subf 1 0.9 }}', '0.1'],
    ['{{ mulf 1.1 3 }}', '3.3'],
    ['{{ divf 1 3 }}', '0.3333333333333333'],
    ['{{ float64 "1.5" }}|{{ float64 2 }}', '1.5|2'],
    ['{{ maxf 1 2.5 }}|{{ minf 1 2.5 }}', '2.5|1'],
    ['{{ ceil 1.2 }}|{{ floor 1.8 }}|{{ round 1.2345 2 }}|{{ round 1.5 0 }}', '2|1|1.23|2'],
    ['{{ 1000000.0 | float64 }}', '1e+06'],
  ]));

  it('integer division by zero is an error, as in Go', () => {
    assert.throws(() => render('{{ div 1 0 }}'), /error calling div: runtime error: integer divide by zero/);
    assert.throws(() => render('{{ divf 1 0 }}'), /error calling divf: decimal division by 0/);
  });

  it('randInt draws from the random source, within [min, max)', () => {
    const values = render('{{ range until 50 }}{{ randInt 3 6 }}{{ end }}');
    assert.match(values, /^[345]{50}$/);
  });
});
