// Builds scripts/helm-functions-conformance/main.ts and runs it: Sprig's own function tests and Helm's `func`
// engine cases from ../shared/fixtures/helm, run through the template executor with Sprig's and Helm's functions.
// node scripts/helm-functions-conformance.mjs [--verbose]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['scripts/helm-functions-conformance/main.ts'], outfile: 'out/helm-functions-conformance/main.js',
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', 'out/helm-functions-conformance/main.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
