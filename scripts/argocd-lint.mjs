// `npm run argocd-lint`: argo-cd's Kustomize tree (../shared/fixtures/kustomize/real/argo-cd) linted as built must
// report what its committed build outputs report. For each pairing of cases.json: the problems (rule, kind, name,
// container) of `kube-immutable <root>` equal those of `kube-immutable <expected output>`, each placed in a file
// of the tree (never in a committed output); and linting the whole manifests/ folder reports nothing in
// manifests/ha/base/overlays/, the patches whose settings the HA base already has.
// Needs dist/ (npm run build). Skips, saying so, where ../shared is absent.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const ARGO_CD = resolve(ROOT, '..', 'shared', 'fixtures', 'kustomize', 'real', 'argo-cd');

if (!existsSync(join(ARGO_CD, 'cases.json'))) {
  console.log(`argocd-lint: skipped, ${ARGO_CD} is absent`);
  process.exit(0);
}

/** The findings of a CLI run in the argo-cd folder, as JSON. */
function lint(...args) {
  const run = spawnSync(process.execPath, [CLI, '--format', 'json', ...args], { cwd: ARGO_CD, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (run.status === 2) throw new Error(`kube-immutable ${args.join(' ')} exited 2: ${run.stderr}`);
  return JSON.parse(run.stdout).findings;
}

const problem = finding => [finding.rule, finding.resource.kind, finding.resource.name, finding.container ?? ''].join(' ');
/** Multiset difference a - b, as sorted lines. */
function missingFrom(a, b) {
  const left = [...b];
  return a.filter(item => { const i = left.indexOf(item); if (i < 0) return true; left.splice(i, 1); return false; }).sort();
}

const cases = JSON.parse(readFileSync(join(ARGO_CD, 'cases.json'), 'utf8'));
const outputs = new Set(cases.map(c => c.expected));
let passed = 0, failed = 0;
const check = (name, failures) => {
  if (failures.length) { failed++; console.log(`FAIL ${name}\n  ${failures.join('\n  ')}`); } else { passed++; console.log(`ok   ${name}`); }
};

for (const { root, expected } of cases) {
  const tree = lint(root);
  const output = lint('--no-kustomize', expected);
  const treeProblems = tree.map(problem);
  const outputProblems = output.map(problem);
  check(`${root}: ${tree.length} problems, the same as ${expected} (${output.length}), each in a file of the tree`, [
    ...missingFrom(outputProblems, treeProblems).map(p => `only in ${expected}: ${p}`),
    ...missingFrom(treeProblems, outputProblems).map(p => `only in the build of ${root}: ${p}`),
    ...tree.filter(f => outputs.has(f.file) || !f.file.startsWith('manifests/') || !existsSync(join(ARGO_CD, f.file)))
      .map(f => `placed outside the tree: ${f.file}: ${problem(f)}`),
  ]);
}

const overlays = 'manifests/ha/base/overlays/';
const whole = lint('manifests');
check(`manifests/: ${whole.length} problems, none in ${overlays}`,
  whole.filter(f => f.file.startsWith(overlays)).map(f => `${f.file}:${f.line}:${f.column} ${problem(f)}`));

console.log(`argocd-lint: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
