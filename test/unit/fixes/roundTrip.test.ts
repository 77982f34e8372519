// Every fix offered on every YAML fixture of the repository: the examples, the YAML files under test/, and the
// YAML literals of the rule and fix tables.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { walkYamlFiles } from '../../../server/src/files';
import { testSources, yamlLiterals } from './fixtures';
import { roundTrip, RoundTripResult } from './roundTrip';

const ROOT = join(__dirname, '..', '..', '..', '..');

const fixtures: { name: string; texts: string[] }[] = [
  ...[...walkYamlFiles(join(ROOT, 'examples')), ...walkYamlFiles(join(ROOT, 'test'))]
    .map(file => ({ name: relative(ROOT, file), texts: [readFileSync(file, 'utf8')] })),
  ...testSources(join(ROOT, 'test')).map(file => ({ name: relative(ROOT, file), texts: yamlLiterals(file) }))
    .filter(fixture => fixture.texts.length),
];

/** Each fixture's round trips, computed once whichever test asks first. */
const results = new Map<string, RoundTripResult[]>();
const resultsOf = (name: string, texts: string[]) => results.get(name) ?? results.set(name, texts.map(text => roundTrip(text))).get(name)!;

describe('every offered fix, applied alone to every fixture', () => {
  for (const { name, texts } of fixtures) {
    it(name, () => {
      const failures = resultsOf(name, texts).flatMap((result, i) => result.failures.map(f => `#${i} ${f.rule}: ${f.title}: ${f.problem}`));
      assert.deepEqual(failures, []);
    });
  }
  it('applies fixes of every rule that has them', () => {
    const applied = fixtures.flatMap(({ name, texts }) => resultsOf(name, texts)).reduce((sum, result) => sum + result.applied, 0);
    assert.ok(applied > 300, `only ${applied} fixes were applied`);
  });
});
