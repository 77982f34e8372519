import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeText } from '../../server/src/engine';
import { walkYamlFiles } from '../../server/src/files';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

function run(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: web}',
  'spec:',
  '  containers:',
  '  - name: web',
  '    image: nginx:1.27  # the web server',
  '    command: ["sh", "-c", "chmod -R a-w / && nginx -g \'daemon off;\'"]',
  '',
].join('\n');

describe('CLI --fix', () => {
  it('writes the fixed file in place and reports each fix on standard error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-fix-'));
    const file = join(dir, 'pod.yaml');
    writeFileSync(file, POD);
    const { status, stdout, stderr } = run(['--fix', file]);
    assert.equal(readFileSync(file, 'utf8'), [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: web}',
      'spec:',
      '  containers:',
      '  - name: web',
      '    image: nginx:1.27  # the web server',
      '    command: ["sh", "-c", "nginx -g \'daemon off;\'"]',
      '    securityContext:',
      '      readOnlyRootFilesystem: true',
      '      allowPrivilegeEscalation: false',
      '    volumeMounts:',
      '    - name: var-cache-nginx',
      '      mountPath: /var/cache/nginx',
      '    - name: var-run',
      '      mountPath: /var/run',
      '  volumes:',
      '  - name: var-cache-nginx',
      '    emptyDir: {}',
      '  - name: var-run',
      '    emptyDir: {}',
      '',
    ].join('\n'));
    assert.equal(stderr, [
      `Fixed 3 problems (readonly-root-filesystem 1, chmod-immutability-hack 1, privilege-escalation 1) in ${file}`,
      '  readonly-root-filesystem [web]: Set readOnlyRootFilesystem: true and mount emptyDir volumes at /var/cache/nginx, /var/run',
      '  chmod-immutability-hack [web]: Remove the chmod',
      '  privilege-escalation [web]: Set allowPrivilegeEscalation: false',
      '',
    ].join('\n'));
    // nginx starts as root and switches user, so runAsNonRoot: true and drop: [ALL] are left to the author.
    assert.deepEqual(stdout.split('\n').filter(line => line.startsWith(file)).map(line => `${line.split(' ')[0].slice(file.length)} ${line.split(' ').pop()}`),
      [':9:5 run-as-root', ':9:5 capabilities']);
    assert.equal(status, 1, stdout);
  });

  it('leaves only findings without an automatic fix in a copy of examples/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-fix-examples-'));
    cpSync(join(ROOT, 'examples'), dir, { recursive: true });
    const before = JSON.parse(run(['--format', 'json', '--all-rules', dir]).stdout).findings.length;
    run(['--fix', '--all-rules', dir]);
    const remaining = walkYamlFiles(dir).flatMap(file => analyzeText(readFileSync(file, 'utf8'), { allRules: true }).findings);
    assert.ok(before > remaining.length, `${before} findings before, ${remaining.length} after`);
    assert.deepEqual(remaining.filter(finding => finding.fixes?.some(fix => fix.isPreferred)).map(f => `${f.rule} ${f.message}`), []);
  });

  it('leaves a file with nothing to fix untouched and silent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-fix-'));
    const file = join(dir, 'cm.yaml');
    writeFileSync(file, 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: c}\r\n');
    const { status, stderr } = run(['--fix', file]);
    assert.equal(readFileSync(file, 'utf8'), 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: c}\r\n');
    assert.equal(stderr, '');
    assert.equal(status, 0);
  });

  it('refuses standard input', () => {
    const { status, stderr } = run(['--fix', '-']);
    assert.equal(status, 2);
    assert.match(stderr, /^kube-immutable: --fix writes files in place, so it cannot fix standard input\n/);
  });
});
