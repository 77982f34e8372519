// Builds scripts/bench/kustomizeAlone.ts and runs it: the Kustomize figures of `npm run bench` alone.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['scripts/bench/kustomizeAlone.ts'], outfile: 'out/bench/kustomize.js',
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', 'out/bench/kustomize.js'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
