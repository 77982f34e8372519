// npm run fuzz -- [--config] [--cases N] [--seed S] [--case I] [--cli-every N] [--no-heavy] [--no-save]
// npm run fuzz -- --templates [--cases N] [--seed S] [--case I]: Go templates instead (templateRun.ts)
// Prints a summary (failures by kind, slowest cases, time) and saves each failing input as a regression fixture.
// --config fuzzes `.kube-immutable.yaml` files instead of manifests (see config.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadSeeds, REGRESSIONS, ROOT } from './corpus';
import { runConfigCases } from './config';
import { CaseReport, Failure, FuzzOptions, runCases, SLOW_MS, Timings } from './fuzzer';
import { runTemplateFuzz } from './templateRun';

interface Arguments extends FuzzOptions { cases: number; first: number; save: boolean; config: boolean; templates: boolean }

function parseArguments(argv: string[]): Arguments {
  const args: Arguments = { cases: 1000, first: 0, seed: 1, cliEvery: 50, heavy: true, save: true, config: false, templates: false };
  for (let i = 0; i < argv.length; i++) {
    const number = () => {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0) throw new Error(`${argv[i - 1]} needs a whole number`);
      return value;
    };
    switch (argv[i]) {
      case '--cases': args.cases = number(); break;
      case '--seed': args.seed = number(); break;
      case '--case': args.first = number(); args.cases = 1; break;
      case '--cli-every': args.cliEvery = number(); break;
      case '--no-heavy': args.heavy = false; break;
      case '--no-save': args.save = false; break;
      case '--config': args.config = true; break;
      case '--templates': args.templates = true; break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return args;
}

function save(report: CaseReport, args: Arguments): string {
  // Configuration cases go beside the manifest ones, but not among the manifests that the fuzz test replays.
  const folder = args.config ? join(REGRESSIONS, 'config') : REGRESSIONS;
  mkdirSync(folder, { recursive: true });
  const name = `fuzz-seed${args.seed}-case${report.fuzzCase.index}`;
  writeFileSync(join(folder, `${name}.yaml`), report.fuzzCase.bytes);
  writeFileSync(join(folder, `${name}.json`), JSON.stringify({
    seed: args.seed, case: report.fuzzCase.index, recipe: report.fuzzCase.recipe,
    reproduce: `npm run fuzz -- ${args.config ? '--config ' : ''}--seed ${args.seed} --case ${report.fuzzCase.index}`,
    failures: report.failures,
  }, null, 2) + '\n');
  return relative(ROOT, join(folder, `${name}.yaml`));
}

const STAGES: [keyof Timings, string][] = [
  ['engineMs', 'engine'], ['openMs', 'server didOpen -> diagnostics'], ['editMs', 'server didChange -> diagnostics'],
  ['codeActionMs', 'server codeAction'], ['cliMs', 'CLI run'],
];
const CONFIG_STAGES: [keyof Timings, string][] = [
  ['engineMs', 'reading and glob matching'], ['openMs', 'server config change -> scan done'], ['codeActionMs', 'server codeAction'], ['cliMs', 'CLI run'],
];

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  if (args.templates) return runTemplateFuzz(args.seed, args.first, args.cases);
  const seeds = loadSeeds();
  const started = performance.now();
  const failures: { report: CaseReport; failure: Failure }[] = [];
  const stages = args.config ? CONFIG_STAGES : STAGES;
  const slowest = new Map<keyof Timings, { ms: number; report: CaseReport }[]>(stages.map(([key]) => [key, []]));
  let done = 0;
  let slowRequests = 0;
  console.log(args.config
    ? `Fuzzing ${args.cases} configuration files, seed ${args.seed}`
    : `Fuzzing ${args.cases} cases from ${seeds.length} seed files, seed ${args.seed}${args.heavy ? '' : ', without heavy files'}`);
  const run = (done: (report: CaseReport) => void) => (args.config
    ? runConfigCases(args, args.first, args.first + args.cases, done)
    : runCases(seeds, args, args.first, args.first + args.cases, done));
  await run(report => {
    done++;
    for (const [key] of stages) {
      const ms = report.timings[key];
      if (ms === undefined) continue;
      const list = slowest.get(key)!;
      list.push({ ms, report: { ...report, fuzzCase: { ...report.fuzzCase, bytes: Buffer.alloc(0) } } });
      list.sort((a, b) => b.ms - a.ms).splice(3);
    }
    slowRequests += report.failures.filter(f => f.kind === 'slow request').length;
    if (report.failures.length) {
      // Late diagnostics are a matter of speed, reported with the slowest cases rather than kept as regressions.
      const keep = args.save && report.failures.some(f => f.kind !== 'slow diagnostics');
      const saved = keep ? ` (saved as ${save(report, args)})` : '';
      for (const failure of report.failures) {
        failures.push({ report, failure });
        console.log(`case ${report.fuzzCase.index} [${report.fuzzCase.recipe}]: ${failure.where} ${failure.kind}: ${failure.message.split('\n')[0]}${saved}`);
      }
    }
    if (done % 500 === 0) console.log(`... ${done} cases, ${failures.length} failures, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  });
  const count = (kind: Failure['kind']) => failures.filter(f => f.failure.kind === kind).length;
  console.log(`\n${done} cases in ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${args.seed})`);
  console.log(`crashes: ${count('crash')}, hangs: ${count('hang')}, internal errors: ${count('internal error')}, wrong results: ${count('wrong result')}, `
    + `requests over ${SLOW_MS} ms: ${slowRequests}, diagnostics later than ${SLOW_MS} ms: ${count('slow diagnostics')}`);
  for (const [key, label] of stages) {
    const list = slowest.get(key)!;
    if (!list.length) continue;
    console.log(`slowest ${label}: ${list.map(({ ms, report }) => `${Math.round(ms)} ms (case ${report.fuzzCase.index}: ${report.fuzzCase.recipe})`).join('; ')}`);
  }
  // Late diagnostics (only 10 MB streams get them) are a matter of speed, listed above; they do not fail the run.
  return failures.some(({ failure }) => failure.kind !== 'slow diagnostics') ? 1 : 0;
}

main().then(code => { process.exitCode = code; }, error => {
  console.error(`fuzz: ${(error as Error).message}`);
  process.exitCode = 2;
});
