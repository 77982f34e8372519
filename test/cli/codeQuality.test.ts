import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeQualityIssue } from '../../server/src/codeQuality';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n'
  + '    securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, privileged: true}\n';

function codeQuality(files: Record<string, string>, args: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-codequality-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const result = spawnSync(process.execPath, [CLI, '--format', 'codequality', ...args, 'k8s'], { cwd: dir, encoding: 'utf8' });
  const json = spawnSync(process.execPath, [CLI, '--format', 'json', ...args, 'k8s'], { cwd: dir, encoding: 'utf8' });
  const messages = (JSON.parse(json.stdout).findings as { message: string }[]).map(finding => finding.message);
  return { status: result.status, stderr: result.stderr, issues: JSON.parse(result.stdout) as CodeQualityIssue[], messages };
}

describe('CLI --format codequality', () => {
  it('prints one GitLab code quality issue per finding, with the path relative to the working directory', () => {
    const { status, stderr, issues, messages } = codeQuality({ 'k8s/web.yaml': POD });
    assert.equal(stderr, '');
    assert.equal(status, 1);
    assert.deepEqual(issues.map(({ fingerprint: _, ...issue }) => issue), [
      { description: messages[0], check_name: 'readonly-root-filesystem', severity: 'minor', location: { path: 'k8s/web.yaml', lines: { begin: 8, end: 8 } } },
      { description: messages[1], check_name: 'privileged-container', severity: 'major', location: { path: 'k8s/web.yaml', lines: { begin: 8, end: 8 } } },
    ]);
    assert.match(messages[0], /^Container "web" does not set readOnlyRootFilesystem: true/);
    assert.match(messages[1], /^Container "web" runs privileged/);
    for (const { fingerprint } of issues) assert.match(fingerprint, /^[0-9a-f]{64}$/);
  });

  it('gives every issue its own fingerprint, which lines added above do not change', () => {
    const twice = `${POD}---\n${POD}`;
    const before = codeQuality({ 'k8s/web.yaml': twice }).issues;
    const after = codeQuality({ 'k8s/web.yaml': `# a comment\n# another\n${twice}` }).issues;
    assert.equal(new Set(before.map(issue => issue.fingerprint)).size, 4);
    assert.deepEqual(after.map(issue => issue.fingerprint), before.map(issue => issue.fingerprint));
    assert.deepEqual(after.map(issue => issue.location.lines.begin), before.map(issue => issue.location.lines.begin + 2));
  });

  it('maps info and hint to info', () => {
    const { issues } = codeQuality({ 'k8s/web.yaml': POD }, ['--rule', 'readonly-root-filesystem=info', '--rule', 'privileged-container=hint']);
    assert.deepEqual(issues.map(issue => `${issue.check_name} ${issue.severity}`), ['readonly-root-filesystem info', 'privileged-container info']);
  });
});
