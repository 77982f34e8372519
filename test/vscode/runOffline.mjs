#!/usr/bin/env node
// Offline runner for the VS Code integration tests (test/vscode/suite/), for machines that reach only the
// npm registry and Debian's packages. It hosts the suite in code-server's Node extension host (VS Code
// 1.96.4, installed into .cache/code-server/ by scripts/vscode/setup-code-server.sh) and drives the web
// workbench with headless Debian chromium through playwright-core. The same suite runs under
// @vscode/test-electron with test/vscode/runElectron.mjs.
//
//   node test/vscode/runOffline.mjs [options]        (after `npm run build`)
//     --timeout SECONDS     overall limit for the suite (default 600, or $KUBE_IMMUTABLE_VSCODE_TIMEOUT)
//     --grep REGEXP         only tests whose full title matches
//     --screenshots DIR     after the suite, save PNG screenshots of the extension at work into DIR
//     --screenshots-only    skip the suite, only take the screenshots (needs --screenshots)
//     --vsix FILE           after the suite, install FILE (made by `npm run package`) into a fresh
//                           code-server and check that the installed extension reports a finding
//     --host node|web       the extension host (default node); web forces the `browser` entry into code-server's
//                           web worker host with the user setting remote.extensionKind, runs the suite bundled
//                           for the browser (test/vscode/web/, where --grep does not reach), then checks through
//                           the workbench that the server in the worker reports and says it runs in the browser
//     --verbose             relay the workbench's console and code-server's log as they come
//     --keep                keep the temporary folder (user data, workspace copy, logs) for a look
//
// Exits 0 when every test passed, 1 otherwise; the last line is `vscode: N passed, N failed`.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CODE_SERVER = join(process.env.CODE_SERVER_CACHE ?? join(ROOT, '.cache/code-server'), 'node_modules/code-server/out/node/entry.js');
const SETUP = join(ROOT, 'scripts/vscode/setup-code-server.sh');
const FIXTURES = join(ROOT, 'test/vscode/workspace');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
// User settings of every session (both runners). In a restricted (untrusted) workspace the extension
// under test is not activated, hence security.workspace.trust.enabled: false. Settings that the tests
// themselves rely on belong in the fixture workspace's .vscode/settings.json.
const USER_SETTINGS = JSON.parse(readFileSync(join(ROOT, 'test/vscode/user-settings.json'), 'utf8'));

// What a user sets to run an extension that has both entries in the browser's web worker (see issue 19).
const WEB_HOST_SETTINGS = { 'remote.extensionKind': { 'kube-immutable.kube-immutable': ['web'] } };

const { values: opts } = parseArgs({
  options: {
    timeout: { type: 'string', default: process.env.KUBE_IMMUTABLE_VSCODE_TIMEOUT ?? '600' },
    grep: { type: 'string' },
    screenshots: { type: 'string' },
    'screenshots-only': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    vsix: { type: 'string' },
    host: { type: 'string', default: 'node' },
  },
});
const SUITE = join(ROOT, opts.host === 'web' ? 'out/test/vscode/web/index.js' : 'out/test/vscode/suite/index.js');
const timeoutMs = Number(opts.timeout) * 1000;
if (!(timeoutMs > 0)) fail(`--timeout: not a number of seconds: ${opts.timeout}`);
if (!['node', 'web'].includes(opts.host)) fail(`--host: node or web, not ${opts.host}`);
if (opts['screenshots-only'] && !opts.screenshots) fail('--screenshots-only needs --screenshots DIR');
if (opts.vsix && !existsSync(opts.vsix)) fail(`--vsix: ${opts.vsix} not found (run \`npm run package\` first)`);

const log = (...args) => console.log('[vscode-offline]', ...args);
const since = start => `${((Date.now() - start) / 1000).toFixed(1)}s`;
function fail(message) {
  console.error(`[vscode-offline] ${message}`);
  console.log('vscode: 0 passed, 1 failed');
  process.exit(1);
}

// ---- preconditions ---------------------------------------------------------------------------------
const setup = spawnSync('bash', [SETUP], { stdio: 'inherit' });
if (setup.status !== 0) fail(`${relative(ROOT, SETUP)} failed`);
if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
if (!existsSync(SUITE)) fail(`${relative(ROOT, SUITE)} not found: run \`npm run build\` first`);
if (!existsSync(join(ROOT, 'dist/client.js'))) log('warning: dist/client.js not found, the extension cannot activate (run `npm run build`)');
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (err) {
  fail(`cannot load playwright-core (a devDependency): ${err.message}`);
}

const TMP = mkdtempSync(join(tmpdir(), 'kube-immutable-vscode-'));
const cleanups = [];
let cleaning;
async function cleanup() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => {});
    if (opts.keep) log(`kept ${TMP}`);
    else rmSync(TMP, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    log(`${signal}: stopping`);
    await cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

// ---- one code-server + chromium session ------------------------------------------------------------
/**
 * Starts code-server on a free loopback port with a fresh user-data-dir, extensions dir and copy of the
 * fixture workspace, and opens the workbench in headless chromium with the repository root as the
 * extension under development (and `extensionTestsPath` when given). With `vsix`, that package is
 * installed into the extensions dir instead, and there is no extension under development.
 */
async function startSession(name, { extensionPath = ROOT, extensionTestsPath, vsix, fixtures, env = {}, settings = {}, onExit } = {}) {
  const dir = join(TMP, name);
  const userData = join(dir, 'user-data');
  const workspace = join(dir, 'workspace');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(join(dir, 'extensions'), { recursive: true });
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));
  // A copy, so that tests which edit and save fixtures leave test/vscode/workspace/ alone.
  // (`fixtures`: only these top-level files and folders.)
  cpSync(FIXTURES, workspace, { recursive: true, filter: src => !fixtures || src === FIXTURES || fixtures.includes(relative(FIXTURES, src).split(sep)[0]) });
  // XDG_*: code-server writes a config file and logs there instead of the user's home.
  // EXTENSIONS_GALLERY={}: no extension marketplace, so the workbench makes no requests off this machine.
  const serverEnv = { ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg-config'), XDG_DATA_HOME: join(dir, 'xdg-data'), EXTENSIONS_GALLERY: '{}', ...env };
  if (vsix) installExtension(vsix, ['--user-data-dir', userData, '--extensions-dir', join(dir, 'extensions')], serverEnv);

  // Undone in reverse order by close(), which also runs on exit and on SIGINT/SIGTERM.
  const undo = [];
  let closing;
  const close = () => (closing ??= (async () => {
    for (const fn of undo.reverse()) await fn().catch(() => {});
  })());
  cleanups.push(close);

  const started = Date.now();
  const logFile = join(dir, 'code-server.log');
  const server = spawn(process.execPath, [CODE_SERVER, '--auth', 'none', '--bind-addr', '127.0.0.1:0',
    '--user-data-dir', userData, '--extensions-dir', join(dir, 'extensions'), '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', workspace], {
    cwd: dir,
    detached: true, // its own process group: the extension host and language server go down with it
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv,
  });
  let serverLog = '';
  let exited = false;
  const serverExit = new Promise(res => server.on('exit', (code, signal) => { exited = true; res({ code, signal }); }));
  undo.push(async () => {
    writeFileSync(logFile, serverLog);
    if (!exited) {
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
      await Promise.race([serverExit, new Promise(res => setTimeout(res, 5000))]);
    }
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* the whole group is gone */ }
  });
  const port = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('code-server did not start listening within 60s')), 60_000);
    const onData = chunk => {
      serverLog += chunk;
      if (opts.verbose) process.stdout.write(`[code-server] ${chunk}`);
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(serverLog);
      if (m) { clearTimeout(timer); res(Number(m[1])); }
    };
    server.stdout.setEncoding('utf8').on('data', onData);
    server.stderr.setEncoding('utf8').on('data', onData);
    serverExit.then(({ code, signal }) => {
      clearTimeout(timer);
      rej(new Error(`code-server exited (${signal ?? code}) before listening:\n${serverLog}`));
    });
  });
  serverExit.then(({ code, signal }) => onExit?.(`code-server exited (${signal ?? code})`));
  log(`${name}: code-server listening on 127.0.0.1:${port} (${since(started)})`);

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  undo.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const consoleLog = [];
  page.on('console', msg => {
    const line = `[browser ${msg.type()}] ${msg.text()}`;
    consoleLog.push(line);
    if (opts.verbose) console.log(line);
  });
  // (vsda, Microsoft's closed-source signing module, is not in code-server: its 404s are expected.)
  page.on('pageerror', err => consoleLog.push(`[browser pageerror] ${err.message}`));
  page.on('response', res => { if (res.status() >= 400) consoleLog.push(`[browser http ${res.status()}] ${res.url()}`); });
  page.on('requestfailed', req => consoleLog.push(`[browser request failed] ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('crash', () => onExit?.('the workbench page crashed'));
  undo.push(async () => writeFileSync(join(dir, 'browser-console.log'), consoleLog.join('\n') + '\n'));

  const remote = path => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = vsix ? [] : [['extensionDevelopmentPath', remote(extensionPath)]];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`
    + (payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '');
  return { page, url, dir, workspace, close, logs: () => ({ serverLog, consoleLog }) };
}

// ---- the suite -------------------------------------------------------------------------------------
function printEvent(e) {
  switch (e.event) {
    case 'start': log(`running ${e.total} test${e.total === 1 ? '' : 's'} in VS Code ${e.vscode} (code-server, ${opts.host === 'web' ? 'web worker' : 'Node'} extension host)`); break;
    case 'pass': console.log(`  ✔ ${e.title} (${e.duration}ms)`); break;
    case 'fail': console.log(`  ✘ ${e.title}\n      ${e.message.split('\n')[0]}`); break;
    case 'pending': console.log(`  - ${e.title} (skipped)`); break;
  }
}

async function runSuite() {
  const started = Date.now();
  // The web suite has no environment and no node:fs: it writes results.jsonl beside the workspace folder.
  const resultsFile = opts.host === 'web' ? join(TMP, 'suite', 'results.jsonl') : join(TMP, 'results.jsonl');
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, '');
  let finish;
  const finished = new Promise(res => { finish = res; });
  const env = { KUBE_IMMUTABLE_VSCODE_RESULTS: resultsFile };
  if (opts.grep) env.KUBE_IMMUTABLE_VSCODE_GREP = opts.grep;
  const session = await startSession('suite', {
    extensionTestsPath: SUITE,
    env,
    settings: opts.host === 'web' ? WEB_HOST_SETTINGS : {},
    onExit: reason => finish({ reason }),
  });
  // The workbench calls window.codeAutomationExit(code) once the suite's run() has settled.
  await session.page.exposeFunction('codeAutomationExit', code => finish({ code }));

  const events = [];
  let seen = 0;
  const relay = () => {
    const lines = readFileSync(resultsFile, 'utf8').split('\n');
    for (; seen < lines.length - 1; seen++) {
      const e = JSON.parse(lines[seen]);
      events.push(e);
      printEvent(e);
    }
  };
  const poll = setInterval(relay, 250);
  const timer = setTimeout(() => finish({ reason: `timed out after ${opts.timeout}s` }), timeoutMs);
  try {
    await session.page.goto(session.url);
    log('workbench opened, waiting for the suite');
    const outcome = await finished;
    relay();
    const passed = events.filter(e => e.event === 'pass').length;
    const failures = events.filter(e => e.event === 'fail');
    const skipped = events.filter(e => e.event === 'pending').length;
    const ended = events.some(e => e.event === 'end');
    let failed = failures.length;
    if (outcome.reason || outcome.code !== 0 || !ended) {
      const why = outcome.reason ?? (ended ? `the suite exited with code ${outcome.code}` : `the suite exited with code ${outcome.code} before mocha finished (did run() throw? is mocha resolvable?)`);
      if (failed === 0) failed = 1;
      console.log(`[vscode-offline] ${why}`);
    }
    if (outcome.reason || !ended) {
      const { serverLog, consoleLog } = session.logs();
      const errors = consoleLog.filter(l => /error|exception|failed/i.test(l) && !/vsda|Failed to load resource/.test(l)).slice(-20);
      if (errors.length) console.log(`[vscode-offline] last errors in the workbench console:\n${errors.join('\n')}`);
      if (outcome.reason) console.log(`[vscode-offline] code-server log (tail):\n${serverLog.split('\n').slice(-20).join('\n')}`);
    }
    if (failures.length) {
      console.log('\nFailures:');
      failures.forEach((f, i) => console.log(`\n  ${i + 1}) ${f.title}\n      ${(f.stack ?? f.message).split('\n').join('\n      ')}`));
      console.log();
    }
    log(`suite finished in ${since(started)}`);
    return { passed, failed, skipped };
  } finally {
    clearInterval(poll);
    clearTimeout(timer);
    await session.close();
  }
}

// ---- the packaged extension ------------------------------------------------------------------------
/** `code-server --install-extension FILE`, as a user installs a downloaded .vsix. */
function installExtension(vsix, dirs, env) {
  const install = spawnSync(process.execPath, [CODE_SERVER, ...dirs, '--install-extension', resolve(vsix)], { env, encoding: 'utf8' });
  const output = `${install.stdout}${install.stderr}`.trim();
  if (install.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (${install.status}):\n${output}`);
  }
  log(`vsix: ${output.split('\n').pop()}`);
}

// The Problems panel row of nginx.yaml's finding, as a screen reader hears it.
const INSTALLED_PROBLEM = /^Warning: Container "web" does not set readOnlyRootFilesystem: true: .* at line 20 and character 11\. generated by kube-immutable/;

/**
 * Installs the .vsix into a fresh code-server, with no extension under development, opens a manifest
 * (YAML activates the extension) and waits for its finding in the Problems panel: the package holds
 * a client and a server that start and report. Returns an error message, or undefined when it passed.
 */
async function checkInstalledPackage(vsix) {
  const started = Date.now();
  let session;
  try {
    // Only nginx.yaml: the panel renders just the rows in view, and its filter is not always applied.
    session = await startSession('vsix', { vsix, fixtures: ['nginx.yaml'] });
    const { page } = session;
    await page.goto(session.url);
    await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60_000 });
    await openFile(page, 'nginx.yaml');
    await page.keyboard.press('Control+Shift+M');
    await page.getByPlaceholder(/^Filter \(e\.g\./).fill('**/nginx.yaml');
    const rows = page.locator('.markers-panel .monaco-list-row');
    try {
      await page.waitForFunction(source => [...document.querySelectorAll('.markers-panel .monaco-list-row')]
        .some(row => new RegExp(source).test(row.getAttribute('aria-label') ?? '')), INSTALLED_PROBLEM.source, { timeout: 60_000 });
    } catch {
      const seen = await rows.evaluateAll(els => els.map(el => el.getAttribute('aria-label')));
      return `no Problems panel row matching ${INSTALLED_PROBLEM} within 60s; rows: ${JSON.stringify(seen, null, 2)}`;
    }
    log(`vsix: the installed extension reported on nginx.yaml (${since(started)})`);
    return undefined;
  } catch (err) {
    return err.message;
  } finally {
    await session?.close();
  }
}

// ---- the web worker extension host ------------------------------------------------------------------
// The Problems panel row of closed/never-opened.yaml's privileged container: only the workspace scan reads it.
const SCANNED_PROBLEM = /^Error: Container "batch" runs privileged: .* at line 11 and character 21\. generated by kube-immutable/;
// Said once in the output channel by the browser server only (server/src/browser/clientFileSystem.ts).
const BROWSER_NOTE = 'kube-immutable runs in the browser';

/**
 * Runs the extension under development in code-server's web worker extension host and checks, through the
 * workbench, what a user sees. Returns [title, error message or undefined] for each check.
 */
async function checkWebHost() {
  const started = Date.now();
  const results = [];
  const session = await startSession('web-host', { settings: WEB_HOST_SETTINGS });
  try {
    const { page } = session;
    await page.goto(session.url);
    await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60_000 });
    await openFile(page, 'nginx.yaml');
    await page.keyboard.press('Control+Shift+M');
    const filter = page.getByPlaceholder(/^Filter \(e\.g\./);
    for (const [title, glob, problem] of [
      ['web worker host: an open manifest gets its findings', '**/nginx.yaml', INSTALLED_PROBLEM],
      ['web worker host: the workspace scan reports on a manifest never opened', '**/never-opened.yaml', SCANNED_PROBLEM],
    ]) {
      await filter.fill(glob);
      results.push([title, await waitForProblemRow(page, problem)]);
    }
    await runCommand(page, 'Output: Show Output Channels...');
    await pickRow(page, 'kube-immutable');
    // The note is the channel's first line, and the view renders only the lines in sight: it goes to the top.
    await page.locator('.output-view .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+Home');
    // (The editor renders spaces as no-break spaces.)
    const said = await page.waitForFunction(note => document.querySelector('.output-view .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes(note), BROWSER_NOTE, { timeout: 30_000 })
      .then(() => undefined, () => `the kube-immutable output channel does not say "${BROWSER_NOTE}": the browser server did not run`);
    results.push(['web worker host: the server that reports is the browser build (its note in the output channel)', said]);
  } catch (err) {
    results.push(['web worker host', err.message]);
  } finally {
    await session.close();
  }
  log(`web worker host checked in ${since(started)}`);
  return results;
}

/** Waits up to 60s for a Problems panel row whose aria-label matches; returns an error message, or undefined. */
async function waitForProblemRow(page, problem) {
  try {
    await page.waitForFunction(source => [...document.querySelectorAll('.markers-panel .monaco-list-row')]
      .some(row => new RegExp(source).test(row.getAttribute('aria-label') ?? '')), problem.source, { timeout: 60_000 });
    return undefined;
  } catch {
    const seen = await page.locator('.markers-panel .monaco-list-row').evaluateAll(els => els.map(el => el.getAttribute('aria-label')));
    return `no Problems panel row matching ${problem} within 60s; rows: ${JSON.stringify(seen, null, 2)}`;
  }
}

// ---- screenshots -----------------------------------------------------------------------------------
// Each shot opens FILE from the fixture workspace, runs `prepare` and saves DIR/NAME.png. Add shots here;
// a shot whose `prepare` finds nothing to show (say, no quick fixes yet) is skipped with a note.
const SCREENSHOT_FILE = 'nginx.yaml';
// The workspace of the pictures: a few manifests, without the fixtures that only the tests need.
const SCREENSHOT_FIXTURES = ['nginx.yaml', 'deployment.yaml', 'not-kubernetes.yaml', 'chart'];
const SQUIGGLE = '.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info';
const SHOTS = [
  { name: 'editor-squiggles', file: SCREENSHOT_FILE, prepare: async () => {} },
  { name: 'hover', file: SCREENSHOT_FILE, prepare: async (page, squiggle) => {
    await page.mouse.move(squiggle.x + squiggle.width / 2, squiggle.y + squiggle.height / 2);
    // The status bar row fills in once VS Code has asked the extension for code actions.
    await page.locator('.monaco-hover:not(.hidden) .hover-row.status-bar', { hasText: /Quick Fix|No quick fixes/ }).waitFor({ timeout: 10_000 });
  } },
  { name: 'quick-fix-menu', file: SCREENSHOT_FILE, prepare: async (page, squiggle) => {
    await page.mouse.click(squiggle.x + 2, squiggle.y + squiggle.height / 2); // the cursor on the diagnostic
    await page.mouse.move(0, 0);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget .monaco-list-row').first().waitFor({ timeout: 5_000 });
  } },
  { name: 'problems-panel', file: SCREENSHOT_FILE, prepare: async page => {
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+1'); // focus back on the editor: rows show their severity icon
    await page.locator('.markers-panel .monaco-list-row.focused').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
  } },
];
// A fixed look for the pictures in docs/: VS Code's default dark theme, no animations half-way through.
const SCREENSHOT_THEME = { setting: 'Default Dark Modern', className: 'vscode-theme-defaults-themes-dark_modern-json' };
const SCREENSHOT_SETTINGS = {
  'workbench.colorTheme': SCREENSHOT_THEME.setting,
  'workbench.reduceMotion': 'on',
  'editor.hover.delay': 200,
  'editor.minimap.enabled': false,
  'breadcrumbs.enabled': false,
};

async function takeScreenshots(outDir) {
  const started = Date.now();
  mkdirSync(outDir, { recursive: true });
  let lost;
  // The extension is passed through a symlink outside the repository: in an extension development
  // window VS Code applies a color theme "of the extension under development", found by folder, and
  // the built-in themes in .cache/code-server/ lie inside the repository root.
  const link = join(TMP, 'extension');
  symlinkSync(ROOT, link);
  const session = await startSession('screenshots', {
    extensionPath: link,
    fixtures: SCREENSHOT_FIXTURES,
    settings: SCREENSHOT_SETTINGS,
    onExit: reason => { lost = reason; },
  });
  const { page } = session;
  const saved = [];
  try {
    await page.goto(session.url);
    await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60_000 });
    await page.locator(`.monaco-workbench.${SCREENSHOT_THEME.className}`).waitFor({ timeout: 15_000 });
    for (const shot of SHOTS) {
      if (lost) throw new Error(lost);
      await openFile(page, shot.file);
      // A squiggle means the extension activated, its server started and published diagnostics.
      const squiggle = page.locator(SQUIGGLE).first();
      await squiggle.waitFor({ state: 'attached', timeout: 60_000 });
      await runCommand(page, 'Notifications: Clear All Notifications');
      try {
        await shot.prepare(page, await squiggle.boundingBox());
      } catch (err) {
        log(`screenshot ${shot.name}: skipped (${err.message.split('\n')[0]})`);
        await resetUi(page);
        continue;
      }
      const file = join(outDir, `${shot.name}.png`);
      // animations: 'disabled' fast-forwards fade-ins (the hover's) to their end.
      await page.screenshot({ path: file, animations: 'disabled' });
      saved.push(relative(process.cwd(), file));
      await resetUi(page);
    }
  } finally {
    await session.close();
  }
  log(`screenshots: ${saved.join(', ') || 'none'} (${since(started)})`);
}

/** Opens a workspace file with Quick Open (Ctrl+P), picking the row in the file's own folder. */
async function openFile(page, file) {
  const base = file.split('/').pop();
  const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  await quickInput(page, 'Control+P', file);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor();
  const index = await rows.evaluateAll((els, [base, folder]) => els.findIndex(el =>
    el.querySelector('.label-name')?.textContent === base
    && (el.querySelector('.label-description')?.textContent ?? '') === folder), [base, folder]);
  if (index < 0) throw new Error(`Quick Open did not offer ${file}`);
  await rows.nth(index).click();
  await page.locator(`.tab.active[aria-label^="${base}"]`).waitFor({ timeout: 15_000 });
  await page.keyboard.press('Control+End'); // the cursor away from the findings
}

/** Runs a command by its title from the command palette. */
async function runCommand(page, title) {
  await quickInput(page, 'F1', title);
  await pickRow(page, title);
}

/** Clicks the row of the open quick pick whose label is `label`. */
async function pickRow(page, label) {
  const row = page.locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
    .first();
  try {
    await row.waitFor({ timeout: 10_000 });
  } catch (err) {
    const offered = await page.locator('.quick-input-list .monaco-list-row').evaluateAll(rows => rows.map(r => r.getAttribute('aria-label')));
    throw new Error(`no "${label}" among ${JSON.stringify(offered)}`, { cause: err });
  }
  await row.click();
}

async function quickInput(page, key, text) {
  await page.keyboard.press(key);
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(key === 'F1' ? `>${text}` : text);
}

async function resetUi(page) {
  for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
  await page.mouse.move(0, 0);
  await page.locator('.monaco-hover:not(.hidden)').waitFor({ state: 'detached', timeout: 2_000 }).catch(() => {});
  // Close the panel if a shot opened it.
  if (await page.locator('.part.panel.basepanel:visible').count()) await page.keyboard.press('Control+J');
}

// ---- main ------------------------------------------------------------------------------------------
let exitCode = 1;
let summary = { passed: 0, failed: 1, skipped: 0 };
try {
  if (!opts['screenshots-only']) {
    summary = await runSuite();
    exitCode = summary.failed === 0 ? 0 : 1;
  } else {
    summary = { passed: 0, failed: 0, skipped: 0 };
    exitCode = 0;
  }
  if (opts.host === 'web' && !opts['screenshots-only']) {
    for (const [title, error] of await checkWebHost()) {
      if (error) {
        summary.failed++;
        console.log(`  ✘ ${title}\n      ${error.split('\n').join('\n      ')}`);
      } else {
        summary.passed++;
        console.log(`  ✔ ${title}`);
      }
    }
    exitCode = summary.failed === 0 ? 0 : 1;
  }
  if (opts.vsix && !opts['screenshots-only']) {
    const title = `the packaged ${relative(ROOT, resolve(opts.vsix))} installs into code-server and reports on a manifest`;
    const error = await checkInstalledPackage(opts.vsix);
    if (error) {
      summary.failed++;
      exitCode = 1;
      console.log(`  ✘ ${title}\n      ${error.split('\n').join('\n      ')}`);
    } else {
      summary.passed++;
      console.log(`  ✔ ${title}`);
    }
  }
  if (opts.screenshots) {
    try {
      await takeScreenshots(resolve(opts.screenshots));
    } catch (err) {
      log(`screenshots failed: ${err.stack ?? err}`);
      if (opts['screenshots-only']) exitCode = 1;
    }
  }
} catch (err) {
  log(`error: ${err.stack ?? err}`);
  exitCode = 1;
} finally {
  await cleanup();
}
if (!opts['screenshots-only']) {
  console.log(`vscode: ${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}`);
}
process.exit(exitCode);
