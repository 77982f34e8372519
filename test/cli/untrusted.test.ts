// The CLI on a folder from a repository nobody has reviewed: links that loop or leave it, files that are not
// regular, and a configuration file that is not one.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const SAFE_POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: app:1.0\n'
  + '    securityContext: {readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}\n';
const PRIVILEGED_POD = SAFE_POD.replace('drop: [ALL]}', 'drop: [ALL]}, privileged: true');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function folder(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'kube-immutable-untrusted-')));
}

describe('CLI on an untrusted folder', () => {
  it('follows no link: a loop and a link out of the folder are said once each, and every finding comes once', () => {
    const root = folder();
    const outside = folder();
    writeFileSync(join(outside, 'elsewhere.yaml'), PRIVILEGED_POD);
    mkdirSync(join(root, 'k8s/sub'), { recursive: true });
    writeFileSync(join(root, 'k8s/pod.yaml'), PRIVILEGED_POD);
    symlinkSync('..', join(root, 'k8s/sub/loop'));
    symlinkSync('../..', join(root, 'k8s/sub/loop2'));
    symlinkSync(outside, join(root, 'k8s/out'));
    symlinkSync('pod.yaml', join(root, 'k8s/same-pod.yaml'));
    symlinkSync('missing.yaml', join(root, 'k8s/dangling.yaml'));
    const { status, stdout, stderr } = run(['k8s'], root);
    assert.equal(stderr, '');
    assert.equal(status, 1);
    const lines = stdout.split('\n');
    // The one finding, of the one real file: not again through the loop, the file's link or the other folder.
    assert.match(lines[0], /^k8s\/pod\.yaml:8:147 error Container "web" runs privileged: .* privileged-container$/);
    assert.equal(lines.slice(1).join('\n'), [
      `k8s/out: symbolic link not followed: it leads out of ${join(root, 'k8s')}, to ${outside}`,
      `k8s/sub/loop: symbolic link not followed: it leads to ${join(root, 'k8s')}, a folder above it (a loop)`,
      `k8s/sub/loop2: symbolic link not followed: it leads out of ${join(root, 'k8s')}, to ${root}`,
      '',
      '1 problem (1 error, 0 warning, 0 info, 0 hint) in 1 file; 3 symbolic links not followed',
      '',
    ].join('\n'));
  });

  it('lists the links not followed in its JSON output', () => {
    const root = folder();
    writeFileSync(join(root, 'pod.yaml'), SAFE_POD);
    symlinkSync('.', join(root, 'self'));
    const { status, stdout } = run(['--format', 'json', '.'], root);
    assert.equal(status, 0);
    const output = JSON.parse(stdout);
    assert.equal(output.filesLinted, 1);
    assert.deepEqual(output.linksNotFollowed, [{ path: 'self', reason: `it leads to ${root}, a folder above it (a loop)` }]);
  });

  it('reads only regular files when it walks a folder: a FIFO named like a manifest is left alone', function () {
    const root = folder();
    writeFileSync(join(root, 'pod.yaml'), SAFE_POD);
    if (spawnSync('mkfifo', [join(root, 'pipe.yaml')]).status !== 0) this.skip();
    const { status, stdout } = run(['.'], root);
    assert.equal(status, 0);
    assert.equal(stdout, '\nNo problems in 1 file\n');
  });

  it('stops with exit status 2 on a configuration file that is not a regular file, instead of waiting on it', function () {
    const root = folder();
    writeFileSync(join(root, 'pod.yaml'), SAFE_POD);
    if (spawnSync('mkfifo', [join(root, '.kube-immutable.yaml')]).status !== 0) this.skip();
    const { status, stdout, stderr } = run(['.'], root);
    assert.equal(stdout, '');
    assert.equal(stderr, `kube-immutable: ${join(root, '.kube-immutable.yaml')}: not a regular file\n`);
    assert.equal(status, 2);
  });

  it('stops with exit status 2 on a configuration file too large to be one', () => {
    const root = folder();
    writeFileSync(join(root, 'pod.yaml'), SAFE_POD);
    writeFileSync(join(root, '.kube-immutable.yaml'), `# ${'x'.repeat(2 << 20)}\n`);
    const { status, stderr } = run(['.'], root);
    assert.equal(stderr, `kube-immutable: ${join(root, '.kube-immutable.yaml')}: 2097155 bytes, more than a configuration file may hold (65536)\n`);
    assert.equal(status, 2);
  });
});
