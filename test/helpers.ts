// Test helpers: a rule tester in the spirit of ESLint's (valid/invalid tables), and YAML text literals.
import * as assert from 'node:assert/strict';
import { analyzeText, AnalyzeOptions, BUILT_IN_CHECKS, Finding, Range, RULES } from '../server/src/engine';

/** Strips the indentation common to all lines of a template literal, and its first and last blank line. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '').replace(/\n[ \t]*$/, '\n');
  const indents = text.split('\n').filter(line => line.trim()).map(line => /^ */.exec(line)![0].length);
  const strip = Math.min(...indents);
  return text.split('\n').map(line => line.slice(strip)).join('\n');
}

/** `line:col-line:col`, 1-based like an editor shows it. */
export function formatRange(range: Range): string {
  return `${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1}`;
}

export interface ExpectedFinding {
  range: string;
  messageId?: string;
  message?: RegExp;
  container?: string;
  severity?: Finding['severity'];
  related?: string[];
}

export interface RuleTable {
  valid: { name: string; code: string; options?: AnalyzeOptions }[];
  invalid: { name: string; code: string; options?: AnalyzeOptions; findings: ExpectedFinding[] }[];
}

export function findingsOf(rule: string, code: string, options: AnalyzeOptions = {}): Finding[] {
  return analyzeText(code, { allRules: true, ...options }).findings.filter(f => f.rule === rule);
}

const MESSAGES = new Map([...RULES.map(rule => rule.meta), ...BUILT_IN_CHECKS].map(meta => [meta.id, meta.messages]));

export function testRule(rule: string, table: RuleTable): void {
  describe(rule, () => {
    describe('valid', () => {
      for (const { name, code, options } of table.valid) {
        it(name, () => assert.deepEqual(findingsOf(rule, code, options).map(f => `${formatRange(f.range)} ${f.message}`), []));
      }
    });
    describe('invalid', () => {
      for (const { name, code, options, findings: expected } of table.invalid) {
        it(name, () => {
          const actual = findingsOf(rule, code, options);
          assert.deepEqual(actual.map(f => formatRange(f.range)), expected.map(e => e.range), 'ranges');
          for (const f of actual) assert.ok(f.messageId in (MESSAGES.get(rule) ?? {}), `${f.messageId} is listed in the meta of ${rule}`);
          expected.forEach((e, i) => {
            const f = actual[i];
            if (e.messageId) assert.equal(f.messageId, e.messageId);
            if (e.message) assert.match(f.message, e.message);
            if ('container' in e) assert.equal(f.container, e.container);
            if (e.severity) assert.equal(f.severity, e.severity);
            if (e.related) assert.deepEqual((f.related ?? []).map(r => formatRange(r.range)), e.related);
          });
        });
      }
    });
  });
}

/** The rules that fire on a container without a securityContext, in the order the engine reports them. */
export const BARE_CONTAINER_RULES = ['readonly-root-filesystem', 'run-as-root', 'privilege-escalation', 'capabilities'];

/** `<rule> <rest>` for each rule that fires on a container without a securityContext, all at one place. */
export const bareContainer = (rest: string): string[] => BARE_CONTAINER_RULES.map(rule => `${rule} ${rest}`);
