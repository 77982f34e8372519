import * as assert from 'node:assert/strict';
import { includedDirs, kustomizationDirs, kustomizeTrees, topLevel } from '../../../server/src/sources/kustomizeIndex';
import { memoryFs } from './renderings';

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: web:1\n';

const fs = memoryFs({
  '/w/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  '/w/base/deployment.yaml': DEPLOYMENT,
  '/w/components/probe/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
  '/w/overlays/a/kustomization.yaml': 'resources:\n- ../../base/\n- https://github.com/example/repo//base?ref=v1\ncomponents:\n- ../../components/probe\n',
  '/w/overlays/b/Kustomization': 'bases:\n- ../../base\npatches:\n- path: patch.yaml\n',
  '/w/overlays/b/patch.yaml': DEPLOYMENT.replace('        image: web:1\n', '        image: web:2\n'),
  '/w/cycle/x/kustomization.yml': 'resources:\n- ../y\n',
  '/w/cycle/y/kustomization.yaml': 'resources:\n- ../x\n',
  '/w/node_modules/pkg/kustomization.yaml': 'resources: []\n',
  '/w/plain/pod.yaml': 'apiVersion: v1\nkind: Pod\n',
});

describe('the Kustomize trees of a folder', () => {
  it('finds every kustomization directory, by each of its file names, outside node_modules', () => {
    assert.deepEqual(kustomizationDirs('/w', fs), ['/w/base', '/w/components/probe', '/w/cycle/x', '/w/cycle/y', '/w/overlays/a', '/w/overlays/b']);
  });

  it('reads what a kustomization includes from resources, bases and components, never from a remote URL', () => {
    assert.deepEqual(includedDirs('/w/overlays/a', fs), ['/w/base', '/w/components/probe']);
    assert.deepEqual(includedDirs('/w/overlays/b', fs), ['/w/base']);
  });

  it('takes as top-level the kustomizations no other includes', () => {
    assert.deepEqual(topLevel(kustomizationDirs('/w', fs), fs), ['/w/overlays/a', '/w/overlays/b']);
  });

  it('builds the top-level trees, and one kustomization of a cycle that none reaches, with what each reads', () => {
    const trees = kustomizeTrees(['/w'], fs);
    assert.deepEqual(trees.map(tree => [tree.rendering.label, tree.rendering.rootFile]), [
      ['overlays/a', '/w/overlays/a/kustomization.yaml'],
      ['overlays/b', '/w/overlays/b/Kustomization'],
      ['cycle/x', '/w/cycle/x/kustomization.yml'],
    ]);
    assert.deepEqual([...trees[1].reads].sort(), ['/w/base/deployment.yaml', '/w/base/kustomization.yaml', '/w/overlays/b/Kustomization', '/w/overlays/b/patch.yaml']);
    assert.match(trees[2].build.problems.map(p => p.message).join('\n'), /^Cycle of kustomizations: /);
  });

  it('takes as top-level only what the folders given together leave unincluded', () => {
    assert.deepEqual(kustomizeTrees(['/w/base', '/w/overlays'], fs).map(tree => tree.rendering.label), ['a', 'b']);
    assert.deepEqual(kustomizeTrees(['/w/base'], fs).map(tree => tree.rendering.label), ['base']);
  });
});
