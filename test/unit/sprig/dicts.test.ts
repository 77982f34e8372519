import * as assert from 'node:assert/strict';
import { render, table } from './render';

describe('sprig dicts', () => {
  describe('reading and changing', () => table([
    ['{{ dict "b" 2 "a" 1 }}', 'map[a:1 b:2]'],
    ['{{ dict "odd" }}', 'map[odd:]'],
    ['{{ get (dict "a" 1) "a" }}|{{ get (dict) "a" }}', '1|'],
    ['{{ $d := dict }}{{ $_ := set $d "k" "v" }}{{ $d.k }}', 'v'],
    ['{{ $d := dict "a" 1 "b" 2 }}{{ $_ := unset $d "a" }}{{ $d }}', 'map[b:2]'],
    ['{{ hasKey (dict "a" nil) "a" }}', 'true'],
    ['{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }}', '[1 3]'],
    ['{{ pick (dict "a" 1 "b" 2 "c" 3) "a" "c" }}', 'map[a:1 c:3]'],
    ['{{ omit (dict "a" 1 "b" 2 "c" 3) "a" "c" }}', 'map[b:2]'],
    ['{{ dict "a" 1 "b" 2 | keys | sortAlpha }}', '[a b]'],
    ['{{ dig "a" "b" "none" (dict "a" (dict "b" "found")) }}', 'found'],
    ['{{ dig "a" "x" "none" (dict "a" (dict "b" "found")) }}', 'none'],
  ]));

  describe('merge keeps the target\'s values and fills in what it lacks, deeply', () => table([
    ['{{ merge (dict "a" 1 "n" (dict "x" 1)) (dict "a" 2 "b" 2 "n" (dict "x" 2 "y" 2)) }}', 'map[a:1 b:2 n:map[x:1 y:2]]'],
    ['{{ merge (dict "a" "") (dict "a" "filled") }}', 'map[a:filled]'],
    ['{{ merge (dict "l" (list 1)) (dict "l" (list 2 3)) }}', 'map[l:[1]]'],
  ]));

  describe('mergeOverwrite lets later maps win, also with empty values, and keeps nested maps merged', () => table([
    ['{{ mergeOverwrite (dict "a" 1 "n" (dict "x" 1 "z" 1)) (dict "a" 2 "n" (dict "x" 2)) }}', 'map[a:2 n:map[x:2 z:1]]'],
    ['{{ mergeOverwrite (dict "flag" true) (dict "flag" false) }}', 'map[flag:false]'],
    ['{{ mergeOverwrite (dict "l" (list 1)) (dict "l" (list)) }}', 'map[l:[1]]'],
    ['{{ mergeOverwrite (dict "a" 1) (dict "a" nil) }}', 'map[a:<nil>]'],
  ]));

  it('merge changes and returns its first argument', () => {
    assert.equal(render('{{ $t := dict "a" 1 }}{{ $_ := merge $t (dict "b" 2) }}{{ $t }}'), 'map[a:1 b:2]');
  });

  it('deepCopy copies nested maps, so changing the copy leaves the original', () => {
    assert.equal(render('{{ $o := dict "n" (dict "x" 1) }}{{ $c := deepCopy $o }}{{ $_ := set $c.n "x" 2 }}{{ $o.n.x }} {{ $c.n.x }}'), '1 2');
    assert.throws(() => render('{{ deepCopy nil }}'), /Cannot deep copy nil/);
  });

  it('a map parameter refuses other types', () => {
    assert.throws(() => render('{{ get "x" "a" }}'), /executing "test" at <"x">: expected map\[string\]interface \{\}; found "x"$/);
    assert.throws(() => render('{{ get .s "a" }}', { s: 'x' }), /wrong type for value; expected map\[string\]interface \{\}; got string$/);
  });
});
