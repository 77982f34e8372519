#!/usr/bin/env node
// The VS Code suite in VS Code for the web, for machines with a network: @vscode/test-web downloads VS Code's
// web build and runs the extension's `browser` entry and test/vscode/web/ (the suite bundled for the browser)
// in its web worker extension host. Machines that reach only the npm registry cannot download it; there,
// `node test/vscode/runOffline.mjs --host web` runs the same suite in code-server's web worker host.
//
//   npm run test:web          (builds first)
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-web';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// A copy, so that tests which edit and save fixtures leave test/vscode/workspace/ alone.
const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-web-'));
const workspace = join(dir, 'workspace');
cpSync(join(ROOT, 'test/vscode/workspace'), workspace, { recursive: true });
try {
  await runTests({
    browserType: 'chromium',
    headless: true,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, 'out/test/vscode/web/index.js'),
    folderPath: workspace,
  });
} catch (err) {
  console.error(`test:web: ${err.message ?? err}`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
