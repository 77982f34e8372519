// The Kustomize figures of `npm run bench` (alone: `npm run bench:kustomize`): the language server's diagnostics
// after an edit of a base that three overlays include, and `kube-immutable render` of argo-cd's HA install in a
// fresh process (when ../shared holds argo-cd's tree).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileUri, LspClient } from '../../test/protocol/lspClient';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const SERVER = join(ROOT, 'dist', 'server.js');
const ARGO_CD = join(ROOT, '..', 'shared', 'fixtures', 'kustomize', 'real', 'argo-cd');
const EDITS = 21;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;

/** A Deployment hardened in every way the rules check, so that the edit below is its only finding. */
function deployment(name: string): string {
  return [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${name}`, 'spec:', '  replicas: 1', '  template:', '    spec:',
    '      containers:', `      - name: ${name}`, `        image: registry.example.com/${name}@sha256:${'0123456789abcdef'.repeat(4)}`,
    '        securityContext:', '          readOnlyRootFilesystem: true', '          runAsNonRoot: true',
    '          allowPrivilegeEscalation: false', '          capabilities: {drop: [ALL]}', '',
  ].join('\n');
}

/** A base of 20 Deployments in one file and three overlays: a name prefix, a namespace, a replicas patch. */
function writeTree(root: string): string {
  const write = (path: string, text: string) => { mkdirSync(dirname(join(root, path)), { recursive: true }); writeFileSync(join(root, path), text); };
  const base = Array.from({ length: 20 }, (_, i) => deployment(`app-${i}`)).join('---\n');
  write('base/deployments.yaml', base);
  write('base/kustomization.yaml', 'resources:\n- deployments.yaml\n');
  write('overlays/dev/kustomization.yaml', 'resources:\n- ../../base\nnamePrefix: dev-\n');
  write('overlays/staging/kustomization.yaml', 'resources:\n- ../../base\nnamespace: staging\n');
  write('overlays/prod/kustomization.yaml', 'resources:\n- ../../base\npatches:\n- patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 3\n  target:\n    kind: Deployment\n');
  return base;
}

/** didChange of the base -> publishDiagnostics of the base, median and max of EDITS edits that each change them. */
async function timeBaseEdits(): Promise<{ median: number; max: number }> {
  const root = mkdtempSync(join(tmpdir(), 'kube-immutable-bench-kustomize-'));
  const base = writeTree(root);
  const client = await LspClient.start({
    rootUri: fileUri(root), workspaceFolders: [{ uri: fileUri(root), name: 'tree' }],
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
  }, [], SERVER);
  client.settings = { kubeImmutable: { workspace: { scan: true } } };
  await client.progressEnded(1);
  const uri = fileUri(join(root, 'base', 'deployments.yaml'));
  await client.open(uri, base);
  const line = base.split('\n').findIndex((text, index) => index > 200 && text.includes('readOnlyRootFilesystem: true'));
  const character = base.split('\n')[line].indexOf('true');
  const times: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const [from, to] = i % 2 ? ['false', 'true'] : ['true', 'false'];
    const expected = to === 'false' ? 1 : 0;
    const next = client.nextDiagnostics(uri, p => p.diagnostics.length === expected);
    const start = performance.now();
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: i + 2 },
      contentChanges: [{ range: { start: { line, character }, end: { line, character: character + from.length } }, text: to }],
    });
    await next;
    times.push(performance.now() - start);
  }
  await client.stop();
  rmSync(root, { recursive: true, force: true });
  return { median: median(times), max: Math.max(...times) };
}

/** `kube-immutable render manifests/ha/cluster-install` in a fresh process, wall time, median of 3. */
function timeArgoRender(): number | undefined {
  if (!existsSync(ARGO_CD)) return undefined;
  const times = [0, 1, 2].map(() => {
    const start = performance.now();
    const run = spawnSync(process.execPath, [CLI, 'render', 'manifests/ha/cluster-install'], { cwd: ARGO_CD, encoding: 'utf8', maxBuffer: 64 << 20 });
    const elapsed = performance.now() - start;
    if (run.status !== 0 || !run.stdout) throw new Error(`render of manifests/ha/cluster-install failed (exit ${run.status}): ${run.stderr}`);
    return elapsed;
  });
  return median(times);
}

/** Deployments in the large tree: each with a ConfigMap and a Service, in a file of its own, half of them patched. */
const LARGE_TREE_DEPLOYMENTS = 800;

/**
 * A base of LARGE_TREE_DEPLOYMENTS Deployments, ConfigMaps and Services, with a name prefix and labels, and an
 * overlay with a namespace, a suffix, an image tag and a patch for every other Deployment: `kube-immutable` on the
 * overlay, in a fresh process, wall time, median of 3.
 */
function timeLargeTree(): { seconds: number; resources: number } {
  const root = mkdtempSync(join(tmpdir(), 'kube-immutable-bench-kustomize-large-'));
  const write = (path: string, text: string) => { mkdirSync(dirname(join(root, path)), { recursive: true }); writeFileSync(join(root, path), text); };
  const resources: string[] = [];
  const patches: string[] = [];
  for (let i = 0; i < LARGE_TREE_DEPLOYMENTS; i++) {
    write(`base/app-${i}.yaml`, [
      deployment(`app-${i}`).replace('    spec:\n', `    metadata: {labels: {app: app-${i}}}\n    spec:\n`).replace('  replicas: 1\n', `  replicas: 1\n  selector: {matchLabels: {app: app-${i}}}\n`),
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings-${i}}\ndata: {mode: prod}\n`,
      `apiVersion: v1\nkind: Service\nmetadata: {name: app-${i}}\nspec: {selector: {app: app-${i}}, ports: [{port: 80}]}\n`,
    ].join('---\n'));
    resources.push(`- app-${i}.yaml`);
    if (i % 2) continue;
    write(`overlay/patch-${i}.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: 2\n`);
    patches.push(`- path: patch-${i}.yaml`);
  }
  write('base/kustomization.yaml', `resources:\n${resources.join('\n')}\nnamePrefix: team-\nlabels:\n- pairs: {team: a}\n`);
  write('overlay/kustomization.yaml', `resources:\n- ../base\nnamespace: prod\nnameSuffix: -v1\nimages:\n- name: registry.example.com/app-0\n  newTag: '2'\npatches:\n${patches.join('\n')}\n`);
  try {
    const times = [0, 1, 2].map(() => {
      const start = performance.now();
      const run = spawnSync(process.execPath, [CLI, '--format', 'json', join(root, 'overlay')], { encoding: 'utf8', maxBuffer: 64 << 20 });
      const elapsed = performance.now() - start;
      if (run.status !== 0 && run.status !== 1) throw new Error(`kube-immutable of the large tree failed (exit ${run.status}): ${run.stderr}`);
      const { findings } = JSON.parse(run.stdout) as { findings: { rule: string; message: string }[] };
      const problems = findings.filter(finding => finding.rule === 'kustomize-build');
      if (problems.length) throw new Error(`the large tree does not build: ${problems[0].message}`);
      return elapsed;
    });
    return { seconds: median(times) / 1000, resources: 3 * LARGE_TREE_DEPLOYMENTS };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function benchKustomize(): Promise<void> {
  const edits = await timeBaseEdits();
  console.log(`\nKustomize: an edit of a base included by three overlays -> its diagnostics, median / max of ${EDITS} edits: ${ms(edits.median)} / ${ms(edits.max)}`);
  const render = timeArgoRender();
  console.log(render === undefined
    ? 'Kustomize: render of argo-cd manifests/ha/cluster-install skipped: ../shared/fixtures/kustomize/real/argo-cd is absent'
    : `Kustomize: kube-immutable render manifests/ha/cluster-install (argo-cd), fresh process, wall time, median of 3: ${ms(render)}`);
  const large = timeLargeTree();
  console.log(`Kustomize: kube-immutable on an overlay of a base of ${large.resources.toLocaleString('en')} resources in ${LARGE_TREE_DEPLOYMENTS} files, `
    + `${LARGE_TREE_DEPLOYMENTS / 2} patches, fresh process, wall time, median of 3: ${large.seconds.toFixed(2)} s`);
  console.log(`Load average ${loadavg().map(l => l.toFixed(2)).join(' ')}`);
}
