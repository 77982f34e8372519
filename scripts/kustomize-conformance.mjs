// Builds scripts/kustomize-conformance/main.ts and runs it:
// node scripts/kustomize-conformance.mjs [fixtures folder] (default ../shared/fixtures/kustomize).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['scripts/kustomize-conformance/main.ts'], outfile: 'out/kustomize-conformance/main.js',
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', 'out/kustomize-conformance/main.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
