// Builds scripts/bench/cliAlone.ts and runs it: the CLI figures of `npm run bench` alone (`npm run bench:cli` builds dist/ first).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['scripts/bench/cliAlone.ts'], outfile: 'out/bench/cli.js',
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', 'out/bench/cli.js'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
