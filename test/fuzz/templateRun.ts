// `npm run fuzz -- --templates [--cases N] [--seed S] [--case I]`: mutated chart templates and values through the
// Go template executor with Helm's functions. Prints every crash (an exception that is not a clean template error)
// and hang (a case still running after HANG_MS), then a summary; exits 1 if there was any.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TemplateOutcome } from './templates';

const HANG_MS = 10_000;

interface Result { index: number; recipe: string; outcome: TemplateOutcome; ms: number }

export async function runTemplateFuzz(seed: number, first: number, count: number): Promise<number> {
  const started = performance.now();
  const tally = { output: 0, error: 0, crash: 0, hang: 0 };
  const slowest: Result[] = [];
  let worker = new Worker(join(__dirname, 'templateWorker.js'));
  console.log(`Fuzzing ${count} template cases, seed ${seed}`);
  for (let index = first; index < first + count; index++) {
    const result = await new Promise<Result | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), HANG_MS);
      worker.once('message', (message: Result) => {
        clearTimeout(timer);
        resolve(message);
      });
      worker.postMessage({ seed, index });
    });
    if (!result) {
      tally.hang++;
      console.log(`case ${index}: hang: still running after ${HANG_MS} ms (npm run fuzz -- --templates --seed ${seed} --case ${index})`);
      await worker.terminate();
      worker = new Worker(join(__dirname, 'templateWorker.js'));
      continue;
    }
    tally[result.outcome.kind]++;
    if (result.outcome.kind === 'crash') {
      console.log(`case ${index} [${result.recipe}]: crash: ${result.outcome.message.split('\n').slice(0, 4).join(' | ')} (npm run fuzz -- --templates --seed ${seed} --case ${index})`);
    }
    slowest.push(result);
    slowest.sort((a, b) => b.ms - a.ms).splice(3);
    if ((index - first + 1) % 500 === 0) console.log(`... ${index - first + 1} cases, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  await worker.terminate();
  console.log(`\n${count} template cases in ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${seed})`);
  console.log(`rendered: ${tally.output}, clean errors: ${tally.error}, crashes: ${tally.crash}, hangs: ${tally.hang}`);
  console.log(`slowest: ${slowest.map((r) => `${Math.round(r.ms)} ms (case ${r.index}: ${r.recipe})`).join('; ')}`);
  return tally.crash + tally.hang > 0 ? 1 : 0;
}
