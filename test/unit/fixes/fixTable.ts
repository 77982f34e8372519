// Fix tables: YAML in, the exact text after one offered fix out, as ESLint's `output` pins a fix.
import * as assert from 'node:assert/strict';
import { AnalyzeOptions, Finding } from '../../../server/src/engine';
import { applyTextEdits } from '../../../server/src/engine/fixes/apply';
import { findingsOf } from '../../helpers';

export interface FixCase {
  name: string;
  code: string;
  options?: AnalyzeOptions;
  /** Which fix: the one whose title matches; the preferred one when absent. */
  title?: RegExp;
  /** Index of the finding among the rule's findings (default 0). */
  finding?: number;
  /** The text after the fix, or null when no such fix may be offered. */
  output: string | null;
}

export function fixOutput(rule: string, code: string, choose: { title?: RegExp; finding?: number; options?: AnalyzeOptions }): string | null {
  const finding: Finding | undefined = findingsOf(rule, code, choose.options)[choose.finding ?? 0];
  assert.ok(finding, `no ${rule} finding`);
  const fix = finding.fixes?.find(f => (choose.title ? choose.title.test(f.title) : f.isPreferred));
  return fix ? applyTextEdits(code, fix.edits) : null;
}

export function testFixes(rule: string, cases: FixCase[]): void {
  describe(`${rule} fixes`, () => {
    for (const c of cases) it(c.name, () => assert.equal(fixOutput(rule, c.code, c), c.output));
  });
}

/** The titles of the fixes offered for a rule's first finding, the preferred one marked with `*`. */
export function fixTitles(rule: string, code: string, options?: AnalyzeOptions): string[] {
  const [finding] = findingsOf(rule, code, options);
  return (finding?.fixes ?? []).map(fix => `${fix.isPreferred ? '* ' : ''}${fix.title}`);
}

export const crlf = (text: string) => text.replace(/\n/g, '\r\n');
export const withoutFinalNewline = (text: string) => text.replace(/\r?\n$/, '');
