// Every fix offered on every YAML fixture of the repository: the examples, the YAML files under test/, and the
// YAML literals of the rule and fix tables.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { walkYamlFiles } from '../../../server/src/files';
import { yaml } from '../../helpers';
import { roundTrip } from './roundTrip';

const ROOT = join(__dirname, '..', '..', '..', '..');
const YAML_LITERAL = /\byaml`([^`$]*)`/g;

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? testSources(path) : entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The yaml`...` literals of a test file that interpolate nothing, dedented as the tests see them. */
function literals(source: string): string[] {
  return [...source.matchAll(YAML_LITERAL)].map(match => yaml(Object.assign([match[1]], { raw: [match[1]] })));
}

const fixtures: { name: string; texts: string[] }[] = [
  ...[...walkYamlFiles(join(ROOT, 'examples')), ...walkYamlFiles(join(ROOT, 'test'))]
    .map(file => ({ name: relative(ROOT, file), texts: [readFileSync(file, 'utf8')] })),
  ...testSources(join(ROOT, 'test')).map(file => ({ name: relative(ROOT, file), texts: literals(readFileSync(file, 'utf8')) }))
    .filter(fixture => fixture.texts.length),
];

describe('every offered fix, applied alone to every fixture', () => {
  let total = 0;
  for (const { name, texts } of fixtures) {
    it(name, () => {
      const failures = texts.flatMap((text, i) => {
        const result = roundTrip(text);
        total += result.applied;
        return result.failures.map(f => `#${i} ${f.rule}: ${f.title}: ${f.problem}`);
      });
      assert.deepEqual(failures, []);
    });
  }
  it('applied fixes', () => assert.ok(total > 100, `only ${total} fixes were applied`));
});
