import { testRule, yaml } from '../../helpers';

const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'DeploymentConfig', 'Rollout'];

testRule('run-as-root', {
  valid: [
    {
      name: 'runAsNonRoot: true in the pod securityContext',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext:
            runAsNonRoot: true
          containers:
          - name: web
      `,
    },
    {
      name: 'a non-zero runAsUser without runAsNonRoot',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext: {runAsUser: 101}
      `,
    },
    {
      name: 'the container overrides runAsNonRoot: false of the pod',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext: {runAsNonRoot: false}
          containers:
          - name: web
            securityContext: {runAsNonRoot: true}
      `,
    },
    {
      name: 'the container overrides runAsUser: 0 of the pod',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext: {runAsUser: 0, runAsNonRoot: true}
          containers:
          - name: web
            securityContext: {runAsUser: 1000}
      `,
    },
    {
      name: 'a Windows pod with runAsNonRoot: true',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: win}
        spec:
          os: {name: windows}
          securityContext: {runAsNonRoot: true}
          containers:
          - name: app
      `,
    },
    {
      name: 'not Kubernetes',
      code: yaml`
        containers:
        - name: web
      `,
    },
    {
      name: 'official nginx with runAsNonRoot: true and runAsUser: 101',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext: {runAsNonRoot: true}
          containers:
          - name: web
            image: nginx:1.27
            securityContext: {runAsUser: 101}
      `,
    },
    {
      name: 'prometheus with runAsNonRoot: true and its UID',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: prom}
        spec:
          containers:
          - name: prometheus
            image: prom/prometheus:v2.53.0
            securityContext: {runAsNonRoot: true, runAsUser: 65534}
      `,
    },
    {
      name: 'runAsNonRoot: true on an image that runs as a non-root user',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            image: nginxinc/nginx-unprivileged:1.27
            securityContext: {runAsNonRoot: true}
      `,
    },
  ],
  invalid: [
    {
      name: 'nothing set: on the name pair',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            image: nginx:1.27
      `,
      findings: [{ range: '6:5-6:14', container: 'web', severity: 'warning', message: /^Container "web" sets neither runAsNonRoot: true nor a non-zero runAsUser: .* Set runAsNonRoot: true/ }],
    },
    {
      name: 'a securityContext without the fields: on its key',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext:
              readOnlyRootFilesystem: true
      `,
      findings: [{ range: '7:5-7:20' }],
    },
    {
      name: 'runAsNonRoot: false: on the value',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext:
              runAsNonRoot: false
      `,
      findings: [{ range: '8:21-8:26', message: /sets runAsNonRoot: false: it may run as root/ }],
    },
    {
      name: 'runAsUser: 0 beside runAsNonRoot: true: the kubelet refuses to start it',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext:
            runAsNonRoot: true
          containers:
          - name: web
            securityContext:
              runAsUser: 0
      `,
      findings: [{ range: '10:18-10:19', container: 'web', message: /sets runAsUser: 0: with runAsNonRoot: true the kubelet refuses to start it/ }],
    },
    {
      name: 'runAsGroup: 0 with a non-root user',
      code: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: group-zero}
        spec:
          template:
            spec:
              containers:
              - name: app
                securityContext:
                  runAsUser: 1001
                  runAsGroup: 0
      `,
      findings: [{ range: '11:23-11:24', message: /sets runAsGroup: 0: its processes get the root group/ }],
    },
    {
      name: 'a pod-level runAsUser: 0 inherited by two containers: one finding on the pod value',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext: {runAsUser: 0}
          containers:
          - name: web
          - name: sidecar
      `,
      findings: [{ range: '5:32-5:33', container: undefined, message: /^The pod securityContext sets runAsUser: 0, inherited by Container "web", Container "sidecar": it runs as root/ }],
    },
    {
      name: 'a pod-level runAsUser: 0 that one container cannot start with and another runs as root with',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext: {runAsUser: 0}
          containers:
          - name: strict
            securityContext: {runAsNonRoot: true}
          - name: web
      `,
      findings: [
        { range: '5:32-5:33', container: 'strict', message: /inherited by Container "strict": with runAsNonRoot: true the kubelet refuses to start it/ },
        { range: '5:32-5:33', container: 'web', message: /inherited by Container "web": it runs as root/ },
      ],
    },
    {
      name: 'a Windows pod needs runAsNonRoot: true, whatever its runAsUser',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: win}
        spec:
          os: {name: windows}
          containers:
          - name: app
            securityContext: {runAsUser: 1000}
      `,
      findings: [{ range: '8:5-8:20', message: /^Container "app" does not set runAsNonRoot: true/ }],
    },
    {
      name: 'init, sidecar and ephemeral containers',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          initContainers:
          - name: setup
          ephemeralContainers:
          - name: debug
          containers:
          - name: web
            securityContext: {runAsNonRoot: true}
      `,
      findings: [
        { range: '6:5-6:16', container: 'setup', message: /^Init container "setup"/ },
        { range: '8:5-8:16', container: 'debug', message: /^Ephemeral container "debug"/ },
      ],
    },
    {
      name: 'CronJob nesting',
      code: yaml`
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                  - name: job
                    securityContext: {runAsUser: 0}
      `,
      findings: [{ range: '11:42-11:43' }],
    },
    {
      name: 'every workload kind with spec.template.spec',
      code: WORKLOAD_KINDS
        .map(kind => `apiVersion: x/v1\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n`).join('---\n'),
      findings: WORKLOAD_KINDS.map((_, i) => ({ range: `${i * 9 + 8}:9-${i * 9 + 8}:16` })),
    },
    {
      name: 'List items',
      code: yaml`
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Pod
          metadata: {name: a}
          spec:
            containers: [{name: a, securityContext: {runAsNonRoot: false}}]
      `,
      findings: [{ range: '8:60-8:65', container: 'a' }],
    },
    {
      name: 'runAsNonRoot: true on official nginx: a hint on the value, as the kubelet will refuse it',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            image: nginx:1.27
            securityContext:
              runAsNonRoot: true
      `,
      findings: [{
        range: '9:21-9:25',
        severity: 'hint',
        container: 'web',
        message: /^Container "web" runs nginx:1\.27, which runs as root \(its Dockerfile sets no USER\): with runAsNonRoot: true and no runAsUser the kubelet refuses to start it \(CreateContainerConfigError\)\. Run a variant built for a non-root user, or set runAsUser to a non-zero UID the image supports\.$/,
      }],
    },
    {
      name: 'runAsNonRoot: true on an image that names its user: a hint on the value',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: prom}
        spec:
          containers:
          - name: prometheus
            image: quay.io/prometheus/prometheus:v2.53.0
            securityContext: {runAsNonRoot: true}
      `,
      findings: [{
        range: '8:37-8:41',
        severity: 'hint',
        container: 'prometheus',
        message: /^Container "prometheus" runs quay\.io\/prometheus\/prometheus:v2\.53\.0, whose Dockerfile names its user \(nobody\) instead of giving a UID: with runAsNonRoot: true and no runAsUser the kubelet cannot verify it and refuses to start it \(CreateContainerConfigError\)\. Set runAsUser: 65534\.$/,
      }],
    },
    {
      name: 'runAsNonRoot: true of the pod, inherited by two root images: one hint on the pod value',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext: {runAsNonRoot: true}
          containers:
          - name: web
            image: httpd:2.4
          - name: cache
            image: docker.io/library/redis:7.4
          - name: app
            image: registry.example.com/app:1
      `,
      findings: [{
        range: '5:35-5:39',
        severity: 'hint',
        container: undefined,
        message: /^The pod securityContext sets runAsNonRoot: true, inherited by Container "web", Container "cache", whose images httpd:2\.4, docker\.io\/library\/redis:7\.4 run as root \(no USER in the Dockerfile\): without a runAsUser the kubelet refuses to start them \(CreateContainerConfigError\)\. Run a variant/,
      }],
    },
  ],
});
