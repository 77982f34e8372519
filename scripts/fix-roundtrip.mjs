// Builds scripts/fix-roundtrip/main.ts and runs it: node scripts/fix-roundtrip.mjs [folder] (default ../shared/conformance).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['scripts/fix-roundtrip/main.ts'], outfile: 'out/fix-roundtrip/main.js',
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', 'out/fix-roundtrip/main.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
