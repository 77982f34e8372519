// The CLI sees the Namespaces of every linted file before it lints any, so the order of the files does not matter.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Sarif from 'sarif';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n';
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      containers:\n      - {name: web, image: "registry.example.com/web:1.0"}\n';
const ONLY_PSA = ['--rule', 'readonly-root-filesystem=off', '--rule', 'run-as-root=off', '--rule', 'privilege-escalation=off', '--rule', 'capabilities=off'];

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-pss-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function run(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
}

describe('pod-security-admission in the CLI', () => {
  it('applies a Namespace found in a file linted after the Deployment', () => {
    const dir = tree({ 'a-web.yaml': DEPLOYMENT, 'z-namespace.yaml': NAMESPACE });
    const { status, stdout } = run([...ONLY_PSA, '.'], dir);
    assert.equal(status, 1);
    assert.match(stdout, /^a-web\.yaml:6:5 error The namespace "shop" enforces the restricted Pod Security Standard \(latest\) \(pod-security\.kubernetes\.io\/enforce: restricted\), and this pod template fails 4 of its controls: .* pod-security-admission\n\n1 problem \(1 error, 0 warning, 0 info, 0 hint\) in 2 files\n$/);
  });

  it('points SARIF\'s related location at the Namespace\'s label in its own file', () => {
    const dir = tree({ 'a-web.yaml': DEPLOYMENT, 'z-namespace.yaml': NAMESPACE });
    const log = JSON.parse(run([...ONLY_PSA, '--format', 'sarif', '.'], dir).stdout) as Sarif.Log;
    const [result] = log.runs[0].results!;
    assert.equal(result.message.id, 'pod-security-admission/enforce');
    const label = result.relatedLocations!.at(-1)!;
    assert.deepEqual(label.physicalLocation, {
      artifactLocation: { uri: 'z-namespace.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 6, startColumn: 5, endLine: 6, endColumn: 51 },
    });
    assert.equal(label.message!.text, 'The namespace "shop" sets pod-security.kubernetes.io/enforce: restricted.');
  });

  it('takes the configuration\'s level for a namespace the files do not define, and the file\'s label over it', () => {
    const config = 'podSecurity:\n  namespaces: {shop: baseline}\n';
    assert.equal(run([...ONLY_PSA, '.'], tree({ '.kube-immutable.yaml': config, 'web.yaml': DEPLOYMENT })).status, 0);
    const withNamespace = run([...ONLY_PSA, '.'], tree({ '.kube-immutable.yaml': config, 'web.yaml': DEPLOYMENT, 'ns.yaml': NAMESPACE }));
    assert.equal(withNamespace.status, 1);
    assert.match(withNamespace.stdout, /enforces the restricted Pod Security Standard/);
  });

  it('with --fix, applies "Fix all Pod Security violations of this pod" and leaves nothing to report', () => {
    const dir = tree({ 'web.yaml': DEPLOYMENT, 'ns.yaml': NAMESPACE });
    const fixed = run([...ONLY_PSA, '--fix', '.'], dir);
    assert.equal(fixed.status, 0, fixed.stdout);
    assert.match(fixed.stderr, /pod-security-admission: Fix all Pod Security violations of this pod/);
  });
});
