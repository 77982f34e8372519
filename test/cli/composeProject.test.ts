// Compose projects through the CLI: compose.yaml with its override file, a chain the configuration names, --fix
// across files, and a broken project.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Sarif from 'sarif';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

const BASE = [
  'services:',
  '  web:',
  '    image: nginx:1.27.3',
  '    user: "101"',
  '    security_opt: [no-new-privileges:true]',
  '    cap_drop: [ALL]',
  '',
].join('\n');

const OVERRIDE = 'services:\n  web:\n    read_only: false\n';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-compose-project-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

type JsonFinding = { file: string; line: number; column: number; rule: string; container?: string };
const lines = (stdout: string) => (JSON.parse(stdout).findings as JsonFinding[]).map(f => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.container ?? ''}`.trim());

describe('CLI on Compose projects', () => {
  it('a folder: compose.override.yaml merged over compose.yaml, the finding on the override\'s line, both files linted', () => {
    const dir = project({ 'compose.yaml': BASE, 'compose.override.yaml': OVERRIDE });
    const { status, stdout } = run(['--format', 'json', '.'], dir);
    assert.equal(status, 1);
    assert.deepEqual(lines(stdout), ['compose.override.yaml:3:16 readonly-root-filesystem web']);
    assert.equal(JSON.parse(stdout).filesLinted, 2);
  });

  it('the override file alone given: read with its base, which completes the service', () => {
    const dir = project({ 'compose.yaml': BASE, 'compose.override.yaml': 'services:\n  web:\n    ports: ["8080:80"]\n' });
    const { status, stdout } = run(['--format', 'json', 'compose.override.yaml'], dir);
    assert.equal(status, 1);
    assert.deepEqual(lines(stdout), ['compose.yaml:2:3 readonly-root-filesystem web']);
  });

  it('a chain named in .kube-immutable.yaml, as docker compose -f compose.yaml -f compose.prod.yaml', () => {
    const dir = project({
      'deploy/compose.yaml': BASE,
      'deploy/compose.prod.yaml': 'services:\n  web:\n    read_only: true\n    tmpfs: [/var/cache/nginx, /var/run]\n',
      '.kube-immutable.yaml': '# .kube-immutable.yaml\ncompose:\n  projects:\n    deploy/:\n      files: [compose.yaml, compose.prod.yaml]\n',
    });
    const { status, stdout, stderr } = run(['--format', 'json', '.'], dir);
    assert.equal(stderr, '');
    assert.equal(status, 0);
    assert.deepEqual(lines(stdout), []);
    // Without the configuration, compose.prod.yaml is not a part of the project: compose.yaml alone lacks read_only.
    const alone = project({ 'deploy/compose.yaml': BASE });
    assert.deepEqual(lines(run(['--format', 'json', '.'], alone).stdout), ['deploy/compose.yaml:2:3 readonly-root-filesystem web']);
  });

  it('--fix edits each file that holds a key: read_only in the override, the tmpfs nobody sets in the base', () => {
    const dir = project({ 'compose.yaml': BASE, 'compose.override.yaml': OVERRIDE });
    const { status, stderr } = run(['--fix', '.'], dir);
    assert.equal(status, 0, stderr);
    assert.equal(readFileSync(join(dir, 'compose.override.yaml'), 'utf8'), 'services:\n  web:\n    read_only: true\n');
    assert.equal(readFileSync(join(dir, 'compose.yaml'), 'utf8'), `${BASE}    tmpfs: [/var/cache/nginx, /var/run]\n`);
    assert.match(stderr, /Fixed 1 problem \(readonly-root-filesystem 1\) in compose.override.yaml/);
  });

  it('SARIF: the fix of a finding names the edits of both files', () => {
    const dir = project({ 'compose.yaml': BASE, 'compose.override.yaml': OVERRIDE });
    const log: Sarif.Log = JSON.parse(run(['--format', 'sarif', '.'], dir).stdout);
    const [result] = log.runs[0].results!;
    assert.equal(result.ruleId, 'readonly-root-filesystem');
    const preferred = result.fixes!.find(fix => fix.description!.text!.startsWith('Set read_only: true and mount tmpfs'))!;
    assert.deepEqual(preferred.artifactChanges.map(change => change.artifactLocation.uri).sort(), ['compose.override.yaml', 'compose.yaml']);
  });

  it('a missing extends file and an include cycle: errors at fault, exit 1, the rest checked', () => {
    const dir = project({
      'compose.yaml': 'include: [other.yaml]\nservices:\n  web:\n    extends: {file: gone.yaml, service: base}\n    image: nginx:1.27.3\n',
      'other.yaml': 'include: [compose.yaml]\nservices: {}\n',
    });
    const { status, stdout } = run(['--format', 'json', 'compose.yaml'], dir);
    assert.equal(status, 1);
    const findings = JSON.parse(stdout).findings as (JsonFinding & { message: string })[];
    assert.deepEqual(findings.filter(f => f.rule === 'compose-project').map(f => `${f.file}:${f.line}:${f.column} ${f.message}`), [
      'compose.yaml:4:21 extends names gone.yaml, which cannot be read: it is not there. The service is checked only for the values it has.',
      'other.yaml:1:11 include makes a cycle (compose.yaml -> other.yaml -> compose.yaml): docker compose refuses it, so compose.yaml is not included again.',
    ]);
  });
});
