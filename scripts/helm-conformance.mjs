// Builds scripts/helm-conformance/main.ts and runs it: Helm's own `helm template` golden cases and engine cases
// from ../shared/fixtures/helm, rendered in-process. node scripts/helm-conformance.mjs [--show]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['scripts/helm-conformance/main.ts'], outfile: 'out/helm-conformance/main.js',
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', 'out/helm-conformance/main.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
