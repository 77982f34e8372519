// Differential test: seeded random trees (bases, overlays, components, both kinds of patch, images, prefixes and
// suffixes, namespaces, labels, generators, vars, replacements, builtin transformers) rendered by the renderer and by `kubectl kustomize`, compared as
// parsed objects in order. Runs where kubectl exists (the product itself never calls it) and says it skipped
// elsewhere.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildKustomization, printBuild } from '../../../server/src/sources/kustomize';
import { memoryTree } from './memoryTree';

const TREES = 24;
const SEED = 20261201;

function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
}

/** mulberry32: a small seeded generator, so a failing tree can be made again from its number. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes one tree: `/base`, an optional `/component`, and `/overlay` built on them; returns its files. */
function generateTree(seed: number): Record<string, string> {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const chance = (p: number) => next() < p;
  const app = pick(['web', 'api', 'worker']);
  const files: Record<string, string> = {};
  const image = pick(['nginx:1.27', 'registry.example.com/team/app:2.1', 'busybox']);
  const imageName = image.replace(/:[^/:]*$/, '');

  files['/base/deployment.yaml'] = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${app}`,
    '  labels:',
    `    app: ${app}`,
    'spec:',
    `  replicas: ${pick([1, 2])}`,
    '  selector:',
    `    matchLabels: {app: ${app}}`,
    '  template:',
    `    metadata: {labels: {app: ${app}}}`,
    '    spec:',
    `      serviceAccountName: ${app}`,
    '      containers:',
    `      - name: ${app}`,
    `        image: ${image}`,
    '        args: ["--peer=$(PEER).svc", "$(PEER_PORT)", "$$(LITERAL)"]',
    '        env:',
    '        - name: MODE',
    '          valueFrom: {configMapKeyRef: {name: settings, key: mode}}',
    '        envFrom:',
    '        - secretRef: {name: credentials}',
    '        volumeMounts:',
    '        - {name: data, mountPath: /data}',
    '        securityContext:',
    `          readOnlyRootFilesystem: ${pick(['true', 'false'])}`,
    '      volumes:',
    '      - name: data',
    '        persistentVolumeClaim: {claimName: data}',
    '',
  ].join('\n');
  files['/base/objects.yaml'] = [
    'apiVersion: v1',
    'kind: Service',
    `metadata: {name: ${app}}`,
    'spec:',
    `  selector: {app: ${app}}`,
    '  ports: [{port: 80, targetPort: 8080}]',
    '---',
    'apiVersion: v1',
    'kind: ServiceAccount',
    `metadata: {name: ${app}}`,
    '---',
    'apiVersion: v1',
    'kind: PersistentVolumeClaim',
    'metadata: {name: data}',
    'spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}',
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: Role',
    'metadata: {name: reader}',
    'rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]',
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: RoleBinding',
    'metadata: {name: reader}',
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}',
    `subjects: [{kind: ServiceAccount, name: ${app}}]`,
    '',
  ].join('\n');
  const base = ['resources:', '- deployment.yaml', '- objects.yaml', 'configMapGenerator:', '- name: settings', `  literals: [mode=${pick(['fast', 'safe'])}]`];
  if (chance(0.5)) base.push('commonLabels:', `  tier: ${pick(['backend', 'frontend'])}`);
  if (chance(0.3)) base.push('generatorOptions:', '  disableNameSuffixHash: true');
  files['/base/kustomization.yaml'] = `${base.join('\n')}\n`;

  const overlay = ['resources:', '- ../base'];
  if (chance(0.5)) {
    files['/component/kustomization.yaml'] = [
      'apiVersion: kustomize.config.k8s.io/v1alpha1',
      'kind: Component',
      'patches:',
      '- patch: |-',
      '    apiVersion: apps/v1',
      '    kind: Deployment',
      `    metadata: {name: ${app}}`,
      '    spec:',
      '      template:',
      '        spec:',
      '          containers:',
      '          - name: sidecar',
      '            image: busybox:1.36',
      '          volumes:',
      '          - {name: cache, emptyDir: {}}',
      '',
    ].join('\n');
    overlay.push('components:', '- ../component');
  }
  if (chance(0.6)) overlay.push(`namePrefix: ${pick(['prod-', 'dev-', 'a-'])}`);
  if (chance(0.4)) overlay.push(`nameSuffix: ${pick(['-v2', '-x'])}`);
  if (chance(0.6)) overlay.push(`namespace: ${pick(['shop', 'staging'])}`);
  const patches: string[] = [];
  if (chance(0.7)) {
    files['/overlay/patch.yaml'] = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: {name: ${app}}`,
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      `      - name: ${app}`,
      '        env:',
      `        - {name: LEVEL, value: "${pick(['debug', 'info'])}"}`,
      '        securityContext:',
      `          allowPrivilegeEscalation: ${pick(['true', 'false'])}`,
      '',
    ].join('\n');
    patches.push('- path: patch.yaml');
  }
  if (chance(0.6)) {
    patches.push(
      `- target: {kind: Deployment, name: ${app}}`,
      '  patch: |-',
      '    - op: replace',
      '      path: /spec/replicas',
      `      value: ${pick([3, 5])}`,
      '    - op: add',
      '      path: /spec/template/metadata/annotations',
      '      value: {rollout: "1"}',
    );
  }
  if (chance(0.3)) {
    patches.push('- target: {kind: Service}', '  patch: |-', '    - op: add', '      path: /spec/type', '      value: NodePort');
  }
  if (patches.length) overlay.push('patches:', ...patches);
  if (chance(0.6)) {
    overlay.push('images:', `- name: ${imageName}`);
    if (chance(0.5)) overlay.push(`  newName: mirror.example.com/${imageName.split('/').pop()}`);
    if (chance(0.5)) overlay.push('  digest: sha256:1111111111111111111111111111111111111111111111111111111111111111');
    else overlay.push(`  newTag: "${pick(['latest', '1.28', '3'])}"`);
  }
  if (chance(0.4)) overlay.push('replicas:', `- name: ${app}`, '  count: 4');
  if (chance(0.4)) overlay.push('labels:', '- pairs: {env: prod}', `  includeSelectors: ${pick(['true', 'false'])}`);
  if (chance(0.4)) overlay.push('commonAnnotations:', '  owner: team-a');
  if (chance(0.5)) overlay.push('secretGenerator:', '- name: credentials', `  literals: [password=${pick(['s3cret', 'hunter2'])}]`);
  else files['/base/objects.yaml'] += '---\napiVersion: v1\nkind: Secret\nmetadata: {name: credentials}\nstringData: {password: x}\n';
  if (chance(0.4)) overlay.push('configMapGenerator:', '- name: settings', '  behavior: merge', '  literals: [extra=1]');
  if (chance(0.5)) {
    overlay.push('vars:', '- name: PEER', `  objref: {kind: Service, name: ${app}, apiVersion: v1}`);
    if (chance(0.5)) overlay.push('- name: PEER_PORT', `  objref: {kind: Service, name: ${app}, apiVersion: v1}`, '  fieldref: {fieldpath: "spec.ports[0].port"}');
  }
  if (chance(0.5)) {
    overlay.push(
      'replacements:',
      `- source: {kind: Deployment, name: ${app}, fieldPath: "spec.template.spec.containers.[name=${app}].image", options: {delimiter: "/", index: 0}}`,
      '  targets:',
      '  - select: {kind: Deployment}',
      `    fieldPaths: [spec.template.metadata.annotations.registry]`,
      '    options: {create: true}',
      `- source: {kind: Service, name: ${app}}`,
      '  targets:',
      '  - select: {kind: ServiceAccount}',
      '    fieldPaths: [metadata.labels.service]',
      `    options: {create: true${chance(0.5) ? ', delimiter: "-", index: -1' : ''}}`,
    );
  }
  const transformers: string[] = [];
  if (chance(0.4)) transformers.push('- |-', '  apiVersion: builtin', '  kind: LabelTransformer', '  metadata: {name: team}', '  labels: {team: shop}', '  fieldSpecs:', '  - {path: metadata/labels, create: true}', `  - {kind: Deployment, path: spec/template/metadata/labels, create: ${pick(['true', 'false'])}}`);
  if (chance(0.4)) {
    files['/overlay/prefixer.yaml'] = ['apiVersion: builtin', 'kind: PrefixSuffixTransformer', 'metadata: {name: svc}', `prefix: ${pick(['edge-', 'int-'])}`, 'fieldSpecs:', '- {kind: Service, path: metadata/name}', ''].join('\n');
    transformers.push('- prefixer.yaml');
  }
  if (chance(0.3)) transformers.push('- |-', '  apiVersion: builtin', '  kind: ImageTagTransformer', '  metadata: {name: pin}', `  imageTag: {name: ${imageName}, newTag: "9"}`);
  if (transformers.length) overlay.push('transformers:', ...transformers);
  files['/overlay/kustomization.yaml'] = `${overlay.join('\n')}\n`;
  return files;
}

function objects(text: string): unknown[] {
  return parseAllDocuments(text).map((document) => document.toJS()).filter((object) => object !== null);
}

describe('Kustomize renderer against kubectl kustomize', function () {
  this.timeout(120_000);
  let folder: string;
  before(function () {
    if (!kubectlAvailable()) {
      console.log('      (skipped: kubectl is not installed here; the differential test needs it)');
      this.skip();
    }
    folder = mkdtempSync(join(tmpdir(), 'kube-immutable-kustomize-'));
  });
  after(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  for (let index = 0; index < TREES; index++) {
    const seed = SEED + index;
    it(`renders generated tree ${index + 1} (seed ${seed}) as kubectl does`, () => {
      const files = generateTree(seed);
      const root = join(folder, String(seed));
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      const expected = execFileSync('kubectl', ['kustomize', join(root, 'overlay')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const build = buildKustomization('/overlay', memoryTree(files));
      assert.deepEqual(build.problems.filter((p) => p.severity === 'error'), []);
      assert.deepEqual(objects(printBuild(build)), objects(expected), `tree ${seed}:\n${Object.entries(files).map(([p, t]) => `# ${p}\n${t}`).join('')}`);
    });
  }
});
