import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function run(args: string[], cwd?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kube-immutable-config-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: busybox:1.36\n';

interface JsonFinding { file: string; rule: string; severity: string }
const findings = (stdout: string): JsonFinding[] => JSON.parse(stdout).findings;
const rootFs = (list: JsonFinding[]) => list.filter(f => f.rule === 'readonly-root-filesystem').map(f => `${f.file} ${f.severity}`);

describe('CLI configuration', () => {
  it('lists the checks that are not rules among the configurable ids', () => {
    const { stdout } = run(['--list-rules']);
    assert.match(stdout, /^parse-error +error /m);
    assert.match(stdout, /^unused-suppression +hint /m);
    assert.equal(run(['--rule', 'unused-suppression=off', '--format', 'json', '-']).status, 0);
  });

  const config = 'rules:\n  readonly-root-filesystem: error\nexclude: [legacy/**]\n';

  it('finds .kube-immutable.yaml above the linted path and applies its severities and excludes', () => {
    const root = tree({ '.kube-immutable.yaml': config, 'apps/pod.yaml': POD, 'legacy/old.yaml': POD });
    const fromApps = run(['--format', 'json', join(root, 'apps')]);
    assert.deepEqual(rootFs(findings(fromApps.stdout)), [`${join(root, 'apps', 'pod.yaml')} error`]);
    assert.equal(fromApps.status, 1);
    const fromRoot = run(['--format', 'json', root]);
    assert.deepEqual(rootFs(findings(fromRoot.stdout)), [`${join(root, 'apps', 'pod.yaml')} error`]);
    assert.equal(JSON.parse(fromRoot.stdout).filesLinted, 1);
  });

  it('uses --config instead of the file it would find, and --rule wins over both', () => {
    const root = tree({ '.kube-immutable.yaml': config, 'ci/strict.yaml': 'rules: {readonly-root-filesystem: hint}\n', 'legacy/old.yaml': POD });
    assert.deepEqual(rootFs(findings(run(['--format', 'json', '--config', join(root, 'ci', 'strict.yaml'), root]).stdout)), [`${join(root, 'legacy', 'old.yaml')} hint`]);
    assert.deepEqual(rootFs(findings(run(['--format', 'json', '--rule', 'readonly-root-filesystem=info', join(root, 'legacy')]).stdout)), []);
    const overridden = run(['--format', 'json', '--config', join(root, 'ci', 'strict.yaml'), '--rule', 'readonly-root-filesystem=info', root]);
    assert.deepEqual(rootFs(findings(overridden.stdout)), [`${join(root, 'legacy', 'old.yaml')} info`]);
  });

  it('stops with exit 2 and every problem of a bad config file, at its line and column', () => {
    const root = tree({ '.kube-immutable.yaml': 'rules:\n  readonly-root-filesystem: loud\nexlude: [a]\n', 'pod.yaml': POD });
    const { status, stdout, stderr } = run([root]);
    assert.equal(status, 2);
    assert.equal(stdout, '');
    const file = join(root, '.kube-immutable.yaml');
    assert.equal(stderr, `kube-immutable: ${file}:2:29: The severity of readonly-root-filesystem must be one of off, hint, info, warning, error.\n`
      + `${file}:3:1: Unknown key "exlude": expected one of rules, exclude, imageWritePaths, exemptImages, peerAnnotations, podSecurity, compose, helm.\n`);
    const missing = run(['--config', join(root, 'nope.yaml'), root]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^kube-immutable: .*nope\.yaml: ENOENT/);
  });

  it('reads exemptImages and peerAnnotations from the file', () => {
    const annotated = POD.replace('metadata: {name: web}', 'metadata:\n  name: web\n  annotations: {checkov.io/skip1: CKV_K8S_22=reason}');
    const exempt = tree({ '.kube-immutable.yaml': 'exemptImages: [busybox]\n', 'pod.yaml': POD });
    assert.deepEqual(rootFs(findings(run(['--format', 'json', exempt]).stdout)), []);
    const peers = tree({ '.kube-immutable.yaml': 'peerAnnotations: false\n', 'pod.yaml': annotated });
    assert.deepEqual(rootFs(findings(run(['--format', 'json', peers]).stdout)), [`${join(peers, 'pod.yaml')} warning`]);
    const honoured = tree({ 'pod.yaml': annotated });
    assert.deepEqual(rootFs(findings(run(['--format', 'json', honoured]).stdout)), []);
  });

  it('--max-warnings N fails only with more than N warnings; errors always fail', () => {
    const root = tree({ 'pod.yaml': POD });
    const warnings = findings(run(['--format', 'json', root]).stdout).filter(f => f.severity === 'warning').length;
    assert.ok(warnings >= 1);
    assert.equal(run(['--max-warnings', String(warnings), root]).status, 0);
    const over = run(['--max-warnings', String(warnings - 1), root]);
    assert.equal(over.status, 1);
    assert.match(over.stderr, new RegExp(`^kube-immutable: ${warnings} warnings, more than --max-warnings ${warnings - 1}\\n$`));
    assert.equal(run(['--max-warnings', '100', '--rule', 'readonly-root-filesystem=error', root]).status, 1);
    assert.equal(run(['--max-warnings', 'many', root]).status, 2);
  });

  it('--all-rules runs the rules that the file or --rule turn off, at their default severity', () => {
    const root = tree({ '.kube-immutable.yaml': 'rules:\n  run-as-root: off\n  privileged-container: off\n', 'pod.yaml': POD });
    const rules = (args: string[]) => findings(run(['--format', 'json', ...args, root]).stdout).map(f => `${f.rule} ${f.severity}`);
    assert.deepEqual(rules(['--rule', 'capabilities=off']), ['readonly-root-filesystem warning', 'privilege-escalation warning']);
    assert.deepEqual(rules(['--rule', 'capabilities=off', '--all-rules']),
      ['readonly-root-filesystem warning', 'run-as-root warning', 'privilege-escalation warning', 'capabilities warning']);
    const privileged = tree({ '.kube-immutable.yaml': 'rules:\n  privileged-container: off\n', 'pod.yaml': POD.replace('busybox:1.36\n', 'busybox:1.36\n    securityContext: {privileged: true}\n') });
    assert.deepEqual(findings(run(['--format', 'json', '--all-rules', privileged]).stdout).filter(f => f.rule === 'privileged-container').map(f => f.severity), ['error']);
  });
});
