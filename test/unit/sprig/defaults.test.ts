import * as assert from 'node:assert/strict';
import { render, table } from './render';

describe('sprig defaults, JSON and reflection', () => {
  describe('defaults', () => table([
    ['{{ .missing | default "x" }}', 'x'],
    ['{{ 0 | default 5 }}|{{ false | default true }}|{{ list | default "empty" }}', '5|true|empty'],
    ['{{ coalesce .missing "" "first" "second" }}', 'first'],
    ['{{ ternary "yes" "no" (eq 1 1) }}', 'yes'],
    ['{{ empty (dict) }}|{{ empty (dict "a" 1) }}|{{ empty 0.0 }}', 'true|false|true'],
    ['{{ all 1 "a" }}|{{ any 0 "" }}', 'true|false'],
  ]));

  describe('JSON as Go writes it', () => table([
    ['{{ dict "b" 1 "a" (list "<x>" 1.5 true nil) | toJson }}', '{"a":["\\u003cx\\u003e",1.5,true,null],"b":1}'],
    ['{{ dict "a" "<x>" | toRawJson }}', '{"a":"<x>"}'],
    ['{{ dict "a" (list 1) | toPrettyJson }}', '{\n  "a": [\n    1\n  ]\n}'],
    ['{{ (fromJson "{\\"a\\": 1e21}").a }}', '1e+21'],
    ['{{ fromJson "[1," }}', '<no value>'],
  ]));

  describe('reflection', () => table([
    ['{{ typeOf 1 }} {{ typeOf 1.5 }} {{ typeOf "s" }} {{ typeOf (list) }} {{ typeOf (dict) }} {{ typeOf nil }}', 'int float64 string []interface {} map[string]interface {} <nil>'],
    ['{{ kindOf (list) }} {{ kindOf (dict) }} {{ kindIs "string" "x" }}', 'slice map true'],
    ['{{ deepEqual (list 1 (dict "a" 2)) (list 1 (dict "a" 2)) }} {{ deepEqual 1 1.0 }}', 'true false'],
  ]));

  it('mustFromJson gives Go\'s syntax error', () => {
    assert.throws(() => render('{{ mustFromJson "{x" }}'), /error calling mustFromJson: invalid character 'x' looking for beginning of object key string/);
    assert.throws(() => render('{{ mustFromJson "[1" }}'), /unexpected end of JSON input/);
  });

  it('fail stops with its message', () => {
    assert.throws(() => render('{{ fail "stop here" }}'), /error calling fail: stop here/);
  });
});
