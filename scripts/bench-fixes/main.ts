// What computing the quick fixes with the findings costs: the analysis of a large stream with the rules as
// they are, next to the same analysis with every report's fixes left out. Computing a fix includes its check
// (engine/fixes/guard.ts). Run: node scripts/bench-fixes.mjs
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeText, RULES } from '../../server/src/engine';
import { Report, Rule, RuleContext } from '../../server/src/engine/rule';
import { deployment } from '../bench/manifests';

const ROOT = resolve(__dirname, '..', '..');
const FILE = resolve(process.argv[2] ?? join(ROOT, '..', 'shared', 'corpus', 'argo-cd-install.yaml'));
const RUNS = 15;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The rules' checks, once as they are and once with a context whose reports drop their fixes. */
const original = RULES.map(rule => ({ ...rule }));
type Check = 'checkObject' | 'checkPod' | 'checkContainer';
const CHECKS: Check[] = ['checkObject', 'checkPod', 'checkContainer'];

function withFixes(enabled: boolean): void {
  RULES.forEach((rule, i) => {
    for (const check of CHECKS) {
      const base = original[i][check] as ((target: never, context: RuleContext) => void) | undefined;
      if (!base) continue;
      (rule as Rule)[check] = enabled ? base as never : ((target: never, context: RuleContext) => base(target, {
        ...context, report: (report: Report) => context.report({ ...report, fixes: undefined }),
      })) as never;
    }
  });
}

function time(text: string, fixes: boolean): { ms: number; fixes: number } {
  withFixes(fixes);
  const start = process.hrtime.bigint();
  const { findings } = analyzeText(text, { allRules: true });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, fixes: findings.reduce((n, f) => n + (f.fixes?.length ?? 0), 0) };
}

function bench(name: string, text: string): void {
  const on: number[] = [], off: number[] = [];
  let fixes = 0;
  for (let i = 0; i < RUNS + 2; i++) {
    const a = time(text, true), b = time(text, false);
    if (i < 2) continue; // warm-up
    on.push(a.ms); off.push(b.ms); fixes = a.fixes;
  }
  const [withMs, withoutMs] = [median(on), median(off)];
  console.log(`${name}: ${withMs.toFixed(1)} ms with ${fixes} fixes, ${withoutMs.toFixed(1)} ms without; fixes cost ${(withMs - withoutMs).toFixed(1)} ms (${((withMs - withoutMs) / withoutMs * 100).toFixed(1)}%), medians of ${RUNS}`);
}

const text = readFileSync(FILE, 'utf8');
bench(FILE, text);
bench(`${FILE} with every readOnlyRootFilesystem: true turned false`, text.replace(/readOnlyRootFilesystem: true/g, 'readOnlyRootFilesystem: false'));
// One document holding many objects, as `kubectl get -o yaml` writes them: every fix is checked on its own item.
const unhardened = Array.from({ length: 100 }, (_, i) => deployment(i).replace(/\n {8}securityContext:\n.*\n.*\n/, '\n'));
const list = `apiVersion: v1\nkind: List\nitems:\n${unhardened.map(d => d.trimEnd().split('\n').map((line, j) => (j ? '    ' : '  - ') + line).join('\n')).join('\n')}\n`;
bench('a List of 100 Deployments without a securityContext', list);
