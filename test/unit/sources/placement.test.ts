import * as assert from 'node:assert/strict';
import { formatRange, yaml } from '../../helpers';
import { findingsOfRendering, mergeShared, Rendering, SourceFinding } from '../../../server/src/sources/sourceFindings';
import { SourceTexts } from '../../../server/src/sources/sourceTexts';
import { rendering } from './renderings';
import { overlayTree } from './tree';

const located = (f: SourceFinding) => `${f.file}:${formatRange(f.range)} ${f.rule}`;
/** Only the rules these trees are about. */
const OPTIONS = { severities: { 'run-as-root': 'off', capabilities: 'off', 'privilege-escalation': 'off' } } as const;
/** The same without the image hint that a tag without a digest gets. */
const NO_IMAGES = { severities: { ...OPTIONS.severities, 'mutable-image-reference': 'off' } } as const;

/** The base Deployment as rendered by an overlay that changes nothing in it. */
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

const RESOURCES_PATCH = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    template:
      spec:
        containers:
        - name: web
          resources:
            limits: {memory: 64Mi}
`;

function plain(label: string, fs: ReturnType<typeof overlayTree>['fs'], layers: string[], text = RENDERED_BASE): Rendering {
  return {
    rootFile: `/t/${label}/kustomization.yaml`, label, problems: [],
    documents: [rendering(fs, text, label, layers.map(file => ({ file })))],
  };
}

describe('placement of findings on rendered Kustomize output', () => {
  it('puts a value set by a patch on its line of the patch, and a tag from images: on the newTag line', () => {
    const { fs, prod } = overlayTree();
    const findings = findingsOfRendering(prod, new SourceTexts(fs), OPTIONS);
    assert.deepEqual(findings.map(located), [
      '/t/overlays/prod/kustomization.yaml:5:3-5:17 mutable-image-reference',
      '/t/overlays/prod/patch.yaml:11:35-11:40 readonly-root-filesystem',
    ]);
    assert.deepEqual(findings[1].locations.map(l => `${l.file}:${formatRange(l.range)} ${l.message}`), [
      '/t/overlays/prod/kustomization.yaml:1:1-1:1 Rendered by overlays/prod as Deployment web.',
    ]);
  });

  it('puts a missing field on the container in the base when no patch writes the container', () => {
    const { fs } = overlayTree();
    const findings = findingsOfRendering(plain('overlays/a', fs, ['/t/base/deployment.yaml']), new SourceTexts(fs), NO_IMAGES);
    assert.deepEqual(findings.map(located), ['/t/base/deployment.yaml:11:9-11:24 readonly-root-filesystem']);
  });

  it('puts a missing field on the container in the overlay\'s patch when the patch writes that container', () => {
    const { fs } = overlayTree({ '/t/overlays/a/patch.yaml': RESOURCES_PATCH });
    const rendered = RENDERED_BASE.replace('          name: web\n', '          name: web\n          resources:\n            limits:\n              memory: 64Mi\n');
    const findings = findingsOfRendering(plain('overlays/a', fs, ['/t/base/deployment.yaml', '/t/overlays/a/patch.yaml'], rendered), new SourceTexts(fs), NO_IMAGES);
    // The patch has no securityContext key: the finding goes on the first line of its container, `name: web`.
    assert.deepEqual(findings.map(located), ['/t/overlays/a/patch.yaml:9:9-9:18 readonly-root-filesystem']);
  });

  it('reports a finding that overlays share in their base once, naming every overlay', () => {
    const { fs } = overlayTree();
    const sources = new SourceTexts(fs);
    const findings = mergeShared(['overlays/a', 'overlays/b', 'overlays/c'].flatMap(label =>
      findingsOfRendering(plain(label, fs, ['/t/base/deployment.yaml']), sources, NO_IMAGES)));
    assert.deepEqual(findings.map(located), ['/t/base/deployment.yaml:11:9-11:24 readonly-root-filesystem']);
    assert.deepEqual(findings[0].locations.map(l => `${l.file} ${l.message}`), [
      '/t/overlays/a/kustomization.yaml Rendered by overlays/a as Deployment web.',
      '/t/overlays/b/kustomization.yaml Rendered by overlays/b as Deployment web.',
      '/t/overlays/c/kustomization.yaml Rendered by overlays/c as Deployment web.',
    ]);
    assert.equal(findings[0].renderedFrom.length, 3);
  });

  it('reports a problem of the tree on its span, and one without a span on the root file', () => {
    const { fs } = overlayTree();
    const broken: Rendering = {
      rootFile: '/t/overlays/prod/kustomization.yaml', label: 'overlays/prod', documents: [],
      problems: [
        { message: 'Cannot read ../../base/missing.yaml: no such file', severity: 'error', span: { file: '/t/overlays/prod/kustomization.yaml', start: 13, end: 23 } },
        { message: 'Nothing to build', severity: 'warning' },
      ],
    };
    const findings = findingsOfRendering(broken, new SourceTexts(fs), OPTIONS);
    assert.deepEqual(findings.map(f => `${located(f)} ${f.severity} ${f.message}`), [
      '/t/overlays/prod/kustomization.yaml:2:3-2:13 kustomize-build error Cannot read ../../base/missing.yaml: no such file',
      '/t/overlays/prod/kustomization.yaml:1:1-1:1 kustomize-build warning Nothing to build',
    ]);
  });
});
