// The warm-up of `yaml`'s general parser: its samples must need that parser (the plain composer refuses them), the
// broken ones must be the syntax errors they stand for, and the parses run in short turns once the analyses are quiet.
import * as assert from 'node:assert/strict';
import { parseChunk } from '../../../server/src/engine';
import { composePlainBlockYaml } from '../../../server/src/engine/plainBlockYaml';
import { QUIET_MS, WARM_UP_SAMPLES, warmUpParser } from '../../../server/src/lsp/parserWarmUp';
import { onNextTurn } from '../../../server/src/lsp/turns';

describe('parser warm-up', () => {
  it('parses samples that only the general parser takes: one whole Deployment and five syntax errors', () => {
    const firstErrors = WARM_UP_SAMPLES.map(sample => {
      assert.equal(composePlainBlockYaml(sample, { version: '1.1' }, 256), undefined);
      const docs = parseChunk(sample);
      assert.ok(Array.isArray(docs) && docs.length === 1);
      return docs[0].errors[0]?.message.split(' at line')[0];
    });
    assert.deepEqual(firstErrors, [
      undefined,
      'Flow sequence in block collection must be sufficiently indented and end with a ]',
      'Flow map in block collection must be sufficiently indented and end with a }',
      'Nested mappings are not allowed in compact mappings',
      "Missing closing 'quote",
      'Tabs are not allowed as indentation',
    ]);
    const docs = parseChunk(WARM_UP_SAMPLES[0]);
    assert.ok(Array.isArray(docs));
    assert.equal(docs[0].get('kind'), 'Deployment');
  });

  it('parses the samples in turns, in order, until the count, and stops when told', async () => {
    const parsed: string[] = [];
    let turns = 0;
    let counting = true;
    const countTurns = () => { turns++; if (counting) onNextTurn(countTurns); };
    onNextTurn(countTurns);
    await new Promise<void>(resolve => warmUpParser({ parses: 8, parse: text => { parsed.push(text); }, finished: resolve }));
    counting = false;
    assert.deepEqual(parsed, [...WARM_UP_SAMPLES, ...WARM_UP_SAMPLES.slice(0, 2)]);
    // It waited for the turns a waiting message takes before its first parse.
    assert.ok(turns >= 4, `${turns} turns`);

    const stopped: string[] = [];
    const stop = warmUpParser({ parses: 8, parse: text => { stopped.push(text); } });
    stop();
    await new Promise(resolve => setTimeout(resolve, 20));
    assert.deepEqual(stopped, []);
  });

  it('waits until the analyses have been quiet for a while', async () => {
    const began = performance.now();
    const parsedAt: number[] = [];
    // Quiet since the test began: the first parse waits for the rest of QUIET_MS.
    await new Promise<void>(resolve => warmUpParser({ parses: 3, parse: () => { parsedAt.push(performance.now() - began); }, quietFor: () => performance.now() - began, finished: resolve }));
    assert.equal(parsedAt.length, 3);
    assert.ok(parsedAt[0] >= QUIET_MS - 1, `first parse after ${parsedAt[0]} ms`);
  });

  it('gives way between turns of 2 ms when parses are slow', async () => {
    const turnsOf: number[] = [];
    let turn = 0;
    let ticking = true;
    const tick = () => { turn++; if (ticking) onNextTurn(tick); };
    onNextTurn(tick);
    await new Promise<void>(resolve => warmUpParser({
      parses: 6,
      parse: () => { turnsOf.push(turn); const until = performance.now() + 1.5; while (performance.now() < until); },
      finished: resolve,
    }));
    ticking = false;
    // Two parses of 1.5 ms pass the 2 ms deadline (more on a busy machine), so a turn has at most two and the next
    // parse waits for a later turn.
    const perTurn = new Map<number, number>();
    for (const at of turnsOf) perTurn.set(at, (perTurn.get(at) ?? 0) + 1);
    assert.ok([...perTurn.values()].every(count => count <= 2), turnsOf.join(' '));
    assert.ok(perTurn.size >= 3 && turnsOf.every((at, i) => i === 0 || at >= turnsOf[i - 1]), turnsOf.join(' '));
  });
});
