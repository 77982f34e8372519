import * as assert from 'node:assert/strict';
import { render, table } from './render';

describe('sprig regular expressions', () => {
  describe('Go syntax and semantics', () => table([
    ['{{ regexMatch "^[a-z]+$" "abc" }}', 'true'],
    ['{{ regexMatch "(?i)^ABC$" "abc" }}', 'true'],
    ['{{ regexMatch "[[:digit:]]+" "a1" }}', 'true'],
    ['{{ regexMatch "(" "a" }}', 'false'],
    ['{{ regexFind "[0-9]+" "ab123cd45" }}', '123'],
    ['{{ regexFindAll "[0-9]" "a1b2c3" 2 }}', '[1 2]'],
    ['{{ regexFindAll "a*" "baaac" -1 }}', '[ aaa ]'],
    ['{{ regexReplaceAll "(?P<first>[a-z]+)-(\\\\d+)" "abc-123" "${2}_$first" }}', '123_abc'],
    ['{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}', '---'],
    ['{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}', '-W-xxW-'],
    ['{{ regexReplaceAllLiteral "a(x*)b" "-ab-" "$1" }}', '-$1-'],
    ['{{ regexSplit "," "a,b,,c" -1 }}', '[a b  c]'],
    ['{{ regexSplit "," "a,b,c" 2 }}', '[a b,c]'],
    ['{{ regexSplit "x*" "axbxc" -1 }}', '[a b c]'],
    ['{{ regexQuoteMeta "a.b*c" }}', 'a\\.b\\*c'],
  ]));

  it('a repetition inside a repeated group is refused: JavaScript would take exponential time where RE2 does not', () => {
    assert.throws(() => render('{{ regexMatch "^(a+)+$" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" | not }}'.replace('regexMatch', 'mustRegexMatch')), /nested repetition in `\^\(a\+\)\+\$` is not supported/);
    assert.equal(render('{{ regexMatch "(ab)+c" "ababc" }} {{ regexMatch "(a|b)*c" "abc" }} {{ regexMatch "[(+]+" "+" }}'), 'true true true');
  });

  it('an invalid expression is an error for the functions that compile it', () => {
    assert.throws(() => render('{{ regexFind "(" "a" }}'), /error calling regexFind: error parsing regexp: /);
    assert.throws(() => render('{{ mustRegexMatch "[" "a" }}'), /error calling mustRegexMatch: error parsing regexp: /);
  });
});
