import { testRule, yaml } from '../../helpers';

testRule('readonly-root-filesystem', {
  valid: [
    {
      name: 'Pod container with readOnlyRootFilesystem: true',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - name: web
              image: nginx:1.27
              securityContext:
                readOnlyRootFilesystem: true
      `,
    },
    {
      name: 'flow-style securityContext',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: web, image: nginx, securityContext: {readOnlyRootFilesystem: true}}]
      `,
    },
    {
      name: 'YAML 1.1 boolean, as Kubernetes reads it',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext:
              readOnlyRootFilesystem: yes
      `,
    },
    {
      name: 'value through an alias',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: a
            securityContext: &locked
              readOnlyRootFilesystem: true
          - name: b
            securityContext: *locked
      `,
    },
    {
      name: 'not Kubernetes: no apiVersion and kind',
      code: yaml`
        containers:
          - name: web
            image: nginx
      `,
    },
    {
      name: 'a kind without pod spec',
      code: yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
        data:
          spec: "containers: [{name: x}]"
      `,
    },
    {
      name: 'Helm template',
      code: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: "{{ .Values.image }}"
      `,
    },
  ],
  invalid: [
    {
      name: 'no securityContext: on the name pair',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - name: web
              image: nginx:1.27
      `,
      findings: [{ range: '6:7-6:16', container: 'web', severity: 'warning', message: /^Container "web" does not set readOnlyRootFilesystem: true/ }],
    },
    {
      name: 'securityContext without the field: on the securityContext key',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - name: web
              securityContext:
                runAsNonRoot: true
      `,
      findings: [{ range: '7:7-7:22' }],
    },
    {
      name: 'false: on the value',
      code: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers:
              - name: web
                securityContext:
                  readOnlyRootFilesystem: false # for now
      `,
      findings: [{ range: '10:35-10:40', message: /sets readOnlyRootFilesystem: false/ }],
    },
    {
      name: 'a string is not the boolean true',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext: {readOnlyRootFilesystem: "true"}
      `,
      findings: [{ range: '7:47-7:53', message: /not the boolean true/ }],
    },
    {
      name: 'set at pod level only: related information points at the ignored field',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext:
            readOnlyRootFilesystem: true
          containers:
          - name: web
      `,
      findings: [{ range: '8:5-8:14', related: ['6:5-6:33'] }],
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
          - name: sidecar
            restartPolicy: Always
          ephemeralContainers:
          - name: debug
          containers:
          - name: web
            securityContext: {readOnlyRootFilesystem: true}
      `,
      findings: [
        { range: '6:5-6:16', container: 'setup', message: /^Init container "setup"/ },
        { range: '7:5-7:18', container: 'sidecar' },
        { range: '10:5-10:16', container: 'debug', message: /^Ephemeral container "debug"/ },
      ],
    },
    {
      name: 'container without a name: on its first pair',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - image: nginx
      `,
      findings: [{ range: '6:5-6:17', message: /^Container #1 / }],
    },
    {
      name: 'CronJob nesting',
      code: yaml`
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec:
          schedule: "0 2 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                  - name: job
      `,
      findings: [{ range: '11:13-11:22' }],
    },
    {
      name: 'every workload kind with spec.template.spec',
      code: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'DeploymentConfig', 'Rollout']
        .map(kind => `apiVersion: x/v1\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n`).join('---\n'),
      findings: [0, 1, 2, 3, 4, 5, 6, 7].map(i => ({ range: `${i * 9 + 8}:9-${i * 9 + 8}:16` })),
    },
    {
      name: 'PodTemplate',
      code: yaml`
        apiVersion: v1
        kind: PodTemplate
        metadata: {name: t}
        template:
          spec:
            containers:
            - name: c
      `,
      findings: [{ range: '7:7-7:14' }],
    },
    {
      name: 'List items, nested Lists',
      code: yaml`
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Pod
          metadata: {name: a}
          spec:
            containers: [{name: a}]
        - apiVersion: v1
          kind: DeploymentList
          items:
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: b}
            spec: {template: {spec: {containers: [{name: b}]}}}
      `,
      findings: [{ range: '8:19-8:26', container: 'a' }, { range: '15:44-15:51', container: 'b' }],
    },
    {
      name: 'one broken document does not hide the others',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: a}
        spec: {containers: [{name: a}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: b
        spec: [
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: c}
        spec: {containers: [{name: c}]}
      `,
      findings: [{ range: '4:22-4:29', container: 'a' }, { range: '14:22-14:29', container: 'c' }],
    },
    {
      name: 'CRLF line endings',
      code: 'apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: a}\r\nspec:\r\n  containers:\r\n  - name: a\r\n    securityContext:\r\n      readOnlyRootFilesystem: false\r\n',
      findings: [{ range: '8:31-8:36' }],
    },
  ],
});
