// `kube-immutable <chart-dir>`: the chart rendered in-process and linted, findings in its templates and values
// files, the chart flags as `helm template` takes them, and --fix writing values.yaml and templates.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const SCAFFOLD = join(ROOT, '..', 'shared', 'fixtures', 'helm', 'scaffold', 'mychart');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of a chart in a new folder, as `chart/`. */
function copy(chart: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-helm-'));
  cpSync(chart, join(dir, 'chart'), { recursive: true });
  return dir;
}

const lines = (stdout: string) => stdout.split('\n').filter(line => /^\S+:\d+:\d+ /.test(line)).map(line => `${line.split(' ')[0]} ${line.split(' ').pop()}`);

describe('CLI on a Helm chart', () => {
  it('reports the findings in the templates and values files of the chart', () => {
    const dir = copy(join(ROOT, 'test', 'fixtures', 'helm', 'shop'));
    const result = run(['chart'], dir);
    assert.equal(result.status, 1);
    assert.deepEqual(lines(result.stdout), [
      'chart/charts/cache/values.yaml:3:3 readonly-root-filesystem',
      'chart/templates/worker.yaml:11:11 privilege-escalation',
      'chart/templates/worker.yaml:13:37 readonly-root-filesystem',
      'chart/templates/worker.yaml:16:11 readonly-root-filesystem',
      'chart/templates/worker.yaml:16:11 run-as-root',
      'chart/templates/worker.yaml:16:11 privilege-escalation',
      'chart/templates/worker.yaml:16:11 capabilities',
      'chart/values.yaml:5:1 readonly-root-filesystem',
      'chart/values.yaml:5:1 run-as-root',
      'chart/values.yaml:5:1 privilege-escalation',
      'chart/values.yaml:5:1 capabilities',
    ]);
  });

  it('counts the chart\'s files in its summary, those without findings too, and not an excluded one', () => {
    const dir = copy(join(ROOT, 'test', 'fixtures', 'helm', 'shop'));
    // Chart.yaml, values.yaml, _helpers.tpl, deployment.yaml and worker.yaml, and the subchart's three files.
    assert.equal(run(['chart'], dir).stdout.split('\n').at(-2), '11 problems (0 error, 11 warning, 0 info, 0 hint) in 8 files');
    assert.equal((JSON.parse(run(['--format', 'json', 'chart'], dir).stdout) as { filesLinted: number }).filesLinted, 8);
    writeFileSync(join(dir, '.kube-immutable.yaml'), 'exclude:\n  - chart/templates/worker.yaml\n');
    assert.equal(run(['chart'], dir).stdout.split('\n').at(-2), '5 problems (0 error, 5 warning, 0 info, 0 hint) in 7 files');
    const values = readFileSync(join(dir, 'chart', 'values.yaml'), 'utf8')
      .replace('securityContext: {}', 'securityContext: {readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}')
      .replace('volumes: []', 'volumes: [{name: cache, emptyDir: {}}, {name: run, emptyDir: {}}]')
      .replace('volumeMounts: []', 'volumeMounts: [{name: cache, mountPath: /var/cache/nginx}, {name: run, mountPath: /var/run}]');
    writeFileSync(join(dir, 'chart', 'values.yaml'), values);
    const cache = join(dir, 'chart', 'charts', 'cache', 'values.yaml');
    writeFileSync(cache, readFileSync(cache, 'utf8').replace('readOnlyRootFilesystem: false', 'readOnlyRootFilesystem: true'));
    assert.equal(run(['chart'], dir).stdout, '\nNo problems in 7 files\n');
  });

  it('renders with --set, and points JSON into the source files', () => {
    const dir = copy(join(ROOT, 'test', 'fixtures', 'helm', 'shop'));
    const result = run(['--format', 'json', '--set', 'cache.securityContext.readOnlyRootFilesystem=true', '--release-name', 'prod', 'chart'], dir);
    const { findings } = JSON.parse(result.stdout) as { findings: { file: string; line: number; rule: string; resource: { name: string } }[] };
    assert.deepEqual(findings.filter(f => f.file.includes('cache')), []);
    assert.deepEqual(findings.map(f => `${f.file}:${f.line} ${f.resource.name}`).slice(0, 2), ['chart/templates/worker.yaml:11 prod-shop-worker', 'chart/templates/worker.yaml:13 prod-shop-worker']);
  });

  it('lints each value set the configuration names, a problem they share once, with the namespace\'s Pod Security level', () => {
    const dir = copy(join(ROOT, 'test', 'fixtures', 'helm', 'shop'));
    writeFileSync(join(dir, 'chart', 'values-strict.yaml'), 'cache:\n  securityContext:\n    readOnlyRootFilesystem: true\n');
    writeFileSync(join(dir, '.kube-immutable.yaml'), [
      'helm:', '  charts:', '    chart:', '      - {}', '      - values: [values-strict.yaml]', '        namespace: prod',
      'podSecurity:', '  namespaces:', '    prod: restricted', '',
    ].join('\n'));
    const { findings } = JSON.parse(run(['--format', 'json', 'chart'], dir).stdout) as { findings: { file: string; line: number; rule: string; related: { message: string }[] }[] };
    const summary = (f: typeof findings[number]) => `${f.file}:${f.line} ${f.rule} ${f.related.filter(r => r.message.startsWith('Rendered by')).map(r => r.message).join(' | ')}`;
    assert.deepEqual(findings.filter(f => f.rule === 'readonly-root-filesystem').map(summary), [
      'chart/charts/cache/values.yaml:3 readonly-root-filesystem Rendered by chart shop as StatefulSet release-name-cache.',
      'chart/templates/worker.yaml:13 readonly-root-filesystem Rendered by chart shop as Deployment release-name-shop-worker. | Rendered by chart shop with values-strict.yaml, namespace prod as Deployment release-name-shop-worker.',
      'chart/templates/worker.yaml:16 readonly-root-filesystem Rendered by chart shop as Deployment release-name-shop-worker. | Rendered by chart shop with values-strict.yaml, namespace prod as Deployment release-name-shop-worker.',
      'chart/values.yaml:5 readonly-root-filesystem Rendered by chart shop as Deployment release-name-shop. | Rendered by chart shop with values-strict.yaml, namespace prod as Deployment release-name-shop.',
    ]);
    // Only the value set in namespace prod is held to the restricted level.
    assert.deepEqual(findings.filter(f => f.rule === 'pod-security-admission').map(f => `${f.file}:${f.line} ${f.related.filter(r => r.message.startsWith('Rendered by')).length}`), [
      'chart/charts/cache/templates/statefulset.yaml:7 1', 'chart/templates/worker.yaml:11 1', 'chart/values.yaml:5 1',
    ]);
  });

  it('honours suppressions in templates: a template comment, a YAML comment, and the annotation rendered from values', () => {
    const dir = copy(join(ROOT, 'test', 'fixtures', 'helm', 'shop'));
    const edit = (path: string, change: (text: string) => string) => writeFileSync(join(dir, 'chart', path), change(readFileSync(join(dir, 'chart', path), 'utf8')));
    edit('templates/worker.yaml', text => text
      .replace('        - name: sidecar\n', '        {{- /* kube-immutable-ignore privilege-escalation,capabilities -- a vendor sidecar */}}\n        - name: sidecar\n')
      .replace('        - name: worker\n', '        # kube-immutable-ignore readonly-root-filesystem -- writes its spool in the image\n        - name: worker\n'));
    edit('templates/deployment.yaml', text => text.replace('spec:\n  template:\n', 'spec:\n  template:\n    metadata:\n      annotations:\n        {{- toYaml .Values.podAnnotations | nindent 8 }}\n'));
    edit('values.yaml', text => `${text}podAnnotations:\n  kube-immutable.io/ignore: run-as-root,capabilities\n`);
    assert.deepEqual(lines(run(['chart'], dir).stdout), [
      'chart/charts/cache/values.yaml:3:3 readonly-root-filesystem',
      'chart/templates/worker.yaml:12:11 privilege-escalation',
      'chart/templates/worker.yaml:18:11 readonly-root-filesystem',
      'chart/templates/worker.yaml:18:11 run-as-root',
      'chart/values.yaml:5:1 readonly-root-filesystem',
      'chart/values.yaml:5:1 privilege-escalation',
    ]);
  });

  it('reports a template comment or a values file comment that suppresses nothing in any value set, not one above what is not rendered', () => {
    const dir = copy(join(ROOT, 'test', 'fixtures', 'helm', 'shop'));
    const edit = (path: string, change: (text: string) => string) => writeFileSync(join(dir, 'chart', path), change(readFileSync(join(dir, 'chart', path), 'utf8')));
    // The sidecar has no securityContext: capabilities is used, privileged-container is not.
    edit('templates/worker.yaml', text => text.replace('        - name: sidecar\n', '        {{- /* kube-immutable-ignore capabilities, privileged-container -- a vendor sidecar */}}\n        - name: sidecar\n'));
    // The worker's image is pinned by digest: nothing is placed on its key. No template prints `debug`, which an
    // `if` reads: its comment is not judged.
    edit('values.yaml', text => text.replace('worker:\n', '# kube-immutable-ignore run-as-root -- the worker image\nworker:\n')
      + '# kube-immutable-ignore privileged-container -- the debug pod\ndebug: false\n');
    writeFileSync(join(dir, 'chart', 'templates', 'debug.yaml'), [
      '{{- if .Values.debug }}', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: debug', 'spec:', '  containers:',
      '    {{- /* kube-immutable-ignore privileged-container -- a debug pod */}}', '    - name: debug',
      '      image: busybox@sha256:4d5c2f0e6b1a9c8d7e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d', '{{- end }}', '',
    ].join('\n'));
    type Item = { file: string; line: number; column: number; endColumn: number; severity: string; message: string };
    const unused = (args: string[]) => (JSON.parse(run(['--format', 'json', ...args, 'chart'], dir).stdout).findings as (Item & { rule: string })[])
      .filter(f => f.rule === 'unused-suppression').map(({ file, line, column, endColumn, severity, message }) => ({ file, line, column, endColumn, severity, message }));
    const sidecar = {
      file: 'chart/templates/worker.yaml', line: 16, column: 52, endColumn: 72, severity: 'hint',
      message: '{{/* kube-immutable-ignore */}} ignores privileged-container, but privileged-container reports nothing here: remove it so that it does not hide a future finding.',
    };
    const values = {
      file: 'chart/values.yaml', line: 16, column: 25, endColumn: 36, severity: 'hint',
      message: '# kube-immutable-ignore ignores run-as-root, but run-as-root reports nothing here: remove it so that it does not hide a future finding.',
    };
    // The debug pod is not rendered with the chart's values: its directive is not judged.
    assert.deepEqual(unused([]), [sidecar, values]);
    assert.deepEqual(unused(['--set', 'debug=true']), [{ ...sidecar, file: 'chart/templates/debug.yaml', line: 8, column: 34, endColumn: 54 }, sidecar, values]);
    // The fix takes the rule out of the template comment, with its separator.
    const sarif = JSON.parse(run(['--format', 'sarif', 'chart'], dir).stdout);
    const fix = sarif.runs[0].results.find((r: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.ruleId === 'unused-suppression' && r.locations[0].physicalLocation.artifactLocation.uri.endsWith('worker.yaml')).fixes[0];
    assert.equal(fix.description.text, 'Remove privileged-container from the suppression comment');
    assert.deepEqual(fix.artifactChanges[0].replacements, [{ deletedRegion: { startLine: 16, startColumn: 50, endLine: 16, endColumn: 72 }, insertedContent: { text: '' } }]);
  });

  it('names a value set by the name the configuration gives it', () => {
    const dir = copy(join(ROOT, 'test', 'fixtures', 'helm', 'shop'));
    writeFileSync(join(dir, 'chart', 'values-strict.yaml'), 'cache:\n  securityContext:\n    readOnlyRootFilesystem: true\n');
    writeFileSync(join(dir, '.kube-immutable.yaml'), 'helm:\n  charts:\n    chart:\n      - name: strict\n        values: [values-strict.yaml]\n');
    const { findings } = JSON.parse(run(['--format', 'json', 'chart'], dir).stdout) as { findings: { file: string; line: number; related: { message: string }[] }[] };
    assert.deepEqual(findings.filter(f => f.file === 'chart/values.yaml').map(f => `${f.line} ${f.related.find(r => r.message.startsWith('Rendered by'))?.message}`), Array(4).fill('5 Rendered by chart shop with strict as Deployment release-name-shop.'));
  });

  it('reports a template error where Helm names it, and still lints the other templates', () => {
    const dir = copy(join(ROOT, 'test', 'fixtures', 'helm', 'shop'));
    writeFileSync(join(dir, 'chart', 'templates', 'broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }\n');
    writeFileSync(join(dir, 'chart', 'templates', 'required.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ required "image.digest is required" .Values.image.digest }}\n');
    const result = run(['chart'], dir);
    assert.deepEqual(result.stdout.split('\n').filter(line => / error /.test(line)), [
      'chart/templates/broken.yaml:4:26 error parse error at (shop/templates/broken.yaml:4): unexpected "}" in operand helm-template',
      'chart/templates/required.yaml:6:9 error execution error at (shop/templates/required.yaml:6:8): image.digest is required helm-template',
    ]);
    assert.equal(lines(result.stdout).filter(line => line.startsWith('chart/values.yaml:5:1 ')).length, 4);
  });

  it('fixes the chart in values.yaml and templates, rendering again until nothing preferred is left', () => {
    const dir = copy(join(ROOT, 'test', 'fixtures', 'helm', 'shop'));
    const fixed = run(['--fix', 'chart'], dir);
    assert.deepEqual(fixed.stderr.split('\n').filter(line => line.startsWith('Fixed')), [
      'Fixed 1 problem (readonly-root-filesystem 1) in chart/charts/cache/values.yaml',
      'Fixed 6 problems (privilege-escalation 2, readonly-root-filesystem 2, run-as-root 1, capabilities 1) in chart/templates/worker.yaml',
      'Fixed 1 problem (readonly-root-filesystem 1) in chart/values.yaml',
      'Fixed 1 problem (privilege-escalation 1) in chart/values.yaml',
    ]);
    assert.deepEqual(lines(run(['chart'], dir).stdout).filter(line => /readonly-root-filesystem|privilege-escalation/.test(line)), []);
  });
});

describe('CLI on the helm create scaffold', function () {
  before(function () {
    if (!existsSync(SCAFFOLD)) { console.log(`    (skipped: ${SCAFFOLD} is absent)`); this.skip(); }
  });

  it('reports the scaffold\'s findings on securityContext: {} in values.yaml', () => {
    const dir = copy(SCAFFOLD);
    assert.deepEqual(lines(run(['chart'], dir).stdout), [
      'chart/values.yaml:44:1 readonly-root-filesystem',
      'chart/values.yaml:44:1 run-as-root',
      'chart/values.yaml:44:1 privilege-escalation',
      'chart/values.yaml:44:1 capabilities',
    ]);
  });

  it('fixes only values.yaml: readOnlyRootFilesystem uncommented, allowPrivilegeEscalation beside it, nginx\'s write paths mounted', () => {
    const dir = copy(SCAFFOLD);
    run(['--fix', 'chart'], dir);
    const before = readFileSync(join(SCAFFOLD, 'values.yaml'), 'utf8');
    const expected = before
      .replace('securityContext: {}\n', 'securityContext:\n')
      .replace('  # readOnlyRootFilesystem: true\n', '  readOnlyRootFilesystem: true\n  allowPrivilegeEscalation: false\n')
      .replace('volumes: []\n', 'volumes:\n- name: var-cache-nginx\n  emptyDir: {}\n- name: var-run\n  emptyDir: {}\n')
      .replace('volumeMounts: []\n', 'volumeMounts:\n- name: var-cache-nginx\n  mountPath: /var/cache/nginx\n- name: var-run\n  mountPath: /var/run\n');
    assert.notEqual(expected, before);
    assert.equal(readFileSync(join(dir, 'chart', 'values.yaml'), 'utf8'), expected);
    for (const file of ['Chart.yaml', 'templates/deployment.yaml', 'templates/_helpers.tpl']) {
      assert.equal(readFileSync(join(dir, 'chart', file), 'utf8'), readFileSync(join(SCAFFOLD, file), 'utf8'), file);
    }
    assert.deepEqual(lines(run(['chart'], dir).stdout), [
      'chart/values.yaml:44:1 run-as-root',
      'chart/values.yaml:44:1 capabilities',
    ]);
  });
});
