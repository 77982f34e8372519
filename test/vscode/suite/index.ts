// Mocha runner for the VS Code integration tests. VS Code loads this module inside the extension host
// (`extensionTestsPath`) and awaits `run()`, both under @vscode/test-electron (test/vscode/runElectron.mjs)
// and under code-server (test/vscode/runOffline.mjs). Every `*.test.js` next to it is a test file; they
// use the real `vscode` API against the fixture workspace (a copy of test/vscode/workspace/).
//
// Environment (set by the runners, inherited by the extension host):
//   KUBE_IMMUTABLE_VSCODE_RESULTS  a file to append one JSON line per mocha event to (start, pass, fail,
//                                  pending, end); the offline runner relays it to its own stdout, since
//                                  the extension host's stdout goes nowhere visible under code-server.
//   KUBE_IMMUTABLE_VSCODE_GREP     only run tests whose full title matches this regular expression.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { serverStarted } from './helpers';

export async function run(): Promise<void> {
  const results = process.env.KUBE_IMMUTABLE_VSCODE_RESULTS;
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, reporter: 'spec' });
  const grep = process.env.KUBE_IMMUTABLE_VSCODE_GREP;
  if (grep) mocha.grep(new RegExp(grep));
  for (const file of testFiles(__dirname)) mocha.addFile(file);
  await serverStarted();

  const failures = await new Promise<number>((resolve, reject) => {
    try {
      const runner = mocha.run(resolve);
      if (results) record(runner, results);
    } catch (err) {
      reject(err);
    }
  });
  if (failures > 0) throw new Error(`${failures} VS Code test${failures === 1 ? '' : 's'} failed`);
}

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(p);
    return entry.name.endsWith('.test.js') ? [p] : [];
  }).sort();
}

/** Appends the run's events to `file` as JSON lines, written synchronously so nothing is lost on exit. */
function record(runner: Mocha.Runner, file: string): void {
  const { EVENT_RUN_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
  const write = (event: object) => fs.appendFileSync(file, JSON.stringify(event) + '\n');
  let passes = 0, failures = 0, pending = 0;
  const started = Date.now();
  runner.on(EVENT_RUN_BEGIN, () => write({ event: 'start', total: runner.total, vscode: vscode.version }));
  runner.on(EVENT_TEST_PASS, test => {
    passes++;
    write({ event: 'pass', title: test.fullTitle(), duration: test.duration });
  });
  runner.on(EVENT_TEST_FAIL, (test, err: Error) => {
    failures++;
    write({ event: 'fail', title: test.fullTitle(), message: String(err?.message ?? err), stack: err?.stack });
  });
  runner.on(EVENT_TEST_PENDING, test => {
    pending++;
    write({ event: 'pending', title: test.fullTitle() });
  });
  runner.on(EVENT_RUN_END, () => write({ event: 'end', passes, failures, pending, duration: Date.now() - started }));
}
