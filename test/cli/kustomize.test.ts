import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { yaml } from '../helpers';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function run(args: string[], cwd?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kube-immutable-kustomize-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}

/** A hardened Deployment but for readOnlyRootFilesystem. */
const DEPLOYMENT = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    template:
      spec:
        containers:
        - name: web
          image: registry.example.com/web:1.27
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            capabilities:
              drop: [ALL]
`;

const PATCH = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    template:
      spec:
        containers:
        - name: web
          securityContext:
            readOnlyRootFilesystem: false
`;

const HARDENED = DEPLOYMENT + '          readOnlyRootFilesystem: true\n';

const BASE = { 'base/kustomization.yaml': 'resources:\n- deployment.yaml\n', 'base/deployment.yaml': HARDENED };
const PROD = {
  'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\nimages:\n- name: registry.example.com/web\n  newTag: latest\npatches:\n- path: patch.yaml\n',
  'overlays/prod/patch.yaml': PATCH,
};

describe('CLI on Kustomize trees', () => {
  it('lints the build of each top-level kustomization, with each finding in its source file', () => {
    const root = tree({ ...BASE, ...PROD });
    const { status, stdout } = run(['.'], root);
    assert.equal(status, 1);
    assert.deepEqual(stdout.split('\n').map(line => line.replace(/ (Container|Reference|Set).*? ([a-z-]+)$/, ' $2')), [
      'overlays/prod/kustomization.yaml:5:11 warning mutable-image-reference',
      'overlays/prod/patch.yaml:11:35 warning readonly-root-filesystem',
      '',
      // The base's two files are linted through the overlay, without findings.
      '2 problems (0 error, 2 warning, 0 info, 0 hint) in 4 files',
      '',
    ]);
  });

  it('counts the files a tree read in its summary, those without findings too, and not an excluded one', () => {
    const root = tree(BASE);
    assert.equal(run(['.'], root).stdout, '\nNo problems in 2 files\n');
    assert.equal(JSON.parse(run(['--format', 'json', 'base'], root).stdout).filesLinted, 2);
    writeFileSync(join(root, '.kube-immutable.yaml'), 'exclude:\n  - base/deployment.yaml\n');
    assert.equal(run(['.'], root).stdout, '\nNo problems in 1 file\n');
    // An excluded kustomization is not built: neither it nor what it reads is linted.
    writeFileSync(join(root, '.kube-immutable.yaml'), 'exclude:\n  - base/kustomization.yaml\n');
    assert.equal(run(['.'], root).stdout, '\nNo problems in 0 files\n');
  });

  it('reports a comment of a base or a patch that suppresses nothing in any build, and none in a tree that cannot be built', () => {
    const base = DEPLOYMENT.replace('      - name: web\n', '      # kube-immutable-ignore readonly-root-filesystem, privileged-container -- reason\n      - name: web\n');
    const patch = '# kube-immutable-ignore-file\n' + PATCH.replace('        securityContext:\n', '        # kube-immutable-ignore run-as-root\n        securityContext:\n');
    assert.ok(base.includes('# kube-immutable-ignore') && patch.includes('# kube-immutable-ignore run-as-root'));
    const files = {
      'base/kustomization.yaml': 'resources:\n- deployment.yaml\nconfigMapGenerator:\n- name: settings\n  envs:\n  - app.env\n', 'base/deployment.yaml': base,
      // A generator's file is not YAML: a line of it that looks like a directive is not one.
      'base/app.env': '# kube-immutable-ignore privileged-container\nMODE=prod\n',
      'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\npatches:\n- path: patch.yaml\n', 'overlays/prod/patch.yaml': patch,
      'broken/kustomization.yaml': 'resources:\n- missing.yaml\n- pod.yaml\n',
      'broken/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  # kube-immutable-ignore privileged-container\n  - name: p\n    image: registry.example.com/p:1\n',
    };
    const unused = (root: string) => (JSON.parse(run(['--format', 'json', '.'], root).stdout).findings as { file: string; rule: string; line: number; column: number; message: string }[])
      .filter(f => f.rule === 'unused-suppression').map(f => `${f.file}:${f.line}:${f.column} ${f.message}`);
    const nothingHere = (label: string, rule: string) => `${label} ignores ${rule}, but ${rule} reports nothing here: remove it so that it does not hide a future finding.`;
    // The patch sets readOnlyRootFilesystem: false, so prod's finding is placed in the patch, where the file directive takes it.
    assert.deepEqual(unused(tree(files)), [
      `base/deployment.yaml:9:31 ${nothingHere('# kube-immutable-ignore', 'readonly-root-filesystem')}`,
      `base/deployment.yaml:9:57 ${nothingHere('# kube-immutable-ignore', 'privileged-container')}`,
      `overlays/prod/patch.yaml:11:33 ${nothingHere('# kube-immutable-ignore', 'run-as-root')}`,
    ]);
    // An overlay without the patch places its finding in the base: the base's directive is used by one build of two.
    assert.deepEqual(unused(tree({ ...files, 'overlays/dev/kustomization.yaml': 'resources:\n- ../../base\n' })), [
      `base/deployment.yaml:9:57 ${nothingHere('# kube-immutable-ignore', 'privileged-container')}`,
      `overlays/prod/patch.yaml:11:33 ${nothingHere('# kube-immutable-ignore', 'run-as-root')}`,
    ]);
  });

  it('lints every file on its own with --no-kustomize, patches included', () => {
    const root = tree({ ...BASE, ...PROD });
    const { stdout } = run(['--no-kustomize', '--format', 'json', '.'], root);
    const findings = JSON.parse(stdout).findings.map((f: { file: string; rule: string; line: number }) => `${f.file}:${f.line} ${f.rule}`);
    assert.deepEqual(findings, [
      'overlays/prod/patch.yaml:10 run-as-root',
      'overlays/prod/patch.yaml:10 privilege-escalation',
      'overlays/prod/patch.yaml:10 capabilities',
      'overlays/prod/patch.yaml:11 readonly-root-filesystem',
    ]);
  });

  it('reports a finding of a base that three overlays share once, naming them in JSON and SARIF', () => {
    const overlay = 'resources:\n- ../../base\n';
    const root = tree({
      ...BASE, 'base/deployment.yaml': DEPLOYMENT,
      'overlays/a/kustomization.yaml': overlay, 'overlays/b/kustomization.yaml': overlay, 'overlays/c/kustomization.yaml': overlay,
    });
    const json = JSON.parse(run(['--format', 'json', 'overlays', 'base'], root).stdout);
    assert.deepEqual(json.findings.map((f: { file: string; line: number; column: number; rule: string; related: { file: string; message: string }[] }) =>
      [`${f.file}:${f.line}:${f.column} ${f.rule}`, f.related.map(r => `${r.file} ${r.message}`)]), [
      ['base/deployment.yaml:11:9 readonly-root-filesystem', [
        'overlays/a/kustomization.yaml Rendered by a as Deployment web.',
        'overlays/b/kustomization.yaml Rendered by b as Deployment web.',
        'overlays/c/kustomization.yaml Rendered by c as Deployment web.',
      ]],
    ]);
    const sarif = JSON.parse(run(['--format', 'sarif', 'overlays'], root).stdout);
    const [result] = sarif.runs[0].results;
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'base/deployment.yaml');
    assert.deepEqual(result.relatedLocations.map((l: { physicalLocation: { artifactLocation: { uri: string } } }) => l.physicalLocation.artifactLocation.uri),
      ['overlays/a/kustomization.yaml', 'overlays/b/kustomization.yaml', 'overlays/c/kustomization.yaml']);
    // The fixes edit the base; the overlay-only ones would create a file, which SARIF replacements cannot say.
    assert.deepEqual(result.fixes.map((f: { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: { startLine: number }; insertedContent: { text: string } }[] }[] }) =>
      [f.description.text, f.artifactChanges.map(c => `${c.artifactLocation.uri} ${c.replacements.map(r => `${r.deletedRegion.startLine} ${JSON.stringify(r.insertedContent.text)}`)}`)]), [
      ['Set readOnlyRootFilesystem: true', ['base/deployment.yaml 15 "\\n          readOnlyRootFilesystem: true"']],
      ['Harden container "web" to the restricted Pod Security Standard', [
        'base/deployment.yaml 15 "\\n          readOnlyRootFilesystem: true",15 "\\n      securityContext:\\n        seccompProfile:\\n          type: RuntimeDefault"',
      ]],
    ]);
  });

  it('reports the problems of a tree on the line at fault, exit 1, and builds the rest', () => {
    const root = tree({
      ...BASE,
      'missing/kustomization.yaml': 'resources:\n- ../base\n- gone.yaml\n',
      'cycle-a/kustomization.yaml': 'resources:\n- ../cycle-b\n',
      'cycle-b/kustomization.yaml': 'resources:\n- ../cycle-a\n',
      'remote/kustomization.yaml': 'resources:\n- https://github.com/example/repo//manifests?ref=v1\n- ../base\n',
      'helm/kustomization.yaml': 'helmCharts:\n- name: redis\n  repo: https://charts.example.com\nresources:\n- ../base\n',
      'notarget/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: p.yaml\n',
      'notarget/p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nothere\nspec:\n  replicas: 2\n',
    });
    const { status, stdout, stderr } = run(['.'], root);
    assert.equal(stderr, '');
    assert.equal(status, 1);
    assert.deepEqual(stdout.trim().split('\n').slice(0, -2), [
      'cycle-b/kustomization.yaml:2:3 error Cycle of kustomizations: ' + `${root}/cycle-a -> ${root}/cycle-b -> ${root}/cycle-a kustomize-build`,
      'helm/kustomization.yaml:2:1 warning helmCharts: Helm charts are not rendered inside Kustomize builds; the build goes on without it kustomize-build',
      'missing/kustomization.yaml:3:3 error Resource gone.yaml does not exist kustomize-build',
      'notarget/p.yaml:4:9 error No resource matches the patch for Deployment nothere kustomize-build',
      'remote/kustomization.yaml:2:3 warning Remote resource https://github.com/example/repo//manifests?ref=v1 is not fetched; the build goes on without it kustomize-build',
    ]);
  });

  it('gives a contained result for broken YAML, an alias bomb and binary data in a tree', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    const root = tree({
      'broken/kustomization.yaml': 'resources: [\n- x\n',
      'bomb/kustomization.yaml': 'resources:\n- bomb.yaml\n',
      'bomb/bomb.yaml': bomb + '\n',
      'binary/.keep': '',
    });
    writeFileSync(join(root, 'binary', 'kustomization.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0x0a]));
    const { status, stdout, stderr } = run(['.'], root);
    assert.deepEqual([status, stderr], [1, '']);
    const lines = stdout.trim().split('\n');
    // The renderer's limit on expanded aliases is its own; what counts here is that the file is refused, on its first line.
    assert.match(lines[1], /^bomb\/bomb\.yaml:1:1 error More than [\d,]+ YAML nodes once aliases are expanded; not read kustomize-build$/);
    assert.deepEqual(lines.filter((_, i) => i !== 1), [
      `binary/kustomization.yaml:1:1 error ${join(root, 'binary', 'kustomization.yaml')} is not a YAML map kustomize-build`,
      'broken/kustomization.yaml:2:1 error Invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] kustomize-build',
      '',
      '3 problems (3 error, 0 warning, 0 info, 0 hint) in 4 files',
    ]);
  });

  it('fixes with --fix in the files where the findings sit, and reports what is left', () => {
    const root = tree({ ...BASE, ...PROD });
    const { status, stdout, stderr } = run(['--fix', '.'], root);
    assert.equal(stderr, 'Fixed 1 problem (readonly-root-filesystem 1) in overlays/prod/patch.yaml\n  readonly-root-filesystem [web]: Set readOnlyRootFilesystem: true\n');
    assert.equal(readFileSync(join(root, 'overlays/prod/patch.yaml'), 'utf8'), PATCH.replace('readOnlyRootFilesystem: false', 'readOnlyRootFilesystem: true'));
    assert.equal(status, 1);
    assert.match(stdout, /^overlays\/prod\/kustomization\.yaml:5:11 warning .* mutable-image-reference\n\n1 problem /);
  });

  it('prints the build with render, problems on standard error', () => {
    const root = tree({ ...BASE, ...PROD });
    const { status, stdout, stderr } = run(['render', 'overlays/prod'], root);
    assert.equal(stderr, '');
    assert.equal(status, 0);
    assert.equal(stdout, HARDENED_RENDERED);
    const broken = tree({ 'k/kustomization.yaml': 'resources:\n- gone.yaml\n' });
    const failed = run(['render', 'k'], broken);
    assert.deepEqual([failed.status, failed.stdout, failed.stderr], [1, '', 'k/kustomization.yaml:2:3: error: Resource gone.yaml does not exist\n']);
  });

  it('exits 2 for render without a kustomization, and lints a directory named render written ./render', () => {
    const root = tree({ 'render/pod.yaml': DEPLOYMENT });
    const noKustomization = run(['render', 'render'], root);
    assert.deepEqual([noKustomization.status, noKustomization.stderr],
      [2, 'kube-immutable render: render: no kustomization.yaml, kustomization.yml or Kustomization in this directory\n']);
    assert.equal(run(['render'], root).status, 2);
    assert.match(run(['./render'], root).stdout, /^render\/pod\.yaml:11:9 warning .* readonly-root-filesystem$/m);
  });
});

/** `kustomize build overlays/prod` of BASE and PROD. */
const HARDENED_RENDERED = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    template:
      spec:
        containers:
        - image: registry.example.com/web:latest
          name: web
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop:
              - ALL
            readOnlyRootFilesystem: false
            runAsNonRoot: true
`;
