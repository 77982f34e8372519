// Measures `render` of argo-cd's HA install (manifests/ha/cluster-install, whose build is manifests/ha/install.yaml)
// in fresh processes: node scripts/kustomize-bench.mjs [fixtures folder] (default ../shared/fixtures/kustomize).
// Prints the wall and CPU time of each process (start, load, read, render, print) and the medians.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const fixtures = resolve(process.argv[2] ?? '../shared/fixtures/kustomize');
const root = join(fixtures, 'real', 'argo-cd');
if (!existsSync(root)) {
  console.log(`kustomize-bench: skipped, ${root} is absent (it holds argo-cd's manifests)`);
  process.exit(0);
}
await build({
  entryPoints: ['scripts/kustomize-bench/main.ts'], outfile: 'out/kustomize-bench/main.js',
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning',
});
const runs = [];
const cpuRuns = [];
for (let i = 0; i < 5; i++) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['out/kustomize-bench/main.js', root, '/manifests/ha/cluster-install'], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) {
    console.error(run.stderr);
    process.exit(1);
  }
  runs.push(ms);
  cpuRuns.push(Number(/process CPU (\d+) ms/.exec(run.stdout)[1]));
  console.log(`run ${i + 1}: ${ms.toFixed(0)} ms in a fresh process (${run.stdout.trim()})`);
}
runs.sort((a, b) => a - b);
cpuRuns.sort((a, b) => a - b);
const [load] = (await import('node:os')).loadavg();
console.log(`kustomize-bench: render manifests/ha/cluster-install in a fresh process, median ${runs[2].toFixed(0)} ms wall, ${cpuRuns[2]} ms CPU (budget 1000 ms; load average ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} cores)`);
