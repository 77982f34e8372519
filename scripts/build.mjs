// Bundles the client, the language server, the CLI and the tests with esbuild.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
// The shipped bundles drop white space and simplify syntax (names are kept, so stack traces still read); the
// tests stay as written.
const shipped = { ...common, minifyWhitespace: true, minifySyntax: true };

function testFiles(dir) {
  return readdirSync(dir).flatMap(name => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return testFiles(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

await Promise.all([
  build({ ...shipped, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  // The CLI's worker threads run the same bundle (server/src/cliPool.ts).
  build({ ...shipped, entryPoints: { cli: 'server/src/cli.ts' }, outdir: 'dist', define: { VERSION: JSON.stringify(version) } }),
  // The language server lives beside the editor for hours and mostly waits: its heap grows by a fifth at most after
  // each full collection instead of up to fourfold, so the text of every version of a large file being typed into
  // is collected soon. (V8's --optimize-for-size did that too, but its code runs the analysis 30-40% slower.) It
  // must be set before any code is loaded, hence the banner (`npm run bench` measures the peak memory and the round
  // trips it costs).
  build({
    ...shipped, entryPoints: { server: 'server/src/server.ts' }, outdir: 'dist', define: { VERSION: JSON.stringify(version) },
    banner: { js: "require('node:v8').setFlagsFromString('--heap-growing-percent=20');" },
  }),
  build({ ...common, entryPoints: testFiles('test'), outdir: 'out/test', outbase: 'test', external: ['vscode', 'mocha'] }),
]);

// Drop compiled tests whose source is gone (out/ is not wiped, so that a build never pulls files from under a running test).
for (const file of existsSync('out/test') ? walk('out/test') : []) {
  const source = file.replace(/^out[\\/]/, '').replace(/\.js(\.map)?$/, '.ts');
  if (!existsSync(source)) rmSync(file);
}

function walk(dir) {
  return readdirSync(dir).flatMap(name => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
