#!/usr/bin/env node
// The VS Code suite in VS Code for the web, for machines with a network: @vscode/test-web (fetched by npx, not a
// dependency, since installing it downloads a browser) downloads VS Code's web build and runs the extension's
// `browser` entry and test/vscode/web/ (the suite bundled for the browser) in its web worker extension host.
// Machines that reach only the npm registry cannot download them; there, `node test/vscode/runOffline.mjs --host web`
// runs the same suite in code-server's web worker host.
//
//   npm run test:web          (builds first)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEST_WEB = '@vscode/test-web@0.0.81';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// A copy, so that tests which edit and save fixtures leave test/vscode/workspace/ alone.
const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-web-'));
const workspace = join(dir, 'workspace');
cpSync(join(ROOT, 'test/vscode/workspace'), workspace, { recursive: true });
try {
  const run = spawnSync('npx', ['--yes', '--package', TEST_WEB, 'vscode-test-web', '--browserType=chromium', '--headless',
    `--extensionDevelopmentPath=${ROOT}`, `--extensionTestsPath=${join(ROOT, 'out/test/vscode/web/index.js')}`, workspace], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`test:web: vscode-test-web ${run.error?.message ?? `exited with ${run.status ?? run.signal}`}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
