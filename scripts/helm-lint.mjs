// `npm run helm-lint`: charts linted in-process against what their rendered output reports.
// (a) The `helm create` scaffold (../shared/fixtures/helm/scaffold/mychart): the exact findings (file, line, rule)
//     sit in values.yaml; --fix changes only values.yaml, to the exact text below (readOnlyRootFilesystem
//     uncommented, allowPrivilegeEscalation beside it, nginx's write paths as volumes and volumeMounts), and the
//     chart then reports no readonly-root-filesystem, writable-paths-unmounted or privilege-escalation problem.
// (b) Every chart of ../shared/fixtures/helm/charts: the problems (rule, kind, name, container) of
//     `kube-immutable <chart>` equal those of `kube-immutable render --skip-tests <chart> | kube-immutable -`,
//     each placed in a file of the chart; a chart Helm cannot render reports a helm-template problem in it.
// Needs dist/ (npm run build). Skips, saying so, where ../shared is absent.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const HELM = resolve(ROOT, '..', 'shared', 'fixtures', 'helm');
const SCAFFOLD = join(HELM, 'scaffold', 'mychart');
const CHARTS = join(HELM, 'charts');

if (!existsSync(SCAFFOLD) || !existsSync(CHARTS)) {
  console.log(`helm-lint: skipped, ${HELM} is absent`);
  process.exit(0);
}

function cli(args, { cwd = ROOT, input } = {}) {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', input, maxBuffer: 256 << 20 });
  if (run.status === 2) throw new Error(`kube-immutable ${args.join(' ')} exited 2: ${run.stderr}`);
  return run;
}
const lint = (args, options) => JSON.parse(cli(['--format', 'json', ...args], options).stdout).findings;

let passed = 0, failed = 0;
const check = (name, failures) => {
  if (failures.length) { failed++; console.log(`FAIL ${name}\n  ${failures.join('\n  ')}`); } else { passed++; console.log(`ok   ${name}`); }
};
const same = (actual, expected) => (JSON.stringify(actual) === JSON.stringify(expected) ? [] : [`expected ${JSON.stringify(expected)}`, `got      ${JSON.stringify(actual)}`]);

// (a) The scaffold.
const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-helm-lint-'));
cpSync(SCAFFOLD, join(dir, 'mychart'), { recursive: true });
const where = f => `${f.file}:${f.line} ${f.rule}`;
check('scaffold: findings in values.yaml, on securityContext: {}', same(lint(['mychart'], { cwd: dir }).map(where), [
  'mychart/values.yaml:44 readonly-root-filesystem',
  'mychart/values.yaml:44 run-as-root',
  'mychart/values.yaml:44 privilege-escalation',
  'mychart/values.yaml:44 capabilities',
]));
const before = readFileSync(join(SCAFFOLD, 'values.yaml'), 'utf8');
cli(['--fix', 'mychart'], { cwd: dir });
const expected = before
  .replace('securityContext: {}\n', 'securityContext:\n')
  .replace('  # readOnlyRootFilesystem: true\n', '  readOnlyRootFilesystem: true\n  allowPrivilegeEscalation: false\n')
  .replace('volumes: []\n', 'volumes:\n- name: var-cache-nginx\n  emptyDir: {}\n- name: var-run\n  emptyDir: {}\n')
  .replace('volumeMounts: []\n', 'volumeMounts:\n- name: var-cache-nginx\n  mountPath: /var/cache/nginx\n- name: var-run\n  mountPath: /var/run\n');
const fixedValues = readFileSync(join(dir, 'mychart', 'values.yaml'), 'utf8');
check('scaffold: fix-all writes the expected values.yaml', fixedValues === expected ? [] : ['values.yaml differs from the expected text', fixedValues]);
const changedOthers = [];
const walk = (rel) => {
  for (const name of readdirSync(join(SCAFFOLD, rel), { withFileTypes: true })) {
    const path = join(rel, name.name);
    if (name.isDirectory()) walk(path);
    else if (path !== 'values.yaml' && readFileSync(join(SCAFFOLD, path), 'utf8') !== readFileSync(join(dir, 'mychart', path), 'utf8')) changedOthers.push(path);
  }
};
walk('');
check('scaffold: fix-all changes only values.yaml', changedOthers.map(path => `changed ${path}`));
const left = lint(['--rule', 'writable-paths-unmounted=warning', 'mychart'], { cwd: dir }).filter(f => ['readonly-root-filesystem', 'writable-paths-unmounted', 'privilege-escalation'].includes(f.rule));
check('scaffold: rendered again, no readonly-root-filesystem, writable-paths-unmounted or privilege-escalation', left.map(where));

// (b) Every chart: the same problems as its rendered output, each placed in the chart.
const problem = f => [f.rule, f.resource?.kind, f.resource?.name, f.container ?? ''].join(' ');
for (const name of readdirSync(CHARTS).sort()) {
  const chart = join(CHARTS, name);
  if (!existsSync(join(chart, 'Chart.yaml'))) continue;
  const rendered = cli(['render', '--skip-tests', chart]);
  const fromChart = lint([chart]);
  const failures = fromChart.filter(f => !resolve(f.file).startsWith(`${chart}/`)).map(f => `placed outside the chart: ${where(f)}`);
  if (rendered.status !== 0) {
    if (!fromChart.some(f => f.rule === 'helm-template')) failures.push(`helm template fails (${rendered.stderr.trim().split('\n')[0]}) but no helm-template problem is reported`);
  } else {
    const fromOutput = lint(['-'], { input: rendered.stdout }).map(problem).sort();
    failures.push(...same(fromChart.map(problem).sort(), fromOutput));
  }
  check(`chart ${name}: ${fromChart.length} problems, ${rendered.status === 0 ? 'as its rendered output' : 'a template error'}`, failures);
}

console.log(`helm-lint: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
