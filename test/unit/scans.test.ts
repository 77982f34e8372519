// Scans that replaced regular expressions which backtracked on workspace text: each gives what the pattern
// gave, on ordinary text and on the long runs that made the pattern slow.
import * as assert from 'node:assert/strict';
import { isHelmTemplate } from '../../server/src/engine';
import { shellCommandSpans } from '../../server/src/engine/chmodCommands';
import { isUnder, withoutTrailingSlashes } from '../../server/src/engine/volumes';
import { nameForPath } from '../../server/src/engine/fixes/volumes';

describe('scans instead of backtracking patterns', () => {
  describe('isHelmTemplate: a line with `{{` and a later `}}`', () => {
    const cases: [string, boolean][] = [
      ['image: {{ .Values.image }}\n', true],
      ['a: b\nname: x-{{.Release.Name}}', true],
      ['{{}}', true],
      ['{{{ x }}}', true],
      ['a: "{{"\nb: "}}"\n', false],
      ['a: "{{"\r"}}"', false],
      ['a: "{{"\u2028"}}"', false],
      ['a: }}{{\n', false],
      ['a: {b: {c: 1}}\n', false],
      ['a: {{b: 1}: 2}\n', false],
      ['{{x}\n}', false],
      [`data: ${'}{{'.repeat(100_000)}\nb: 1\n`, false],
      [`data: ${'}{{'.repeat(100_000)} }}\n`, true],
    ];
    for (const [text, expected] of cases) {
      it(`${expected ? 'finds an action in' : 'finds none in'} ${JSON.stringify(text.slice(0, 40))}`, () => assert.equal(isHelmTemplate(text), expected));
    }
  });

  describe('shellCommandSpans: the commands between &&, ||, ;, | and line breaks', () => {
    const cases: [string, string[]][] = [
      ['chmod -R a-w / && nginx', ['chmod -R a-w / ', ' nginx']],
      ['a || b | c; d\ne', ['a ', ' b ', ' c', ' d', 'e']],
      ['a ||| b', ['a ', '', ' b']],
      ['a & b', ['a & b']],
      ['', ['']],
      [`a${' '.repeat(50_000)};b`, [`a${' '.repeat(50_000)}`, 'b']],
    ];
    for (const [line, commands] of cases) {
      it(`cuts ${JSON.stringify(line.slice(0, 30))}`, () => assert.deepEqual(shellCommandSpans(line).map(([start, end]) => line.slice(start, end)), commands));
    }
  });

  describe('paths and names', () => {
    it('drops the slashes that end a path, only those', () => {
      assert.deepEqual(['/var/cache///', '/', 'a//b', '', `/x${'/'.repeat(50_000)}`].map(withoutTrailingSlashes), ['/var/cache', '', 'a//b', '', '/x']);
    });
    it('tells whether a path is a directory or below it', () => {
      assert.deepEqual([['/var/cache/nginx', '/var/cache/'], ['/var/cache', '/var/cache//'], ['/var/cachet', '/var/cache'], ['/x', '/']].map(([path, dir]) => isUnder(path, dir)), [true, true, false, true]);
    });
    it('names a volume after its path, without dashes at either end, in at most 50 characters', () => {
      assert.deepEqual(['/var/cache/nginx', '/', '/--tmp--/', `/${'a'.repeat(49)}/b`, `/${'-'.repeat(50_000)}x`].map(nameForPath), ['var-cache-nginx', 'root', 'tmp', 'a'.repeat(49), 'x']);
    });
  });
});
