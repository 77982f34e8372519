// Builds scripts/bench/editorScaleAlone.ts and runs it: the figures of the editor on large streams of `npm run bench` alone.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['scripts/bench/editorScaleAlone.ts'], outfile: 'out/bench/editorScale.js',
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', 'out/bench/editorScale.js'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
