import * as assert from 'node:assert/strict';
import { applyTextEdits } from '../../../server/src/engine/fixes/apply';
import { SourceFix, sourceFixes } from '../../../server/src/sources/fixProjection';
import { buildTree } from '../../../server/src/sources/kustomizeIndex';
import { findingsOfRendering, mergeShared, Rendering } from '../../../server/src/sources/sourceFindings';
import { SourceTexts } from '../../../server/src/sources/sourceTexts';
import { yaml } from '../../helpers';
import { memoryFs, rendering } from './renderings';
import { overlayTree } from './tree';

const ONLY_READ_ONLY_ROOT = { severities: { 'run-as-root': 'off', capabilities: 'off', 'privilege-escalation': 'off', 'mutable-image-reference': 'off' } } as const;

describe('fixes made in the source files', () => {
  it('makes the fix of a value set by a patch in that patch', () => {
    const { fs, prod } = overlayTree();
    const sources = new SourceTexts(fs);
    const [finding] = findingsOfRendering(prod, sources, ONLY_READ_ONLY_ROOT);
    const fixes = sourceFixes(finding, sources);
    assert.deepEqual(fixes.map(f => `${f.title}${f.isPreferred ? ' (preferred)' : ''}: ${f.changes.map(c => c.file).join(', ')}`), [
      'Set readOnlyRootFilesystem: true (preferred): /t/overlays/prod/patch.yaml',
      'Harden container "web" to the restricted Pod Security Standard: /t/overlays/prod/patch.yaml',
    ]);
    const [change] = fixes[0].changes;
    assert.equal(applyTextEdits(fs.files[change.file], change.edits), yaml`
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
                readOnlyRootFilesystem: true
    `);
  });

  it('prefers the fix in a shared base and offers each overlay its own patch', () => {
    const { fs } = overlayTree();
    const sources = new SourceTexts(fs);
    const overlays: Rendering[] = ['overlays/a', 'overlays/b'].map(label => ({
      rootFile: `/t/${label}/kustomization.yaml`, label, problems: [],
      documents: [rendering(fs, RENDERED_BASE, label, [{ file: '/t/base/deployment.yaml' }])],
    }));
    fs.files['/t/overlays/a/kustomization.yaml'] = 'resources:\n- ../../base\n';
    fs.files['/t/overlays/b/kustomization.yaml'] = 'resources:\n- ../../base\npatches:\n- path: replicas.yaml\n';
    const [finding] = mergeShared(overlays.flatMap(o => findingsOfRendering(o, sources, ONLY_READ_ONLY_ROOT)));
    const fixes = sourceFixes(finding, sources).filter(f => f.title.startsWith('Set readOnlyRootFilesystem'));
    assert.deepEqual(fixes.map(f => `${f.title}${f.isPreferred ? ' (preferred)' : ''}`), [
      'Set readOnlyRootFilesystem: true (preferred)',
      'Set readOnlyRootFilesystem: true in overlays/a only',
      'Set readOnlyRootFilesystem: true in overlays/b only',
    ]);
    assert.deepEqual(fixes[0].changes.map(c => applyTextEdits(fs.files[c.file], c.edits)), [
      fs.files['/t/base/deployment.yaml'] + '          readOnlyRootFilesystem: true\n',
    ]);
    const [onlyA, onlyB] = [fixes[1], fixes[2]];
    assert.deepEqual(onlyA.creates, [{ file: '/t/overlays/a/deployment-web-patch.yaml', text: yaml`
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
                  readOnlyRootFilesystem: true
    ` }]);
    assert.deepEqual(onlyA.changes.map(c => applyTextEdits(fs.files[c.file], c.edits)), [
      'resources:\n- ../../base\npatches:\n- path: deployment-web-patch.yaml\n  target:\n    kind: Deployment\n    name: web\n',
    ]);
    assert.deepEqual(onlyB.changes.map(c => applyTextEdits(fs.files[c.file], c.edits)), [
      'resources:\n- ../../base\npatches:\n- path: replicas.yaml\n- path: deployment-web-patch.yaml\n  target:\n    kind: Deployment\n    name: web\n',
    ]);
  });
});

const RENDERED_BASE = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    template:
      spec:
        containers:
        - image: registry.example.com/web:1.27
          name: web
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop:
              - ALL
            runAsNonRoot: true
`;

describe('fixes made in the source files, re-rendered (round trip through the renderer)', () => {
  const BASE_FILES = {
    '/r/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
    '/r/base/deployment.yaml': yaml`
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
    `,
  };

  /** The read-only-root findings of each overlay, as `file:line rule`. */
  function lint(fs: ReturnType<typeof memoryFs>, overlays: string[]) {
    const sources = new SourceTexts(fs);
    const findings = mergeShared(overlays.flatMap(dir => findingsOfRendering(buildTree('/r', dir, fs).rendering, sources, ONLY_READ_ONLY_ROOT)));
    return { sources, findings };
  }

  function apply(fs: ReturnType<typeof memoryFs>, fix: SourceFix): void {
    for (const change of fix.changes) fs.files[change.file] = applyTextEdits(fs.files[change.file], change.edits);
    for (const created of fix.creates) fs.files[created.file] = created.text;
  }

  it('clears a false set by an overlay\'s patch by fixing the patch', () => {
    const fs = memoryFs({
      ...BASE_FILES,
      '/r/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: patch.yaml\n',
      '/r/prod/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        securityContext:\n          readOnlyRootFilesystem: false\n',
    });
    const before = lint(fs, ['/r/prod']);
    assert.deepEqual(before.findings.map(f => `${f.file}:${f.range.start.line + 1}`), ['/r/prod/patch.yaml:11']);
    const [fix] = sourceFixes(before.findings[0], before.sources);
    apply(fs, fix);
    assert.equal(fs.files['/r/prod/patch.yaml'].split('\n')[10], '          readOnlyRootFilesystem: true');
    assert.deepEqual(lint(fs, ['/r/prod']).findings, []);
  });

  it('clears a field missing in a shared base for every overlay with the base fix, and for one overlay with its own patch', () => {
    const files = { ...BASE_FILES, '/r/a/kustomization.yaml': 'resources:\n- ../base\n', '/r/b/kustomization.yaml': 'resources:\n- ../base\n' };
    const shared = memoryFs({ ...files });
    const before = lint(shared, ['/r/a', '/r/b']);
    assert.deepEqual(before.findings.map(f => `${f.file}:${f.range.start.line + 1} ${f.locations.length}`), ['/r/base/deployment.yaml:11 2']);
    const fixes = sourceFixes(before.findings[0], before.sources);
    apply(shared, fixes.find(f => f.isPreferred)!);
    assert.deepEqual(lint(shared, ['/r/a', '/r/b']).findings, []);

    const own = memoryFs({ ...files });
    const onlyA = sourceFixes(lint(own, ['/r/a', '/r/b']).findings[0], new SourceTexts(own)).find(f => f.title === 'Set readOnlyRootFilesystem: true in a only')!;
    apply(own, onlyA);
    assert.deepEqual(Object.keys(own.files).filter(file => file.startsWith('/r/a/')), ['/r/a/kustomization.yaml', '/r/a/deployment-web-patch.yaml']);
    assert.deepEqual(lint(own, ['/r/a']).findings, []);
    assert.deepEqual(lint(own, ['/r/b']).findings.map(f => f.file), ['/r/base/deployment.yaml']);
  });

  it('clears a false set by a JSON 6902 patch written inline in the kustomization, in that patch\'s text', () => {
    const fs = memoryFs({
      ...BASE_FILES,
      '/r/prod/kustomization.yaml': yaml`
        resources:
        - ../base
        patches:
        - target:
            kind: Deployment
          patch: |-
            - op: add
              path: /spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem
              value: false
      `,
    });
    const before = lint(fs, ['/r/prod']);
    assert.deepEqual(before.findings.map(f => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`), ['/r/prod/kustomization.yaml:9:14']);
    const fix = sourceFixes(before.findings[0], before.sources).find(f => f.isPreferred)!;
    apply(fs, fix);
    assert.equal(fs.files['/r/prod/kustomization.yaml'].split('\n')[8], '      value: true');
    assert.deepEqual(lint(fs, ['/r/prod']).findings, []);
  });

  it('mounts the write paths of a known image in the overlay\'s patch of the container', () => {
    const fs = memoryFs({
      ...BASE_FILES,
      '/r/base/deployment.yaml': BASE_FILES['/r/base/deployment.yaml'].replace('registry.example.com/web:1.27', 'nginx:1.27'),
      '/r/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: patch.yaml\n',
      '/r/prod/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        securityContext:\n          readOnlyRootFilesystem: false\n',
    });
    const before = lint(fs, ['/r/prod']);
    const fix = sourceFixes(before.findings[0], before.sources).find(f => f.isPreferred)!;
    assert.equal(fix.title, 'Set readOnlyRootFilesystem: true and mount emptyDir volumes at /var/cache/nginx, /var/run');
    apply(fs, fix);
    assert.equal(fs.files['/r/prod/patch.yaml'], yaml`
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
                readOnlyRootFilesystem: true
              volumeMounts:
              - name: var-cache-nginx
                mountPath: /var/cache/nginx
              - name: var-run
                mountPath: /var/run
            volumes:
            - name: var-cache-nginx
              emptyDir: {}
            - name: var-run
              emptyDir: {}
    `);
    assert.deepEqual(lint(fs, ['/r/prod']).findings, []);
  });
});
