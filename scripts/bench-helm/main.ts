// Helm rendering speed: the `helm create` scaffold rendered warm, a generated chart of 40 templates rendered by
// `kube-immutable render` in a fresh process, what the source map costs next to rendering without it, and the
// language server's answer to an edit of that chart's values.yaml (rendered, linted, placed, published).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DiskFileSystem, gunzip } from '../../server/src/diskFileSystem';
import { helmFunctions } from '../../server/src/sources/helm/functions';
import { renderChart } from '../../server/src/sources/helm/render';
import { HELM_CHARTS } from '../../server/src/lsp/helmCharts';
import { KustomizeTrees } from '../../server/src/lsp/kustomizeTrees';
import { NodeFileSystem } from '../../server/src/lsp/nodeFileSystem';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const SCAFFOLD = resolve(process.argv[2] ?? join(ROOT, '..', 'shared', 'fixtures', 'helm', 'scaffold', 'mychart'));
const TEMPLATES = 40;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;

function time(run: () => void, times: number): number {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/** The apps of the chart whose one template prints a Deployment for each. */
const RANGED_APPS = 2_000;

/** A chart whose one template prints a Deployment per entry of a list in values.yaml, labelled through an include. */
function writeRangedChart(dir: string, count: number): void {
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: ranged\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'values.yaml'), `apps:\n${Array.from({ length: count }, (_, i) => `  - name: app-${i}\n    image: nginx:1.${i % 30}\n    port: ${8000 + (i % 100)}\n`).join('')}`);
  writeFileSync(join(dir, 'templates', '_helpers.tpl'), '{{- define "ranged.labels" -}}\napp.kubernetes.io/name: {{ .name }}\n{{- end }}\n');
  writeFileSync(join(dir, 'templates', 'apps.yaml'), [
    '{{- range .Values.apps }}', '---', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: {{ .name }}', '  labels:',
    '    {{- include "ranged.labels" . | nindent 4 }}', 'spec:', '  selector:', '    matchLabels:', '      {{- include "ranged.labels" . | nindent 6 }}',
    '  template:', '    metadata:', '      labels:', '        {{- include "ranged.labels" . | nindent 8 }}', '    spec:', '      containers:',
    '        - name: {{ .name }}', '          image: {{ .image | quote }}', '          ports:', '            - containerPort: {{ .port }}', '{{- end }}', '',
  ].join('\n'));
}

/** A chart of `count` Deployments, each through helpers and toYaml of values, as real charts are written. */
function writeChart(dir: string, count: number): void {
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: bench\nversion: 1.0.0\nappVersion: "2.0"\n');
  const values = ['replicaCount: 2', 'image:', '  repository: nginx', '  tag: "1.27"', 'podSecurityContext: {}', 'securityContext:',
    '  readOnlyRootFilesystem: true', '  runAsNonRoot: true', 'resources:', '  limits:', '  cpu: 100m', 'nodeSelector: {}', 'components:'];
  for (let i = 0; i < count; i++) values.push(`  c${i}:`, `    enabled: true`, `    port: ${8000 + i}`, `    env:`, `      - name: INDEX`, `        value: "${i}"`);
  writeFileSync(join(dir, 'values.yaml'), `${values.join('\n')}\n`);
  writeFileSync(join(dir, 'templates', '_helpers.tpl'), [
    '{{- define "bench.fullname" -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end }}',
    '{{- define "bench.labels" -}}',
    'helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}',
    'app.kubernetes.io/instance: {{ .Release.Name }}',
    'app.kubernetes.io/managed-by: {{ .Release.Service }}',
    '{{- end }}',
  ].join('\n'));
  for (let i = 0; i < count; i++) {
    writeFileSync(join(dir, 'templates', `deployment-${i}.yaml`), `{{- $c := .Values.components.c${i} }}
{{- if $c.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "bench.fullname" . }}-${i}
  labels:
    {{- include "bench.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    metadata:
      labels:
        {{- include "bench.labels" . | nindent 8 }}
    spec:
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      containers:
        - name: c${i}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          ports:
            - containerPort: {{ $c.port }}
          env:
            {{- toYaml $c.env | nindent 12 }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
{{- end }}
`);
  }
}

console.log(`Helm rendering benchmark (load average ${loadavg()[0].toFixed(2)} at the start)\n`);
const fs = new DiskFileSystem();
const functions = helmFunctions();
if (existsSync(join(SCAFFOLD, 'Chart.yaml'))) {
  for (let i = 0; i < 20; i++) renderChart(SCAFFOLD, fs, functions, { gunzip });
  const warm = time(() => renderChart(SCAFFOLD, fs, functions, { gunzip }), 50);
  console.log(`helm create scaffold, rendered warm:        ${ms(warm)} (target <= 20 ms: ${(warm / 20).toFixed(2)}x)`);
} else {
  console.log(`helm create scaffold: skipped, ${SCAFFOLD} is not here`);
}

void (async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-immutable-bench-helm-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'kube-immutable-bench-helm-cache-'));
  try {
    writeChart(dir, TEMPLATES);
    // dist/cli.js keeps V8's code cache in the temporary directory (server/src/cliLoader.ts): the first render
    // writes it and the others read it; NODE_DISABLE_COMPILE_CACHE=1 compiles the bundle every time.
    const cached = { ...process.env, TMPDIR: cacheDir, NODE_DISABLE_COMPILE_CACHE: '' };
    const uncached = { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' };
    const render = (env: NodeJS.ProcessEnv) => () => {
      const run = spawnSync(process.execPath, [CLI, 'render', dir], { encoding: 'utf8', env });
      if (run.status !== 0) throw new Error(`render failed: ${run.stderr}`);
    };
    render(cached)();
    const node = time(() => spawnSync(process.execPath, ['-e', '0']), 7);
    const fresh = time(render(cached), 7);
    const compiled = time(render(uncached), 7);
    console.log(`${TEMPLATES}-template chart, fresh process:        ${ms(fresh)} (target <= 300 ms: ${(fresh / 300).toFixed(2)}x; without the code cache: ${ms(compiled)}; node alone: ${ms(node)}; load average ${loadavg()[0].toFixed(2)})`);
    const cpu = median(Array.from({ length: 7 }, () => freshCpu([CLI, 'render', dir], cached)));
    const compiledCpu = median(Array.from({ length: 7 }, () => freshCpu([CLI, 'render', dir], uncached)));
    console.log(`${TEMPLATES}-template chart, fresh process, CPU time:  ${ms(cpu)} (without the code cache: ${ms(compiledCpu)}; node alone: ${ms(median(Array.from({ length: 7 }, () => freshCpu(['-e', '0'], process.env))))}; the wall time above waits for other processes on a busy machine, this does not)`);
    for (let i = 0; i < 10; i++) { renderChart(dir, fs, functions, { sourceMap: true }); renderChart(dir, fs, functions, { sourceMap: false }); }
    const withMap = time(() => renderChart(dir, fs, functions, { sourceMap: true }), 30);
    const withoutMap = time(() => renderChart(dir, fs, functions, { sourceMap: false }), 30);
    console.log(`${TEMPLATES}-template chart, warm: ${ms(withMap)} with the source map, ${ms(withoutMap)} without: ${(withMap / withoutMap).toFixed(2)}x (target <= 2x)`);
    const one = await editorEdit(dir, (text, i) => text.replace('port: 8007', `port: ${9000 + i}`));
    console.log(`${TEMPLATES}-template chart, values.yaml edited in the editor (one component's port) -> the chart's diagnostics published: ${ms(one.wall)}, ${ms(one.cpu)} of CPU (target <= 100 ms: ${(one.wall / 100).toFixed(2)}x; load average ${loadavg()[0].toFixed(2)})`);
    const every = await editorEdit(dir, (text, i) => text.replace('replicaCount: 2', `replicaCount: ${3 + i}`));
    console.log(`${TEMPLATES}-template chart, values.yaml edited in the editor (replicaCount, read by every template): ${ms(every.wall)}, ${ms(every.cpu)} of CPU (target <= 100 ms: ${(every.wall / 100).toFixed(2)}x; load average ${loadavg()[0].toFixed(2)})`);
    const ranged = join(dir, 'ranged');
    writeRangedChart(ranged, RANGED_APPS);
    const lint = time(() => {
      const run = spawnSync(process.execPath, [CLI, '--format', 'json', ranged], { encoding: 'utf8', env: cached, maxBuffer: 256 << 20 });
      if (run.status !== 1 || !run.stdout.includes('"readonly-root-filesystem"')) throw new Error(`lint of the ranged chart failed (exit ${run.status}): ${run.stderr}`);
    }, 3);
    console.log(`A template ranging over ${RANGED_APPS.toLocaleString('en')} apps, linted by the CLI in a fresh process: ${ms(lint)} (load average ${loadavg()[0].toFixed(2)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
})();

/**
 * The CPU time (user and system, all threads) of `node <args>` in a fresh process, which reports it as it exits,
 * through a module it preloads.
 */
function freshCpu(args: string[], env: NodeJS.ProcessEnv): number {
  const reporter = join(tmpdir(), `kube-immutable-bench-helm-cpu-${process.pid}.js`);
  writeFileSync(reporter, "process.on('exit', () => { const { user, system } = process.cpuUsage(); process.stderr.write(`\\ncpu-us ${user + system}\\n`); });\n");
  try {
    const run = spawnSync(process.execPath, ['--require', reporter, ...args], { encoding: 'utf8', env });
    const reported = /\ncpu-us (\d+)\n$/.exec(run.stderr);
    if (run.status !== 0 || !reported) throw new Error(`node ${args.join(' ')} failed: ${run.stderr}`);
    return Number(reported[1]) / 1000;
  } finally {
    rmSync(reporter, { force: true });
  }
}

/**
 * The median time from an edit of values.yaml (its open text changed) to the chart's diagnostics published by
 * the language server's trees, debounce included: every publish of one rebuild happens in one turn. The CPU time
 * of this process over the same span says what the edit costs when other processes share the machine.
 */
async function editorEdit(chartDir: string, edit: (text: string, i: number) => string): Promise<{ wall: number; cpu: number }> {
  const valuesFile = join(chartDir, 'values.yaml');
  const open = new Map<string, string>();
  // The options of every file: one object, as the server's are (its analyses are cached by options).
  const OPTIONS = {};
  let published: (() => void) | undefined;
  const files = new NodeFileSystem();
  const trees = new KustomizeTrees({
    toPath: uri => files.toPath(uri), toUri: path => files.toUri(path), optionsFor: () => OPTIONS, released: () => {}, tell: console.warn,
    publish: () => { const done = published; published = undefined; if (done) setImmediate(done); },
  }, files.sourceFiles(path => open.get(path)), [HELM_CHARTS]);
  trees.setFolders([chartDir]);
  const text = fs.readFile(valuesFile)!;
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 25; i++) {
    open.set(valuesFile, edit(text, i));
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await new Promise<void>(resolve => { published = resolve; trees.changed(`file://${valuesFile}`); });
    const used = process.cpuUsage(cpuStart);
    if (i >= 5) { samples.push(performance.now() - start); cpu.push((used.user + used.system) / 1000); }
  }
  return { wall: median(samples), cpu: median(cpu) };
}
