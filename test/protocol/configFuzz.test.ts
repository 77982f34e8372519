import * as assert from 'node:assert/strict';
import { runConfigCases } from '../fuzz/config';
import { Failure } from '../fuzz/fuzzer';

/** Speed is the long run's business (`npm run fuzz -- --config`); here only what must never happen fails the test. */
const isBreakage = (failure: Failure) => failure.kind !== 'slow request' && failure.kind !== 'slow diagnostics';

describe('configuration fuzzing (100 seeded .kube-immutable.yaml files through the reader, the language server and the CLI)', function () {
  this.timeout(600_000);

  it('has no crash, hang, internal error or unclear configuration error', async () => {
    const breakages: string[] = [];
    let cases = 0;
    await runConfigCases({ seed: 20261201, cliEvery: 25, heavy: false }, 0, 100, report => {
      cases++;
      for (const failure of report.failures.filter(isBreakage)) {
        breakages.push(`case ${report.fuzzCase.index} [${report.fuzzCase.recipe}]: ${failure.where} ${failure.kind}: ${failure.message}`);
      }
    });
    assert.equal(cases, 100);
    assert.deepEqual(breakages, []);
  });
});
