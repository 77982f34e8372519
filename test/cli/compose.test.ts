// Compose files through the CLI: text, JSON, SARIF and --fix, with the configuration file's rule settings.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Sarif from 'sarif';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

const COMPOSE = [
  'services:',
  '  web:',
  '    image: nginx:1.27.2',
  '    user: "101:101"',
  '    security_opt: [no-new-privileges:true]',
  '    cap_drop: [ALL]',
  '    volumes:',
  '      - ./html:/usr/share/nginx/html',
  '',
].join('\n');

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-compose-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('CLI on Compose files', () => {
  // The hint on the tag without a digest is left out, as the CLI leaves out hints.
  it('finds compose.yaml in a folder and prints its findings by service', () => {
    const dir = project({ 'compose.yaml': COMPOSE });
    const { status, stdout } = run(['--format', 'json', '.'], dir);
    assert.equal(status, 1);
    const { findings } = JSON.parse(stdout);
    assert.deepEqual(findings.map((f: { line: number; column: number; rule: string; container: string; resource: object }) =>
      `${f.line}:${f.column} ${f.rule} ${f.container} ${JSON.stringify(f.resource)}`), [
      '2:3 readonly-root-filesystem web {}',
      '8:9 writable-host-path web {}',
    ]);
  });

  it('writes SARIF results with their fixes', () => {
    const dir = project({ 'docker-compose.yml': COMPOSE });
    const log: Sarif.Log = JSON.parse(run(['--format', 'sarif', '.'], dir).stdout);
    const results = log.runs[0].results!;
    assert.deepEqual(results.map(r => `${r.ruleId} ${r.locations![0].physicalLocation!.artifactLocation!.uri} ${r.locations![0].physicalLocation!.region!.startLine}`), [
      'readonly-root-filesystem docker-compose.yml 2',
      'writable-host-path docker-compose.yml 8',
    ]);
    assert.deepEqual(results[1].fixes!.map(fix => fix.description!.text), ['Add :ro to the bind mount']);
  });

  it('applies the configuration file\'s rule settings, and --fix writes the preferred fixes', () => {
    const dir = project({ 'compose.yaml': COMPOSE, '.kube-immutable.yaml': 'rules:\n  mutable-image-reference: off\n' });
    const { status, stderr } = run(['--fix', 'compose.yaml'], dir);
    assert.equal(status, 0, stderr);
    assert.equal(readFileSync(join(dir, 'compose.yaml'), 'utf8'), [
      ...COMPOSE.split('\n').slice(0, 7),
      '      - ./html:/usr/share/nginx/html:ro',
      '    read_only: true',
      '    tmpfs: [/var/cache/nginx, /var/run]',
      '',
    ].join('\n'));
  });
});
