// The renderer's output for small trees, table by table: each expected text is what `kubectl kustomize`
// (Kustomize v5.5) prints for the same tree.
import * as assert from 'node:assert/strict';
import { buildKustomization, printBuild } from '../../../server/src/sources/kustomize';
import { yaml } from '../../helpers';
import { memoryTree } from './memoryTree';

interface BuildCase {
  name: string;
  files: Record<string, string>;
  root?: string;
  reorder?: 'legacy' | 'none';
  output: string;
}

const DEPLOYMENT = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    template:
      spec:
        serviceAccountName: web
        containers:
        - name: web
          image: registry.example.com/web:1.27
          envFrom:
          - configMapRef: {name: settings}
          securityContext:
            readOnlyRootFilesystem: true
        volumes:
        - name: data
          persistentVolumeClaim: {claimName: data}
        - name: tls
          secret: {secretName: tls}
`;

const cases: BuildCase[] = [
  {
    name: 'an overlay patch merges into the base container by name, and keeps the rest',
    files: {
      '/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      '/base/deployment.yaml': DEPLOYMENT,
      '/overlay/kustomization.yaml': 'resources: [../base]\npatches:\n- path: patch.yaml\n',
      '/overlay/patch.yaml': yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers:
              - name: web
                securityContext:
                  readOnlyRootFilesystem: false
              - name: sidecar
                image: busybox:1.36
      `,
    },
    root: '/overlay',
    output: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
            - envFrom:
              - configMapRef:
                  name: settings
              image: registry.example.com/web:1.27
              name: web
              securityContext:
                readOnlyRootFilesystem: false
            - image: busybox:1.36
              name: sidecar
            serviceAccountName: web
            volumes:
            - name: data
              persistentVolumeClaim:
                claimName: data
            - name: tls
              secret:
                secretName: tls
    `,
  },
  {
    name: 'namespace, prefix and suffix rename the objects and the references to them from the pod spec',
    files: {
      '/app/kustomization.yaml': yaml`
        namespace: shop
        namePrefix: prod-
        nameSuffix: -v2
        resources: [deployment.yaml, objects.yaml]
      `,
      '/app/deployment.yaml': DEPLOYMENT,
      '/app/objects.yaml': yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: tls}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: web}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: web}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
        subjects:
        - {kind: ServiceAccount, name: web}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: reader}
      `,
    },
    root: '/app',
    output: yaml`
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: prod-web-v2
        namespace: shop
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata:
        name: prod-reader-v2
        namespace: shop
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata:
        name: prod-web-v2
        namespace: shop
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: Role
        name: prod-reader-v2
      subjects:
      - kind: ServiceAccount
        name: prod-web-v2
        namespace: shop
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: prod-settings-v2
        namespace: shop
      ---
      apiVersion: v1
      kind: Secret
      metadata:
        name: prod-tls-v2
        namespace: shop
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: prod-data-v2
        namespace: shop
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: prod-web-v2
        namespace: shop
      spec:
        template:
          spec:
            containers:
            - envFrom:
              - configMapRef:
                  name: prod-settings-v2
              image: registry.example.com/web:1.27
              name: web
              securityContext:
                readOnlyRootFilesystem: true
            serviceAccountName: prod-web-v2
            volumes:
            - name: data
              persistentVolumeClaim:
                claimName: prod-data-v2
            - name: tls
              secret:
                secretName: prod-tls-v2
    `,
  },
  {
    name: 'generators add the content hash to the names, and the pod spec follows',
    files: {
      '/app/kustomization.yaml': yaml`
        resources: [pod.yaml]
        configMapGenerator:
        - name: empty
        - name: settings
          literals: ["k=v<&>", "q='x'"]
        secretGenerator:
        - name: token
          literals: [k=v]
      `,
      '/app/pod.yaml': yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            image: web:1
            env:
            - name: TOKEN
              valueFrom: {secretKeyRef: {name: token, key: k}}
            envFrom:
            - configMapRef: {name: settings}
      `,
    },
    root: '/app',
    reorder: 'none',
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        containers:
        - env:
          - name: TOKEN
            valueFrom:
              secretKeyRef:
                key: k
                name: token-ftgtgc4t9f
          envFrom:
          - configMapRef:
              name: settings-95tgmf5682
          image: web:1
          name: web
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: empty-6ct58987ht
      ---
      apiVersion: v1
      data:
        k: v<&>
        q: x
      kind: ConfigMap
      metadata:
        name: settings-95tgmf5682
      ---
      apiVersion: v1
      data:
        k: dg==
      kind: Secret
      metadata:
        name: token-ftgtgc4t9f
      type: Opaque
    `,
  },
  {
    name: 'images, replicas, labels with selectors and annotations',
    files: {
      '/app/kustomization.yaml': yaml`
        resources: [deployment.yaml, service.yaml]
        images:
        - name: registry.example.com/web
          newName: mirror.example.com/web
          newTag: latest
        replicas:
        - name: web
          count: 3
        commonLabels:
          app: web
        commonAnnotations:
          team: payments
      `,
      '/app/deployment.yaml': yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers:
              - {name: web, image: "registry.example.com/web:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000"}
              initContainers:
              - {name: init, image: registry.example.com/web}
      `,
      '/app/service.yaml': yaml`
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{port: 80}]
      `,
    },
    root: '/app',
    output: yaml`
      apiVersion: v1
      kind: Service
      metadata:
        annotations:
          team: payments
        labels:
          app: web
        name: web
      spec:
        ports:
        - port: 80
        selector:
          app: web
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        annotations:
          team: payments
        labels:
          app: web
        name: web
      spec:
        replicas: 3
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            annotations:
              team: payments
            labels:
              app: web
          spec:
            containers:
            - image: mirror.example.com/web:latest
              name: web
            initContainers:
            - image: mirror.example.com/web:latest
              name: init
    `,
  },
  {
    name: 'inline JSON 6902 patches by target, a component, and $patch: delete',
    files: {
      '/app/kustomization.yaml': yaml`
        resources: [deployment.yaml, extra.yaml]
        components: [../tls]
        patches:
        - target: {kind: Deployment, name: "w.*"}
          patch: |-
            - op: add
              path: /spec/template/spec/containers/0/securityContext
              value: {runAsNonRoot: true}
            - op: replace
              path: /spec/template/spec/containers/0/image
              value: web:2
        - patch: |-
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: extra}
            $patch: delete
      `,
      '/app/deployment.yaml': yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers:
              - {name: web, image: web:1}
      `,
      '/app/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n',
      '/tls/kustomization.yaml': yaml`
        apiVersion: kustomize.config.k8s.io/v1alpha1
        kind: Component
        patches:
        - patch: |-
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              template:
                spec:
                  volumes:
                  - {name: tls, emptyDir: {}}
      `,
    },
    root: '/app',
    output: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
            - image: web:2
              name: web
              securityContext:
                runAsNonRoot: true
            volumes:
            - emptyDir: {}
              name: tls
    `,
  },
  {
    name: 'two bases with objects of one name: each reference goes to the object renamed with it',
    files: {
      '/app/kustomization.yaml': 'resources: [a, b]\n',
      '/app/a/kustomization.yaml': 'namePrefix: a-\nresources: [../../common]\n',
      '/app/b/kustomization.yaml': 'namePrefix: b-\nresources: [../../common]\n',
      '/common/kustomization.yaml': 'resources: [objects.yaml]\n',
      '/common/objects.yaml': yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            image: web:1
            envFrom: [{configMapRef: {name: settings}}]
      `,
    },
    root: '/app',
    reorder: 'none',
    output: yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: a-settings
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: a-web
      spec:
        containers:
        - envFrom:
          - configMapRef:
              name: a-settings
          image: web:1
          name: web
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: b-settings
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: b-web
      spec:
        containers:
        - envFrom:
          - configMapRef:
              name: b-settings
          image: web:1
          name: web
    `,
  },
  {
    name: 'annotation values written as strings, labels as written; only the core Namespace takes the namespace as its name',
    files: {
      '/app/kustomization.yaml': 'namespace: shop\nresources: [objects.yaml]\n',
      '/app/objects.yaml': yaml`
        apiVersion: v1
        kind: Namespace
        metadata: {name: old}
        ---
        apiVersion: example.com/v1
        kind: Namespace
        metadata: {name: custom}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          labels: {version: 2}
          annotations: {happy: true}
      `,
    },
    root: '/app',
    reorder: 'none',
    output: yaml`
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
      ---
      apiVersion: example.com/v1
      kind: Namespace
      metadata:
        name: custom
        namespace: shop
      ---
      apiVersion: v1
      kind: Service
      metadata:
        annotations:
          happy: "true"
        labels:
          version: 2
        name: web
        namespace: shop
    `,
  },
];

describe('Kustomize renderer: build output', () => {
  for (const c of cases) {
    it(c.name, () => {
      const build = buildKustomization(c.root ?? '/', memoryTree(c.files), { reorder: c.reorder });
      assert.deepEqual(build.problems, []);
      assert.equal(printBuild(build), c.output);
    });
  }
});
