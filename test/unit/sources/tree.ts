// A small Kustomize tree and its rendering, shared by the placement and fix projection tests: a base Deployment,
// and an overlay whose patch sets readOnlyRootFilesystem: false and whose `images:` entry sets the tag `latest`.
import { yaml } from '../../helpers';
import { Rendering } from '../../../server/src/sources/sourceFindings';
import { memoryFs, rendering, spanOf } from './renderings';

export const BASE_DEPLOYMENT = yaml`
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

export const PATCH = yaml`
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

export const OVERLAY = yaml`
  resources:
  - ../../base
  images:
  - name: registry.example.com/web
    newTag: latest
  patches:
  - path: patch.yaml
`;

/** What `kustomize build overlays/prod` prints for the tree. */
export const RENDERED = yaml`
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

export function overlayTree(files: Record<string, string> = {}) {
  const fs = memoryFs({
    '/t/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
    '/t/base/deployment.yaml': BASE_DEPLOYMENT,
    '/t/overlays/prod/kustomization.yaml': OVERLAY,
    '/t/overlays/prod/patch.yaml': PATCH,
    ...files,
  });
  const document = rendering(fs, RENDERED, 'overlays/prod',
    [{ file: '/t/base/deployment.yaml' }, { file: '/t/overlays/prod/patch.yaml' }],
    { 'spec.template.spec.containers[web].image': { kind: 'generated', via: 'images', span: spanOf(fs, '/t/overlays/prod/kustomization.yaml', 'newTag: latest') } });
  const prod: Rendering = { rootFile: '/t/overlays/prod/kustomization.yaml', label: 'overlays/prod', documents: [document], problems: [] };
  return { fs, document, prod };
}
