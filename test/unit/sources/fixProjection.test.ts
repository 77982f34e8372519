import * as assert from 'node:assert/strict';
import { applyTextEdits } from '../../../server/src/engine/fixes/apply';
import { sourceFixes } from '../../../server/src/sources/fixProjection';
import { findingsOfRendering, mergeShared, Rendering } from '../../../server/src/sources/sourceFindings';
import { SourceTexts } from '../../../server/src/sources/sourceTexts';
import { yaml } from '../../helpers';
import { rendering } from './renderings';
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
