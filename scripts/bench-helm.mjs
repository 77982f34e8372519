// Builds scripts/bench-helm/main.ts and runs it (`npm run bench:helm`; `npm run bench` builds dist/ first).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['scripts/bench-helm/main.ts'], outfile: 'out/bench-helm/main.js',
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', 'out/bench-helm/main.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
