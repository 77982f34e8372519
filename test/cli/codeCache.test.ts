// dist/cli.js runs the CLI's bundle with V8's code cache, kept per user in the temporary directory: the output is the
// same with and without it, a cache V8 accepts is not written again, a damaged one is replaced, and a folder that
// others may write is never used.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const CHART = join(ROOT, 'test', 'fixtures', 'helm', 'shop');
const EXAMPLES = join(ROOT, 'examples');

(process.getuid ? describe : describe.skip)('CLI code cache', function () {
  this.timeout(30000);
  let temp: string;
  const folder = () => join(temp, `kube-immutable-code-cache-${process.getuid!()}`);
  const files = () => readdirSync(folder()).sort();

  function run(args: string[], env: Record<string, string> = {}) {
    const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '', TMPDIR: temp, ...env } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }
  const uncached = (args: string[]) => run(args, { NODE_DISABLE_COMPILE_CACHE: '1' });

  beforeEach(() => { temp = mkdtempSync(join(tmpdir(), 'kube-immutable-cache-test-')); });
  afterEach(() => rmSync(temp, { recursive: true, force: true }));

  it('writes one cache per command, for this user alone, and prints what it prints without one', () => {
    const render = run(['render', CHART]);
    assert.equal(render.status, 0, render.stderr);
    assert.deepEqual(render, uncached(['render', CHART]));
    assert.equal(statSync(folder()).mode & 0o777, 0o700);
    assert.deepEqual(files().map(name => name.split('-')[0]), ['render']);
    const lint = run([EXAMPLES]);
    assert.equal(lint.status, 1, lint.stderr);
    assert.deepEqual(lint, uncached([EXAMPLES]));
    assert.deepEqual(files().map(name => name.split('-')[0]), ['lint', 'render']);
    for (const name of files()) {
      assert.match(name, new RegExp(`^(lint|render)-${process.version}-${process.arch}-[0-9a-f]{8}-\\d+-\\d+\\.bin$`));
      const stat = statSync(join(folder(), name));
      assert.equal(stat.mode & 0o777, 0o600);
      assert.ok(stat.size > 100_000, `${name}: ${stat.size} bytes`);
    }
  });

  it('reads an accepted cache without writing it again', () => {
    run(['render', CHART]);
    const [name] = files();
    const written = statSync(join(folder(), name)).mtimeMs;
    const again = run(['render', CHART]);
    assert.deepEqual(again, uncached(['render', CHART]));
    assert.deepEqual(files(), [name]);
    assert.equal(statSync(join(folder(), name)).mtimeMs, written);
  });

  it('replaces a cache that V8 refuses', () => {
    run(['render', CHART]);
    const [name] = files();
    writeFileSync(join(folder(), name), Buffer.alloc(4096, 7), { mode: 0o600 });
    const result = run(['render', CHART]);
    assert.deepEqual(result, uncached(['render', CHART]));
    assert.deepEqual(files(), [name]);
    assert.ok(statSync(join(folder(), name)).size > 100_000);
  });

  it('never uses a folder that others may write, nor a cache that others may write', () => {
    mkdirSync(folder(), { mode: 0o700 });
    chmodSync(folder(), 0o777);
    assert.deepEqual(run(['render', CHART]), uncached(['render', CHART]));
    assert.deepEqual(files(), []);
    chmodSync(folder(), 0o700);
    run(['render', CHART]);
    const [name] = files();
    writeFileSync(join(folder(), name), Buffer.alloc(4096, 7));
    chmodSync(join(folder(), name), 0o666);
    assert.deepEqual(run(['render', CHART]), uncached(['render', CHART]));
    // Not read, and replaced by one that only this user may write.
    assert.equal(statSync(join(folder(), name)).mode & 0o777, 0o600);
    assert.ok(statSync(join(folder(), name)).size > 100_000);
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE, as Node\'s own compile cache', () => {
    const result = uncached(['render', CHART]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(existsSync(folder()), false);
  });
});
