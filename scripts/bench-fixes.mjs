// Builds scripts/bench-fixes/main.ts and runs it: node scripts/bench-fixes.mjs [manifest] (default: the argo-cd corpus).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['scripts/bench-fixes/main.ts'], outfile: 'out/bench-fixes/main.js',
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', 'out/bench-fixes/main.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
