// The CI checks of the source itself (scripts/checks), run on small trees written here: each must fail on
// exactly what it guards against, and say where.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

function runCheck(script: string, files: Record<string, string>): { status: number | null; lines: string[]; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-check-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  try {
    const run = spawnSync(process.execPath, [join('scripts/checks', script), relative(process.cwd(), dir)], { encoding: 'utf8' });
    return { status: run.status, lines: run.stdout.trim().split('\n').map(line => line.split(relative(process.cwd(), dir) + '/').join('')), dir };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('source checks', function () {
  this.timeout(30_000);

  describe('regex-check', () => {
    it('passes linear patterns', () => {
      const { status, lines } = runCheck('regex-check.mjs', {
        'safe.ts': "export const KIND = /^kind:[ \\t]*([A-Za-z]+)$/m;\nexport const WORDS = new RegExp('^[a-z]+(?:-[a-z]+)*$');\n",
      });
      assert.deepEqual(lines, ['regex-check: 2 passed, 0 failed']);
      assert.equal(status, 0);
    });

    it('allows a pattern the user wrote only where the comment says so, and counts it apart', () => {
      const { status, lines } = runCheck('regex-check.mjs', {
        'user.ts': 'export function matches(pattern: string, text: string): boolean {\n  // regex-check: a pattern the user wrote, run as written\n  return new RegExp(pattern).test(text);\n}\n',
      });
      assert.deepEqual(lines, [
        'user.ts:3: new RegExp(pattern): allowed (a pattern the user wrote)',
        'regex-check: 0 passed, 0 failed',
        'regex-check: 1 allowed (patterns the user wrote)',
      ]);
      assert.equal(status, 0);
      const unmarked = runCheck('regex-check.mjs', { 'user.ts': 'export const matches = (pattern: string) => new RegExp(pattern);\n' });
      assert.equal(unmarked.status, 1);
    });

    it('fails an exponential, a polynomial and an unknowable pattern, and says where', () => {
      const { status, lines } = runCheck('regex-check.mjs', {
        'safe.ts': 'export const TAG = /^\\w[\\w.-]{0,127}$/;\n',
        'sub/bad.ts': [
          'export const NESTED = /(a+)+$/;',
          'export const TRAILING = /\\/+$/;',
          'export const built = (word: string) => new RegExp(`^${word}$`);',
          '',
        ].join('\n'),
      });
      assert.deepEqual(lines, [
        'sub/bad.ts:1: /(a+)+$/: exponential backtracking, e.g. on "\'a\' + \'a\'.repeat(31) + \'\\\\x00a\'"',
        'sub/bad.ts:2: /\\/+$/: 2nd degree polynomial backtracking, e.g. on "\'/\'.repeat(54773) + \'\\\\x00/\'"',
        'sub/bad.ts:3: new RegExp(`^${word}$`): built at run time, so it cannot be checked: write it as a literal',
        'regex-check: 1 passed, 3 failed',
      ]);
      assert.equal(status, 1);
    });
  });

  describe('import-cycles', () => {
    it('passes imports that go one way, type-only ones included', () => {
      const { status, lines } = runCheck('import-cycles.mjs', {
        'rules/rule.ts': "import { fix } from '../fixes/fix';\nimport type { Fact } from '../facts';\nexport const rule = (fact: Fact) => fix(fact);\n",
        'fixes/fix.ts': "import { Fact } from '../facts';\nexport const fix = (fact: Fact) => fact.name;\n",
        'facts.ts': 'export interface Fact { name: string }\n',
      });
      assert.deepEqual(lines, ['import-cycles: 3 passed, 0 failed']);
      assert.equal(status, 0);
    });

    it('fails a cycle through a type-only import, naming every module on it', () => {
      const { status, lines } = runCheck('import-cycles.mjs', {
        'rules/rule.ts': "import { fix } from '../fixes/fix';\nexport interface Site { at: number }\nexport const rule = () => fix({ at: 1 });\n",
        'fixes/fix.ts': "import type { Site } from '../rules/rule';\nexport const fix = (site: Site) => site.at;\n",
        'facts.ts': 'export const none = 0;\n',
      });
      assert.equal(lines.length, 2, lines.join('\n'));
      assert.match(lines[0], /^import cycle: .*(rules\/rule\.ts -> .*fixes\/fix\.ts -> .*rules\/rule\.ts|fixes\/fix\.ts -> .*rules\/rule\.ts -> .*fixes\/fix\.ts)$/);
      assert.equal(lines[1], 'import-cycles: 1 passed, 2 failed');
      assert.equal(status, 1);
    });
  });
});
