import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSeeds, REGRESSIONS } from '../fuzz/corpus';
import { checkCli, checkEngine, Failure, runCases } from '../fuzz/fuzzer';

/** Speed is the long run's business (`npm run fuzz`); here only what must never happen fails the test. */
const isBreakage = (failure: Failure) => failure.kind !== 'slow request' && failure.kind !== 'slow diagnostics';

describe('fuzzing (500 seeded cases through the engine, the language server and the CLI)', function () {
  this.timeout(600_000);

  it('has no crash, hang, internal error or wrong result', async () => {
    const breakages: string[] = [];
    let cases = 0;
    await runCases(loadSeeds(), { seed: 20261126, cliEvery: 50, heavy: false }, 0, 500, report => {
      cases++;
      for (const failure of report.failures.filter(isBreakage)) {
        breakages.push(`case ${report.fuzzCase.index} [${report.fuzzCase.recipe}]: ${failure.where} ${failure.kind}: ${failure.message}`);
      }
    });
    assert.equal(cases, 500);
    assert.deepEqual(breakages, []);
  });

  const saved = existsSync(REGRESSIONS) ? readdirSync(REGRESSIONS).filter(name => name.endsWith('.yaml')) : [];
  for (const name of saved) {
    it(`handles the saved regression ${name}`, () => {
      const bytes = readFileSync(join(REGRESSIONS, name));
      const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-regression-'));
      try {
        const failures = [...checkEngine(bytes.toString('utf8')).failures, ...checkCli(bytes, dir).failures].filter(isBreakage);
        assert.deepEqual(failures, []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
