import * as assert from 'node:assert/strict';
import { render, table } from './render';

describe('sprig lists', () => {
  describe('building and reading', () => table([
    ['{{ list 1 "a" nil }}', '[1 a <nil>]'],
    ['{{ append (list 1 2) 3 }}', '[1 2 3]'],
    ['{{ prepend (list 1 2) 0 }}', '[0 1 2]'],
    ['{{ concat (list 1) (list 2 3) }}', '[1 2 3]'],
    ['{{ list 1 2 3 | first }}', '1'],
    ['{{ list 1 2 3 | last }}', '3'],
    ['{{ list 1 2 3 | rest }}', '[2 3]'],
    ['{{ list 1 2 3 | initial }}', '[1 2]'],
    ['{{ list 1 2 3 | reverse }}', '[3 2 1]'],
    ['{{ list 1 2 2 1 | uniq }}', '[1 2]'],
    ['{{ list 1 "1" 1.0 | uniq }}', '[1 1 1]'],
    ['{{ without (list 1 2 3 2) 2 }}', '[1 3]'],
    ['{{ has 2 (list 1 2) }}', 'true'],
    ['{{ has "2" (list 1 2) }}', 'false'],
    ['{{ list 0 "" nil false "x" (list) (dict) | compact }}', '[x]'],
    ['{{ slice (list 1 2 3 4) 1 3 }}', '[2 3]'],
    ['{{ chunk 2 (list 1 2 3 4 5) }}', '[[1 2] [3 4] [5]]'],
    ['{{ until 3 }}', '[0 1 2]'],
    ['{{ untilStep 10 0 -4 }}', '[10 6 2]'],
    ['{{ seq 2 5 }}', '2 3 4 5'],
  ]));

  it('a list function given a map names the type it got, as Sprig does', () => {
    assert.throws(() => render('{{ first (dict) }}'), /error calling first: Cannot find first on type map/);
    assert.throws(() => render('{{ append "x" 1 }}'), /error calling append: Cannot push on type string/);
  });

  it('a sequence too long to build is refused instead of exhausting memory', () => {
    assert.throws(() => render('{{ until 100000000 | len }}'), /error calling until: sequence longer than 1000000 items/);
  });

  it('chunk refuses a size of zero as Go does (division by zero)', () => {
    assert.throws(() => render('{{ chunk 0 (list 1) }}'), /integer divide by zero/);
  });
});
