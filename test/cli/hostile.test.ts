import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLES } from '../fuzz/samples';
import { bareContainer } from '../helpers';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** `rule line:col-line:col` of each finding, as the JSON output gives them. */
const EXPECTED: Record<string, string[]> = {
  'an alias bomb': ['parse-error 6:61-6:64'],
  '100,000 levels of flow sequences': ['parse-error 8:514-8:515'],
  '100,000 levels of block sequences': ['parse-error 9:513-9:514'],
  'binary bytes': ['parse-error 1:1-1:2'],
  'invalid UTF-8': bareContainer('6:5-6:14'),
  // The second document starts with a byte order mark of its own.
  'byte order marks': [...bareContainer('6:5-6:14'), ...bareContainer('14:5-14:14')],
  // The yaml parser takes a lone CR for no line break, so the CR-ended third line runs into the fourth.
  'mixed CR, CRLF and LF': ['parse-error 3:22-3:27'],
  'a 1 MB single line': [...bareContainer('1:71-1:78'), 'mutable-image-reference 1:87-1:92'],
  'a map of 50,000 keys': bareContainer('50008:5-50008:14'),
};

describe('CLI on hostile files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-hostile-'));

  for (const sample of SAMPLES) {
    it(`reports ${sample.name} and exits 1, without a stack trace`, () => {
      const file = join(dir, 'hostile.yaml');
      writeFileSync(file, sample.bytes);
      const run = spawnSync(process.execPath, [CLI, '--format', 'json', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.equal(run.stderr, '');
      assert.equal(run.status, 1);
      const findings = JSON.parse(run.stdout).findings as { rule: string; line: number; column: number; endLine: number; endColumn: number }[];
      assert.deepEqual(findings.map(f => `${f.rule} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`), EXPECTED[sample.name]);
    });
  }
});
