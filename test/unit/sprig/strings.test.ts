import * as assert from 'node:assert/strict';
import { render, table } from './render';

describe('sprig strings', () => {
  describe('cutting and trimming', () => table([
    ['{{ "hello world" | trunc 5 }}', 'hello'],
    ['{{ "hello world" | trunc -5 }}', 'world'],
    ['{{ "hi" | trunc 63 }}', 'hi'],
    ['{{ "héllo" | trunc 3 }}', 'hé'],
    ['{{ substr 1 3 "hello" }}', 'el'],
    ['{{ substr -1 2 "hello" }}', 'he'],
    ['{{ substr 2 -1 "hello" }}', 'llo'],
    ['{{ abbrev 8 "hello world" }}', 'hello...'],
    ['{{ abbrev 3 "hello world" }}', 'hello world'],
    ['{{ trim "\\t a b \\n" }}', 'a b'],
    ['{{ trimAll "-" "--a-b--" }}', 'a-b'],
    ['{{ trimPrefix "v" "v1.2" }}', '1.2'],
    ['{{ trimSuffix "-" "name-" }}', 'name'],
    ['{{ "release-name-mychart" | trunc 63 | trimSuffix "-" }}', 'release-name-mychart'],
    ['{{ nospace " a b\\tc " }}', 'abc'],
  ]));

  describe('case', () => table([
    ['{{ upper "abc" }}', 'ABC'],
    ['{{ lower "ABC" }}', 'abc'],
    ['{{ title "hello wORLD-x y_z" }}', 'Hello WORLD-X Y_z'],
    ['{{ untitle "Hello World" }}', 'hello world'],
    ['{{ swapcase "Hello World" }}', 'hELLO wORLD'],
    ['{{ initials "Hello big World" }}', 'HbW'],
    ['{{ snakecase "myChartName" }}', 'my_chart_name'],
    ['{{ kebabcase "MyChart Name" }}', 'my-chart-name'],
    ['{{ camelcase "my-chart_name" }}', 'MyChartName'],
  ]));

  describe('quoting and joining', () => table([
    ['{{ quote "a\\"b" }}', '"a\\"b"'],
    ['{{ quote "tab\\there" }}', '"tab\\there"'],
    ['{{ 8080 | quote }}', '"8080"'],
    ['{{ squote "a" 1 }}', "'a' '1'"],
    ['{{ cat "a" 1 true }}', 'a 1 true'],
    ['{{ list "a" "b" | join "," }}', 'a,b'],
    ['{{ list 3 1 2 | sortAlpha | join "" }}', '123'],
    ['{{ "a,b,c" | splitList "," | last }}', 'c'],
    ['{{ $p := split ":" "host:80" }}{{ $p._1 }}', '80'],
    ['{{ $p := splitn ":" 2 "a:b:c" }}{{ $p._1 }}', 'b:c'],
    ['{{ replace "." "-" "1.2.3" }}', '1-2-3'],
    ['{{ repeat 3 "ab" }}', 'ababab'],
    ['{{ plural "one" "many" 2 }}', 'many'],
    ['{{ wrap 10 "a b c d e f g h i j k l" }}', 'a b c d e\nf g h i j\nk l'],
    ['{{ contains "art" "chart" }}', 'true'],
    ['{{ hasPrefix "ch" "chart" }}', 'true'],
  ]));

  describe('indentation', () => table([
    ['{{ indent 2 "a\\nb" }}', '  a\n  b'],
    ['x:{{ nindent 4 "a: 1\\nb: 2" }}', 'x:\n    a: 1\n    b: 2'],
  ]));

  it('the arguments are checked against Sprig\'s parameter types, with Go\'s messages', () => {
    assert.throws(() => render('{{ upper 1 }}'), /executing "test" at <1>: expected string; found 1$/);
    assert.throws(() => render('{{ upper .n }}', { n: 1n }), /executing "test" at <\.n>: wrong type for value; expected string; got int$/);
    assert.throws(() => render('{{ .missing | upper }}'), /executing "test" at <upper>: invalid value; expected string$/);
    assert.throws(() => render('{{ trunc 3 }}'), /wrong number of args for trunc: want 2 got 1$/);
  });

  it('substr beyond the string is Go\'s slice error', () => {
    assert.throws(() => render('{{ substr 5 7 "abc" }}'), /error calling substr: runtime error: slice bounds out of range \[5:3\] with length 3/);
  });

  it('repeat refuses a negative count and an output too large to hold', () => {
    assert.throws(() => render('{{ repeat -1 "a" }}'), /negative Repeat count/);
    assert.throws(() => render('{{ repeat 1000000000 "abc" }}'), /Repeat output length overflow/);
  });

  it('indent refuses a negative count and an output too large to hold', () => {
    assert.throws(() => render('{{ indent -1 "a" }}'), /error calling indent: strings: negative Repeat count/);
    assert.throws(() => render('{{ "a\\nb\\nc" | indent 30000000 }}'), /error calling indent: indented text longer than 67108864 characters/);
  });

  it('random strings come from the random source they are given, with the requested alphabet', () => {
    const text = render('{{ randAlphaNum 12 }} {{ randNumeric 4 }} {{ randAlpha 3 }}');
    assert.match(text, /^[A-Za-z0-9]{12} [0-9]{4} [A-Za-z]{3}$/);
    assert.equal(render('{{ randAlphaNum 12 }} {{ randNumeric 4 }} {{ randAlpha 3 }}'), text);
  });
});
