// The VS Code suite (test/vscode/suite/) in the web worker extension host, where the extension runs its
// `browser` entry (test/vscode/runOffline.mjs --host web). That host has no Node: this module is bundled for the
// browser with mocha's browser build and test/vscode/web/assert.ts in place of `node:assert/strict`, and it
// writes the run's events (as suite/index.ts does) with `workspace.fs`, to results.jsonl beside the workspace
// folder, where the runner reads them.
import * as vscode from 'vscode';
import { serverStarted } from '../suite/helpers';

interface Test { fullTitle(): string; duration?: number }
interface Runner { total: number; on(event: string, listener: (test: Test, err?: Error) => void): void }
interface BrowserMocha {
  setup(options: { ui: string; reporter: string; timeout: number }): void;
  run(done: (failures: number) => void): Runner;
}

/** A test that reads what only the web worker host has: no `process`, in the tests as in the server. */
function nodeIsAbsent(): void {
  describe('web worker host', () => {
    it('has no Node: process is undefined', () => {
      if (typeof process !== 'undefined') throw new Error('process is defined: this is not the web worker host');
    });
  });
}

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder: the runner must open a copy of test/vscode/workspace/');
  const results = vscode.Uri.joinPath(folder.uri, '..', 'results.jsonl');
  let lines = '';
  let written = Promise.resolve();
  const write = (event: object) => {
    lines += JSON.stringify(event) + '\n';
    const text = lines;
    // Best effort: under @vscode/test-web (npm run test:web) the folder above the workspace may not be writable,
    // and mocha's own report on the console is what counts there; code-server's runner misses no line of it.
    written = written.then(() => vscode.workspace.fs.writeFile(results, new TextEncoder().encode(text))).then(undefined, () => undefined);
  };

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mocha: BrowserMocha = require('mocha/mocha.js');
  mocha.setup({ ui: 'bdd', reporter: 'spec', timeout: 30_000 });
  // After setup, which defines describe and it: the test files call them as they load.
  nodeIsAbsent();
  require('../suite/compose.test');
  require('../suite/diagnostics.test');
  require('../suite/fixOnSave.test');
  require('../suite/helm.test');
  require('../suite/kustomize.test');
  require('../suite/quickFix.test');
  require('../suite/settings.test');
  require('../suite/workspaceScan.test');

  await serverStarted();
  let passes = 0, failures = 0, pending = 0;
  const started = Date.now();
  const failed = await new Promise<number>(resolve => {
    const runner = mocha.run(resolve);
    runner.on('start', () => write({ event: 'start', total: runner.total, vscode: vscode.version }));
    runner.on('pass', test => { passes++; write({ event: 'pass', title: test.fullTitle(), duration: test.duration }); });
    runner.on('fail', (test, err) => {
      failures++;
      write({ event: 'fail', title: test.fullTitle(), message: String(err?.message ?? err), stack: err?.stack });
    });
    runner.on('pending', test => { pending++; write({ event: 'pending', title: test.fullTitle() }); });
    runner.on('end', () => write({ event: 'end', passes, failures, pending, duration: Date.now() - started }));
  });
  await written;
  if (failed > 0) throw new Error(`${failed} VS Code test${failed === 1 ? '' : 's'} failed`);
}
