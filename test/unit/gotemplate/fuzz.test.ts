import * as assert from 'node:assert/strict';
import { runTemplateCase, templateCase } from '../../fuzz/templates';

// A slice of `npm run fuzz -- --templates`: mutated chart templates and values end in output or a clean template
// error, never in another exception.
describe('gotemplate: template fuzz cases', () => {
  it('ends 100 cases of seed 7 in output or a clean error', function () {
    this.timeout(120_000);
    const outcomes = { output: 0, error: 0 };
    const crashes: string[] = [];
    for (let index = 0; index < 100; index++) {
      const outcome = runTemplateCase(templateCase(7, index));
      if (outcome.kind === 'crash') crashes.push(`case ${index}: ${outcome.message}`);
      else outcomes[outcome.kind]++;
    }
    assert.deepEqual(crashes, []);
    // Both kinds occur, so the cases reach the executor and not only the parser.
    assert.ok(outcomes.output > 0 && outcomes.error > 0, JSON.stringify(outcomes));
  });
});
