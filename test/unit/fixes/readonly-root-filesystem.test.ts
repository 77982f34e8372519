import * as assert from 'node:assert/strict';
import { yaml } from '../../helpers';
import { crlf, fixTitles, testFixes, withoutFinalNewline } from './fixTable';

const APP = 'registry.example.com/shop/app:1.4.2';

testFixes('readonly-root-filesystem', [
  {
    name: 'adds a securityContext to a container that has none (2 spaces, indented sequence)',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        containers:
          - name: app
            image: ${APP}
            ports:
              - containerPort: 8080
        restartPolicy: Always
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        containers:
          - name: app
            image: ${APP}
            ports:
              - containerPort: 8080
            securityContext:
              readOnlyRootFilesystem: true
        restartPolicy: Always
    `,
  },
  {
    name: '4-space indentation and flush sequences',
    code: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
          name: app
      spec:
          template:
              spec:
                  containers:
                  - name: app
                    image: ${APP}
    `,
    output: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
          name: app
      spec:
          template:
              spec:
                  containers:
                  - name: app
                    image: ${APP}
                    securityContext:
                        readOnlyRootFilesystem: true
    `,
  },
  {
    name: 'merges into a block securityContext, keeping comments inside and after the container',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app  # the application
          image: ${APP}
          securityContext:
            # set by the platform team
            runAsUser: 1000  # a fixed uid
          # ports come later
        - name: sidecar
          image: ${APP}
          securityContext: {readOnlyRootFilesystem: true}
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app  # the application
          image: ${APP}
          securityContext:
            # set by the platform team
            runAsUser: 1000  # a fixed uid
            readOnlyRootFilesystem: true
          # ports come later
        - name: sidecar
          image: ${APP}
          securityContext: {readOnlyRootFilesystem: true}
    `,
  },
  {
    name: 'fills a flow-style securityContext: {}',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext: {}
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext: {readOnlyRootFilesystem: true}
    `,
  },
  {
    name: 'adds to a flow-style securityContext with fields, and to a flow-style container',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers: [{name: app, image: ${APP}, securityContext: {runAsNonRoot: true}}, {name: b, image: ${APP}}]
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers: [{name: app, image: ${APP}, securityContext: {runAsNonRoot: true, readOnlyRootFilesystem: true}}, {name: b, image: ${APP}}]
    `,
  },
  {
    name: 'creates a securityContext in a flow-style container',
    finding: 1,
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers: [{name: app, image: ${APP}, securityContext: {runAsNonRoot: true}}, {name: b, image: ${APP}}]
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers: [{name: app, image: ${APP}, securityContext: {runAsNonRoot: true}}, {name: b, image: ${APP}, securityContext: {readOnlyRootFilesystem: true}}]
    `,
  },
  {
    name: 'flips false, keeping the comment after it',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext:
            readOnlyRootFilesystem: false  # writes its cache
            runAsNonRoot: true
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext:
            readOnlyRootFilesystem: true  # writes its cache
            runAsNonRoot: true
    `,
  },
  {
    name: 'replaces a quoted "true", which is a string and not the boolean',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext: {readOnlyRootFilesystem: "true"}
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext: {readOnlyRootFilesystem: true}
    `,
  },
  {
    name: 'fills an empty securityContext: value',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          securityContext:
          image: ${APP}
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          securityContext:
            readOnlyRootFilesystem: true
          image: ${APP}
    `,
  },
  {
    name: 'keeps CRLF line endings',
    code: crlf(yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
        # end of containers
    `),
    output: crlf(yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext:
            readOnlyRootFilesystem: true
        # end of containers
    `),
  },
  {
    name: 'a container on the last line of a file without a final line break',
    code: withoutFinalNewline(yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
    `),
    output: withoutFinalNewline(yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext:
            readOnlyRootFilesystem: true
    `),
  },
  {
    name: 'a container in the items of a List, in the second document of a stream',
    code: yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
      ---
      apiVersion: v1
      kind: List
      items:
      - apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app}
        spec:
          template:
            spec:
              containers:
              - name: app
                image: ${APP}
    `,
    output: yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
      ---
      apiVersion: v1
      kind: List
      items:
      - apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app}
        spec:
          template:
            spec:
              containers:
              - name: app
                image: ${APP}
                securityContext:
                  readOnlyRootFilesystem: true
    `,
  },
  {
    name: 'a CronJob\'s container',
    code: yaml`
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: report}
      spec:
        schedule: "0 2 * * *"
        jobTemplate:
          spec:
            template:
              spec:
                containers:
                  - name: report
                    image: ${APP}
                restartPolicy: OnFailure
    `,
    output: yaml`
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: report}
      spec:
        schedule: "0 2 * * *"
        jobTemplate:
          spec:
            template:
              spec:
                containers:
                  - name: report
                    image: ${APP}
                    securityContext:
                      readOnlyRootFilesystem: true
                restartPolicy: OnFailure
    `,
  },
  {
    name: 'a known image: read-only root and emptyDir volumes, reusing the volume lists and never a taken name',
    code: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        template:
          spec:
            containers:
              - name: web
                image: docker.io/library/nginx:1.27@sha256:${'a'.repeat(64)}
                volumeMounts:
                  - name: var-run
                    mountPath: /etc/nginx/conf.d
            volumes:
              - name: var-run
                configMap: {name: web-conf}
    `,
    output: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        template:
          spec:
            containers:
              - name: web
                image: docker.io/library/nginx:1.27@sha256:${'a'.repeat(64)}
                volumeMounts:
                  - name: var-run
                    mountPath: /etc/nginx/conf.d
                  - name: var-cache-nginx
                    mountPath: /var/cache/nginx
                  - name: var-run-2
                    mountPath: /var/run
                securityContext:
                  readOnlyRootFilesystem: true
            volumes:
              - name: var-run
                configMap: {name: web-conf}
              - name: var-cache-nginx
                emptyDir: {}
              - name: var-run-2
                emptyDir: {}
    `,
  },
  {
    name: 'a known image whose write path is mounted already: only the other one is added',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers:
        - name: web
          image: nginx
          volumeMounts: [{name: run, mountPath: /var/run}]
        volumes: [{name: run, emptyDir: {}}]
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers:
        - name: web
          image: nginx
          volumeMounts: [{name: run, mountPath: /var/run}, {name: var-cache-nginx, mountPath: /var/cache/nginx}]
          securityContext:
            readOnlyRootFilesystem: true
        volumes: [{name: run, emptyDir: {}}, {name: var-cache-nginx, emptyDir: {}}]
    `,
  },
  {
    name: 'harden: the restricted set, merged into what is there, and the pod-level seccomp profile',
    title: /^Harden/,
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        securityContext:
          fsGroup: 2000
        containers:
        - name: app
          image: ${APP}
          securityContext:
            runAsUser: 1000
            capabilities:
              drop: [NET_RAW]
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        securityContext:
          fsGroup: 2000
          seccompProfile:
            type: RuntimeDefault
        containers:
        - name: app
          image: ${APP}
          securityContext:
            runAsUser: 1000
            capabilities:
              drop: [NET_RAW, ALL]
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
    `,
  },
  {
    name: 'harden: a privileged container becomes unprivileged, and a pod without securityContext gets one',
    title: /^Harden/,
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext: {privileged: true}
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext: {privileged: false, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: {drop: [ALL]}}
        securityContext:
          seccompProfile:
            type: RuntimeDefault
    `,
  },
  {
    name: 'harden: an image that names its user gets its UID beside runAsNonRoot: true',
    title: /^Harden/,
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: prom}
      spec:
        securityContext:
          seccompProfile: {type: RuntimeDefault}
        containers:
        - name: prometheus
          image: prom/prometheus:v2.53.0
          volumeMounts: [{name: data, mountPath: /prometheus}]
        volumes: [{name: data, emptyDir: {}}]
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: prom}
      spec:
        securityContext:
          seccompProfile: {type: RuntimeDefault}
        containers:
        - name: prometheus
          image: prom/prometheus:v2.53.0
          volumeMounts: [{name: data, mountPath: /prometheus}]
          securityContext:
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
            runAsNonRoot: true
            runAsUser: 65534
            capabilities:
              drop: [ALL]
        volumes: [{name: data, emptyDir: {}}]
    `,
  },
  {
    name: 'no fix through an alias, which other containers share',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: a
          image: ${APP}
          securityContext: &shared
            runAsNonRoot: true
        - name: b
          image: ${APP}
          securityContext: *shared
    `,
    finding: 1,
    output: null,
  },
]);

describe('readonly-root-filesystem fix titles', () => {
  it('prefers the emptyDir fix for a known image, and offers the bare setting and hardening', () => {
    const code = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: httpd:2.4\n';
    assert.deepEqual(fixTitles('readonly-root-filesystem', code), [
      '* Set readOnlyRootFilesystem: true and mount emptyDir volumes at /usr/local/apache2/logs',
      'Set readOnlyRootFilesystem: true',
      'Harden container "web" to the restricted Pod Security Standard (httpd:2.4 runs as root, so the kubelet will not start it)',
    ]);
  });

  it('says hardening is plain for an image that runs as a non-root user', () => {
    const code = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: nginxinc/nginx-unprivileged:1.27\n';
    assert.deepEqual(fixTitles('readonly-root-filesystem', code).slice(-1), ['Harden container "web" to the restricted Pod Security Standard']);
  });

  it('uses the configured write paths of an image', () => {
    const code = `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: ${APP}\n`;
    assert.deepEqual(fixTitles('readonly-root-filesystem', code, { imageWritePaths: { 'registry.example.com/shop/app': ['/srv/cache'] } })[0],
      '* Set readOnlyRootFilesystem: true and mount emptyDir volumes at /srv/cache');
  });

  it('offers no hardening for a Windows pod', () => {
    const code = `apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  os: {name: windows}\n  containers:\n  - name: w\n    image: ${APP}\n`;
    assert.deepEqual(fixTitles('readonly-root-filesystem', code), ['* Set readOnlyRootFilesystem: true']);
  });
});
