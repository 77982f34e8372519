// Bundles the client, the language server, the CLI and the tests with esbuild.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

function testFiles(dir) {
  return readdirSync(dir).flatMap(name => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return testFiles(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

await Promise.all([
  build({ ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  build({ ...common, entryPoints: { server: 'server/src/server.ts', cli: 'server/src/cli.ts' }, outdir: 'dist', define: { VERSION: JSON.stringify(version) } }),
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
