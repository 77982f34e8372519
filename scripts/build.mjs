// Bundles the client, the language server, the CLI and the tests with esbuild.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
// yaml's Node build reads process.env.LOG_TOKENS for every token it parses (and LOG_STREAM for every document), a
// fifth of parsing a tree of small manifests; its browser build, the same code without those lookups, is the one
// the Node bundles take too, as the browser bundles do. It reads `!!binary` with atob instead of Buffer, so that
// an invalid one is an error (TAG_RESOLVE_FAILED), as in Kubernetes' own decoder.
const yamlWithoutEnvironment = { alias: { yaml: './node_modules/yaml/browser/index.js' } };
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', ...yamlWithoutEnvironment };
// The shipped bundles drop white space, simplify syntax and rename local variables, functions and classes included:
// a stack trace reads through the bundle's source map (dist/*.map, built beside it). Keeping the names (keepNames) sets
// the name of each closure as it is made, the YAML parser's too, which cost 5-18% of the CPU time of analysing a
// stream of 40,000 Deployments (alternating builds). The tests stay as written.
const minified = { minifyWhitespace: true, minifySyntax: true };
const shipped = { ...common, ...minified, minifyIdentifiers: true };
// The clients are mostly vscode-languageclient around a few lines of wiring: their names are not worth the bytes
// that keep the .vsix with both builds under 1 MB.
const minifiedClient = { ...minified, minifyIdentifiers: true };
const minifiedBrowserServer = { ...minified, minifyIdentifiers: true, keepNames: true };

function testFiles(dir) {
  return readdirSync(dir).flatMap(name => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return testFiles(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

// The browser bundles (VS Code for the web runs them in web workers) have no Node: a Node built-in fails the
// build, naming who imported it, unless `replacements` serves it: `node:path` in the shared path code is served
// by server/src/sources/posixPath.ts, since in the browser every path is the path of a URI.
const BUILTINS = new RegExp(`^(node:)?(${builtinModules.map(name => name.replace(/[/]/g, '\\/')).join('|')})$`);
const noNodeBuiltins = replacements => ({
  name: 'no-node-builtins',
  setup(build) {
    build.onResolve({ filter: BUILTINS }, args => {
      if (replacements[args.path]) return { path: resolve(replacements[args.path]) };
      return { errors: [{ text: `${args.path} is a Node built-in, and the browser bundles have no Node (imported by ${args.importer})` }] };
    });
  },
});
const browser = {
  bundle: true, platform: 'browser', target: 'es2022', sourcemap: true, logLevel: 'warning',
  plugins: [noNodeBuiltins({ 'node:path': 'server/src/sources/posixPath.ts' })],
};
// The VS Code suite in the web worker extension host (test/vscode/web/index.ts), with its own strict assert.
const WEB_SUITE = join('test', 'vscode', 'web');

await Promise.all([
  build({ ...browser, ...minifiedClient, format: 'cjs', entryPoints: { browserClient: 'client/src/browserExtension.ts' }, outdir: 'dist', external: ['vscode'] }),
  build({ ...browser, ...minifiedBrowserServer, format: 'iife', entryPoints: { browserServer: 'server/src/browserServer.ts' }, outdir: 'dist', define: { VERSION: JSON.stringify(version) } }),
  build({ ...shipped, ...minifiedClient, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  // The CLI's executable, dist/cli.js, runs the CLI's bundle with V8's code cache (server/src/cliLoader.ts); the CLI's
  // worker threads start from it too (server/src/cliPool.ts).
  build({ ...shipped, entryPoints: { cli: 'server/src/cliLoader.ts' }, outdir: 'dist' }),
  build({ ...shipped, entryPoints: { cliMain: 'server/src/cliMain.ts' }, outdir: 'dist', define: { VERSION: JSON.stringify(version) } }),
  // The language server lives beside the editor for hours and mostly waits: its heap grows by a fifth at most after
  // each full collection instead of up to fourfold, so the text of every version of a large file being typed into
  // is collected soon. (V8's --optimize-for-size did that too, but its code runs the analysis 30-40% slower.) It
  // must be set before any code is loaded, hence the banner (`npm run bench` measures the peak memory and the round
  // trips it costs).
  build({
    ...shipped, entryPoints: { server: 'server/src/nodeServer.ts' }, outdir: 'dist', define: { VERSION: JSON.stringify(version) },
    banner: { js: "require('node:v8').setFlagsFromString('--heap-growing-percent=20');" },
  }),
  build({ ...common, entryPoints: testFiles('test').filter(file => !file.startsWith(WEB_SUITE)), outdir: 'out/test', outbase: 'test', external: ['vscode', 'mocha'] }),
  build({
    ...browser, format: 'cjs', entryPoints: { 'vscode/web/index': 'test/vscode/web/index.ts' }, outdir: 'out/test', external: ['vscode'],
    plugins: [noNodeBuiltins({ 'node:path': 'server/src/sources/posixPath.ts', 'node:assert/strict': 'test/vscode/web/assert.ts' })],
  }),
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
