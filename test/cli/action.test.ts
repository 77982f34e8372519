// The composite action, run the way the GitHub runner runs it: its `run:` steps, with their `${{ }}`
// expressions replaced by the inputs, each by `bash --noprofile --norc -eo pipefail` in the workspace. The
// workspace is a folder of a project that has the packed package installed, so that `npx` finds it there
// instead of in the registry.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { installedPackage, ROOT, run } from './npmPackage';

interface Step { name?: string; shell?: string; env?: Record<string, string>; run?: string; uses?: string }
interface Action {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const ACTION = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n';

/** Replaces each `${{ inputs.<name> }}` and `${{ github.action_path }}`; any other expression fails the test. */
function substitute(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    if (expression === 'github.action_path') return ROOT;
    const input = /^inputs\.([\w-]+)$/.exec(expression)?.[1];
    if (input === undefined || !(input in ACTION.inputs)) throw new Error(`unknown expression \${{ ${expression} }}`);
    return inputs[input] ?? ACTION.inputs[input].default ?? '';
  });
}

/** Runs the action's steps in `workspace`; stops at the first step that fails, as the runner does. */
function runAction(workspace: string, given: Record<string, string> = {}) {
  for (const name of Object.keys(given)) assert.ok(name in ACTION.inputs, `the action has an input ${name}`);
  let stdout = '', stderr = '', status: number | null = 0;
  for (const step of ACTION.runs.steps) {
    assert.equal(step.shell, 'bash', `step "${step.name}" runs in bash`);
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, substitute(value, given)]));
    const result = run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', substitute(step.run!, given)], workspace, { ...env, GITHUB_ACTION_PATH: ROOT });
    stdout += result.stdout; stderr += result.stderr; status = result.status;
    if (status !== 0) break;
  }
  const outputs = Object.fromEntries(Object.entries(ACTION.outputs).map(([key, output]) => [key, substitute(output.value, given)]));
  return { status, stdout, stderr, outputs };
}

interface SarifLog { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] }

function sarifResults(file: string): string[] {
  const log = JSON.parse(readFileSync(file, 'utf8')) as SarifLog;
  return log.runs[0].results.map(result => {
    const { artifactLocation, region } = result.locations[0].physicalLocation;
    return `${artifactLocation.uri}:${region.startLine} ${result.ruleId}`;
  });
}

describe('CI action', function () {
  this.timeout(60000);

  function workspace(files: Record<string, string>): string {
    const dir = mkdtempSync(join(installedPackage().project, 'workspace-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }

  it('is a composite action whose steps all run in bash', () => {
    assert.equal(ACTION.runs.using, 'composite');
    assert.deepEqual(Object.keys(ACTION.inputs), ['paths', 'max-warnings', 'config', 'sarif-file']);
    assert.ok(ACTION.runs.steps.every(step => step.run && step.shell === 'bash'));
  });

  it('writes the SARIF log and fails on a warning, with the findings as text in the log', () => {
    const dir = workspace({ 'k8s/web.yaml': POD, 'other/web.yaml': POD });
    const result = runAction(dir, { paths: 'k8s/' });
    assert.equal(result.status, 1);
    assert.deepEqual(result.outputs, { 'sarif-file': 'kube-immutable.sarif' });
    const expected = ['readonly-root-filesystem', 'run-as-root', 'privilege-escalation', 'capabilities'].map(rule => `k8s/web.yaml:6 ${rule}`);
    assert.deepEqual(sarifResults(join(dir, 'kube-immutable.sarif')), expected);
    assert.match(result.stdout, /^k8s\/web\.yaml:6:5 warning Container "web" does not set readOnlyRootFilesystem: true/);
    assert.match(result.stdout, /\n4 problems \(0 error, 4 warning, 0 info, 0 hint\) in 1 file\n$/);
  });

  it('passes with no more warnings than max-warnings, lints every path given, and writes where sarif-file says', () => {
    const dir = workspace({ 'k8s/web.yaml': POD, 'other/web.yaml': POD, '.kube-immutable.yaml': 'rules:\n  capabilities: off\n  run-as-root: off\n' });
    const result = runAction(dir, { 'paths': 'k8s/web.yaml\nother/', 'max-warnings': '4', 'sarif-file': 'reports.sarif' });
    assert.equal(result.status, 0);
    assert.deepEqual(result.outputs, { 'sarif-file': 'reports.sarif' });
    assert.deepEqual(sarifResults(join(dir, 'reports.sarif')), [
      'k8s/web.yaml:6 readonly-root-filesystem', 'k8s/web.yaml:6 privilege-escalation',
      'other/web.yaml:6 readonly-root-filesystem', 'other/web.yaml:6 privilege-escalation',
    ]);
    assert.match(result.stdout, /\n4 problems \(0 error, 4 warning, 0 info, 0 hint\) in 2 files\n$/);
  });

  it('lints with the configuration file given, and stops with its problems when it is wrong', () => {
    const dir = workspace({ 'k8s/web.yaml': POD, 'ci/lenient.yaml': 'rules:\n  readonly-root-filesystem: hint\n  run-as-root: hint\n  privilege-escalation: hint\n  capabilities: hint\n', 'ci/broken.yaml': 'rulez: {}\n' });
    assert.equal(runAction(dir, { paths: 'k8s', config: 'ci/lenient.yaml' }).status, 0);
    const broken = runAction(dir, { paths: 'k8s', config: 'ci/broken.yaml' });
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /^kube-immutable: .*ci\/broken\.yaml:1:1: /m);
  });

  it('never runs an input as shell code', () => {
    const dir = workspace({ 'k8s/web.yaml': POD });
    const result = runAction(dir, { paths: 'k8s/ $(touch pwned) `touch pwned`', config: '$(touch pwned)' });
    assert.equal(result.status, 2);
    assert.equal(existsSync(join(dir, 'pwned')), false);
    assert.match(result.stderr, /^kube-immutable: .*\$\(touch pwned\)/m);
  });
});
