import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: pinned\n    image: nginx:1.27\n  - name: moving\n    image: nginx:latest\n';

function imageFindings(args: string[]): [string, number, number][] {
  const result = spawnSync(process.execPath, [CLI, '--format', 'json', ...args, '-'], { input: POD, encoding: 'utf8' });
  return JSON.parse(result.stdout).findings
    .filter((f: { rule: string }) => f.rule === 'mutable-image-reference')
    .map((f: { severity: string; line: number; column: number }) => [f.severity, f.line, f.column]);
}

describe('CLI and the hints a rule gives beside its warnings', () => {
  it('leaves out a tag without digest, which the editor shows as a hint', () => {
    assert.deepEqual(imageFindings([]), [['warning', 9, 17]]);
  });

  it('lists every finding when the rule itself is configured as a hint', () => {
    assert.deepEqual(imageFindings(['--rule', 'mutable-image-reference=hint']), [['hint', 7, 17], ['hint', 9, 17]]);
  });
});
