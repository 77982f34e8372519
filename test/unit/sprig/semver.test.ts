import * as assert from 'node:assert/strict';
import { render, table } from './render';

describe('sprig semver', () => {
  describe('semverCompare as charts use it on Kubernetes versions', () => table([
    ['{{ semverCompare ">=1.19-0" "v1.20.0" }}', 'true'],
    ['{{ semverCompare ">=1.19-0" "v1.19.3-eks-1" }}', 'true'],
    ['{{ semverCompare ">=1.19" "v1.19.3-eks-1" }}', 'false'],
    ['{{ semverCompare "<1.19-0" "v1.18.9" }}', 'true'],
    ['{{ semverCompare "^1.2.0" "1.9.9" }}', 'true'],
    ['{{ semverCompare "^0.2.3" "0.3.0" }}', 'false'],
    ['{{ semverCompare "~1.2.3" "1.2.9" }}', 'true'],
    ['{{ semverCompare "~1.2.3" "1.3.0" }}', 'false'],
    ['{{ semverCompare "1.2.x" "1.2.7" }}', 'true'],
    ['{{ semverCompare "*" "4.5.6" }}', 'true'],
    ['{{ semverCompare ">1.2" "1.2.5" }}', 'false'],
    ['{{ semverCompare ">=1.0, <2.0" "1.5.0" }}', 'true'],
    ['{{ semverCompare ">=1.0 <2.0" "2.0.0" }}', 'false'],
    ['{{ semverCompare "<1.0 || >=3" "3.1.0" }}', 'true'],
    ['{{ semverCompare "1.1 - 1.3" "1.3.0" }}', 'true'],
    ['{{ semverCompare "!=1.2.3" "1.2.4" }}', 'true'],
  ]));

  describe('a version\'s parts and comparisons', () => table([
    ['{{ (semver "v1.2.3-rc.1+build").Minor }}', '2'],
    ['{{ (semver "1.2").Patch }}', '0'],
    ['{{ semver "v1.2.3-rc.1+build" }}', '1.2.3-rc.1+build'],
    ['{{ (semver "1.2.3-alpha").Compare (semver "1.2.3") }}', '-1'],
    ['{{ (semver "1.2.3-alpha.10").Compare (semver "1.2.3-alpha.9") }}', '1'],
  ]));

  it('a long malformed constraint is refused (read one constraint at a time: no exponential backtracking)', () => {
    assert.throws(() => render(`{{ semverCompare "${'1'.repeat(40)}!" "1.0.0" }}`), /improper constraint: 1{40}!/);
  });

  it('a malformed version or constraint is an error with the library\'s words', () => {
    assert.throws(() => render('{{ semver "1.2.3.4" }}'), /error calling semver: Invalid Semantic Version/);
    assert.throws(() => render('{{ semverCompare "> =x" "1.0.0" }}'), /error calling semverCompare: improper constraint: > =x/);
  });
});
