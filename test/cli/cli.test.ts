import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BARE_CONTAINER_RULES } from '../helpers';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function run(args: string[], input?: string | Buffer) {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n';
const SAFE_POD = POD + '    securityContext: {readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}\n    volumeMounts: [{name: cache, mountPath: /var/cache/nginx}, {name: run, mountPath: /var/run}]\n';

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'kube-immutable-cli-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}

describe('CLI', () => {
  it('prints the JSON contract', () => {
    const root = tree({ 'pod.yaml': '# leading comment\n---\n' + POD });
    const file = join(root, 'pod.yaml');
    const { status, stdout } = run(['--format', 'json', file]);
    assert.equal(status, 1);
    const output = JSON.parse(stdout);
    const messageIds = ['readonly-root-filesystem/not-set', 'run-as-root/not-set', 'privilege-escalation/not-set', 'capabilities/not-dropped'];
    assert.deepEqual(output.findings, BARE_CONTAINER_RULES.map((rule, i) => ({
      file, rule, messageId: messageIds[i], severity: 'warning', message: output.findings[i]?.message,
      line: 10, column: 5, endLine: 10, endColumn: 14, documentIndex: 0,
      resource: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'shop' }, container: 'web',
    })));
    assert.match(output.findings[0].message, /^Container "web" does not set readOnlyRootFilesystem: true/);
    assert.match(output.findings[3].message, /^Container "web" does not drop ALL capabilities/);
  });

  it('prints file:line:col severity message rule as text', () => {
    const root = tree({ 'a.yaml': POD });
    const { status, stdout } = run([join(root, 'a.yaml')]);
    assert.equal(status, 1);
    const [line] = stdout.split('\n');
    assert.match(line, new RegExp(`^${join(root, 'a.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8:5 warning Container "web" .* readonly-root-filesystem$`));
    assert.match(stdout, /\n4 problems \(0 error, 4 warning, 0 info, 0 hint\) in 1 file\n$/);
  });

  it('prints every finding of a file with thousands of them once, in order, as text and as JSON', () => {
    // 301 containers, four findings each: 1,204 findings, made and written in pieces of 1,000.
    const containers = Array.from({ length: 301 }, (_, i) => `  - name: c${i}\n    image: nginx:1.27\n`).join('');
    const root = tree({ 'many.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: many\nspec:\n  containers:\n${containers}` });
    const file = join(root, 'many.yaml');
    const json = run(['--format', 'json', file]);
    const text = run([file]);
    const findings: { line: number; column: number; severity: string; message: string; rule: string }[] = JSON.parse(json.stdout).findings;
    assert.equal(findings.length, 1204);
    assert.deepEqual(findings.map(f => f.message.match(/^Container "(c\d+)"/)?.[1]), Array.from({ length: 301 }, (_, i) => Array(4).fill(`c${i}`)).flat());
    assert.deepEqual(text.stdout.split('\n').slice(0, -3), findings.map(f => `${file}:${f.line}:${f.column} ${f.severity} ${f.message} ${f.rule}`));
    assert.match(text.stdout, /\n\n1204 problems \(0 error, 1204 warning, 0 info, 0 hint\) in 1 file\n$/);
  });

  it('stops with status 141 and says nothing when its reader stops reading, as `| head` does', async () => {
    // 1,204 findings as JSON, about 900 KB: far more than a pipe holds, so the CLI still writes once the reader is gone.
    const containers = Array.from({ length: 301 }, (_, i) => `  - name: c${i}\n    image: nginx:1.27\n`).join('');
    const root = tree({ 'many.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: many\nspec:\n  containers:\n${containers}` });
    const child = spawn(process.execPath, [CLI, '--format', 'json', join(root, 'many.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', chunk => { stderr += chunk; });
    child.stdout.once('data', () => child.stdout.destroy());
    const [status] = await once(child, 'exit');
    assert.equal(stderr, '');
    assert.equal(status, 141);
  });

  it('exits 0 when nothing is at warning or above', () => {
    const root = tree({ 'a.yaml': SAFE_POD });
    const { status, stdout } = run([root]);
    assert.equal(status, 0);
    assert.equal(stdout, '\nNo problems in 1 file\n');
  });

  it('applies --rule severities: hint does not fail, off hides', () => {
    const root = tree({ 'a.yaml': POD });
    const others = BARE_CONTAINER_RULES.slice(1).flatMap(rule => ['--rule', `${rule}=off`]);
    const hint = run(['--rule', 'readonly-root-filesystem=hint', ...others, '--format', 'json', root]);
    assert.equal(hint.status, 0);
    assert.deepEqual(JSON.parse(hint.stdout).findings.map((f: { rule: string; severity: string }) => `${f.rule} ${f.severity}`), ['readonly-root-filesystem hint']);
    const off = run(['--rule=readonly-root-filesystem=off', ...others, '--format', 'json', root]);
    assert.equal(off.status, 0);
    assert.deepEqual(JSON.parse(off.stdout).findings, []);
  });

  it('reads standard input with -', () => {
    const { status, stdout } = run(['--format', 'json', '-'], POD);
    assert.equal(status, 1);
    assert.deepEqual(JSON.parse(stdout).findings.map((f: { file: string; line: number }) => [f.file, f.line]), BARE_CONTAINER_RULES.map(() => ['<stdin>', 8]));
  });

  it('walks directories for *.yaml and *.yml, skipping node_modules and .git', () => {
    const root = tree({ 'a.yaml': POD, 'sub/b.yml': POD, 'c.txt': POD, 'node_modules/x/d.yaml': POD, '.git/e.yaml': POD });
    const { stdout } = run(['--format', 'json', root]);
    assert.deepEqual(JSON.parse(stdout).findings.map((f: { file: string }) => f.file), [...BARE_CONTAINER_RULES.map(() => join(root, 'a.yaml')), ...BARE_CONTAINER_RULES.map(() => join(root, 'sub', 'b.yml'))]);
  });

  it('reports a broken document as parse-error and still lints the others', () => {
    const { status, stdout } = run(['--format', 'json', '-'], 'apiVersion: v1\nkind: Pod\nspec: [\n---\n' + POD);
    assert.equal(status, 1);
    const findings = JSON.parse(stdout).findings;
    assert.deepEqual(findings.map((f: { rule: string; documentIndex: number; severity: string }) => [f.rule, f.documentIndex, f.severity]),
      [['parse-error', 0, 'error'], ...BARE_CONTAINER_RULES.map(rule => [rule, 1, 'warning'])]);
    assert.match(findings[0].message, /^YAML syntax error, so this document was not analysed: /);
  });

  it('lints a chart through its rendering, skips other documents with template actions, and says how to lint rendered charts', () => {
    const root = tree({
      'chart/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
      'chart/templates/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec: [\n',
      'inline.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  containers: [{name: a}]\n',
    });
    const { status, stdout } = run([root]);
    assert.equal(status, 1);
    assert.match(stdout, /\/chart\/Chart\.yaml:1:1 error YAML parse error on demo\/templates\/deploy\.yaml: error converting YAML to JSON/);
    assert.match(stdout, /Skipped 0 Helm chart template files and 1 document with template actions; lint a rendered chart with: helm template \. \| kube-immutable -\n$/);
  });

  it('gives a contained result for an empty file, binary data and non-Kubernetes YAML', () => {
    const root = tree({ 'empty.yaml': '', 'ci.yaml': 'jobs:\n  test:\n    steps: [a, b]\n', 'blob.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0x0a]) });
    const { status, stdout, stderr } = run(['--format', 'json', root]);
    assert.equal(stderr, '');
    assert.equal(status, 1);
    const findings = JSON.parse(stdout).findings;
    assert.deepEqual(findings.map((f: { file: string; rule: string; line: number; column: number }) => [f.file, f.rule, f.line, f.column]),
      [[join(root, 'blob.yaml'), 'parse-error', 1, 5]]);
    assert.match(findings[0].message, /^Binary data/);
  });

  it('exits 2 on usage and I/O errors', () => {
    assert.equal(run([]).status, 2);
    assert.equal(run(['--format', 'xml', '-'], '').status, 2);
    assert.equal(run(['--rule', 'no-such-rule=off', '-'], '').status, 2);
    assert.equal(run(['--rule', 'readonly-root-filesystem=loud', '-'], '').status, 2);
    const missing = run(['/no/such/file.yaml']);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, 'kube-immutable: /no/such/file.yaml: no such file or directory\n');
  });

  it('lists its rules', () => {
    const { status, stdout } = run(['--list-rules']);
    assert.equal(status, 0);
    assert.match(stdout, /^readonly-root-filesystem +warning /m);
    assert.match(stdout, /^chmod-immutability-hack +warning /m);
  });
});
