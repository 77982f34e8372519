#!/usr/bin/env node
// Runs the VS Code integration tests (test/vscode/suite/) in a downloaded VS Code (Electron) with
// @vscode/test-electron: the standard runner, for contributors with a network (it downloads VS Code
// into .vscode-test/ on first use). Machines without one use test/vscode/runOffline.mjs instead.
//
//   node test/vscode/runElectron.mjs [options]        (after `npm run build`)
//     --vscode-version V    VS Code to download: 'stable' (default), 'insiders' or e.g. '1.96.4'
//                           (or $KUBE_IMMUTABLE_VSCODE_VERSION)
//     --vscode-executable P use this VS Code executable instead of downloading one
//                           (or $KUBE_IMMUTABLE_VSCODE_EXECUTABLE)
//     --grep REGEXP         only tests whose full title matches
//     --keep                keep the temporary folder (user data, workspace copy) for a look
//
// On Linux without a display it re-runs itself under `xvfb-run -a` when that exists (Debian: xvfb).
// Exits 0 when every test passed, 1 otherwise; the last line is `vscode: N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SUITE = join(ROOT, 'out/test/vscode/suite/index.js');
const FIXTURES = join(ROOT, 'test/vscode/workspace');

const { values: opts } = parseArgs({
  options: {
    'vscode-version': { type: 'string', default: process.env.KUBE_IMMUTABLE_VSCODE_VERSION ?? 'stable' },
    'vscode-executable': { type: 'string', default: process.env.KUBE_IMMUTABLE_VSCODE_EXECUTABLE },
    grep: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

function fail(message) {
  console.error(`[vscode-electron] ${message}`);
  console.log('vscode: 0 passed, 1 failed');
  process.exit(1);
}

// Electron needs a display: use a virtual one when there is none.
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && !process.env.KUBE_IMMUTABLE_UNDER_XVFB) {
  if (spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0) {
    const child = spawnSync('xvfb-run', ['-a', process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, KUBE_IMMUTABLE_UNDER_XVFB: '1' },
    });
    process.exit(child.status ?? 1);
  }
  console.warn('[vscode-electron] no DISPLAY and no xvfb-run (apt-get install xvfb): VS Code may fail to start');
}

if (!existsSync(SUITE)) fail(`${relative(ROOT, SUITE)} not found: run \`npm run build\` first`);
let runTests;
try {
  ({ runTests } = await import('@vscode/test-electron'));
} catch (err) {
  fail(`cannot load @vscode/test-electron (a devDependency): ${err.message}`);
}

const TMP = mkdtempSync(join(tmpdir(), 'kube-immutable-vscode-'));
const userData = join(TMP, 'user-data');
const workspace = join(TMP, 'workspace');
const resultsFile = join(TMP, 'results.jsonl');
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(join(userData, 'User/settings.json'), readFileSync(join(ROOT, 'test/vscode/user-settings.json')));
// A copy, so that tests which edit and save fixtures leave test/vscode/workspace/ alone.
cpSync(FIXTURES, workspace, { recursive: true });
writeFileSync(resultsFile, '');

let exitCode = 1;
let error;
try {
  // The suite's mocha reporter prints to the extension host's stdout, which test-electron relays.
  exitCode = await runTests({
    version: opts['vscode-version'],
    vscodeExecutablePath: opts['vscode-executable'],
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: SUITE,
    extensionTestsEnv: {
      KUBE_IMMUTABLE_VSCODE_RESULTS: resultsFile,
      ...(opts.grep ? { KUBE_IMMUTABLE_VSCODE_GREP: opts.grep } : {}),
    },
    launchArgs: [
      workspace,
      '--disable-extensions', // other installed extensions; the one under development still loads
      '--disable-workspace-trust',
      '--disable-telemetry',
      `--user-data-dir=${userData}`,
      `--extensions-dir=${join(TMP, 'extensions')}`,
    ],
  });
} catch (err) {
  error = err;
}

const events = readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line));
const passed = events.filter(e => e.event === 'pass').length;
const skipped = events.filter(e => e.event === 'pending').length;
let failed = events.filter(e => e.event === 'fail').length;
if (error || exitCode !== 0 || !events.some(e => e.event === 'end')) {
  console.error(`[vscode-electron] ${error?.message ?? `VS Code exited with code ${exitCode}`}`);
  if (!events.some(e => e.event === 'end')) console.error('[vscode-electron] the suite did not finish');
  if (failed === 0) failed = 1;
}
if (opts.keep) console.error(`[vscode-electron] kept ${TMP}`);
else rmSync(TMP, { recursive: true, force: true });
console.log(`vscode: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
