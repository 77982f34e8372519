// How the CLI cuts its files into batches for the worker threads (cliPool.ts): runs of consecutive files of
// about a batch's bytes, at most 256 files each, every file in exactly one.
import * as assert from 'node:assert/strict';
import { batchesOf } from '../../server/src/cliPool';
import { LintTask } from '../../server/src/cliLintFile';

const tasks = (sizes: number[]): LintTask[] =>
  sizes.map((bytes, i) => ({ file: `f${i}.yaml`, options: {}, fix: false, withFixes: false, chartTemplate: bytes === 0, bytes }));

describe('batchesOf', () => {
  const CASES: { title: string; sizes: number[]; perBatch: number; batches: [number, number][] }[] = [
    { title: 'no file, no batch', sizes: [], perBatch: 100, batches: [] },
    { title: 'a batch closes with the file that reaches its bytes', sizes: [40, 60, 10, 90, 5], perBatch: 100, batches: [[0, 2], [2, 4], [4, 5]] },
    { title: 'a file larger than a batch is a batch of its own', sizes: [10, 500, 10], perBatch: 100, batches: [[0, 2], [2, 3]] },
    { title: 'one byte a batch: one file a batch', sizes: [3, 1, 2], perBatch: 1, batches: [[0, 1], [1, 2], [2, 3]] },
    { title: 'the last batch holds what is left', sizes: [50, 49], perBatch: 100, batches: [[0, 2]] },
  ];
  for (const { title, sizes, perBatch, batches } of CASES) {
    it(title, () => assert.deepEqual(batchesOf(tasks(sizes), perBatch), batches));
  }

  it('closes a batch at 256 files of no text (chart templates)', () => {
    assert.deepEqual(batchesOf(tasks(new Array(600).fill(0)), 100), [[0, 256], [256, 512], [512, 600]]);
  });
});
