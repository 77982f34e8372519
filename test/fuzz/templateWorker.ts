// Runs template fuzz cases for templateRun.ts in a worker thread, so that a case that never ends can be stopped.
import { parentPort } from 'node:worker_threads';
import { runTemplateCase, templateCase } from './templates';

parentPort?.on('message', ({ seed, index }: { seed: number; index: number }) => {
  const fuzzCase = templateCase(seed, index);
  const started = performance.now();
  const outcome = runTemplateCase(fuzzCase);
  parentPort?.postMessage({ index, recipe: fuzzCase.recipe, outcome, ms: performance.now() - started });
});
