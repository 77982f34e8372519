import { testRule, yaml } from '../../helpers';

const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'DeploymentConfig', 'Rollout'];

testRule('privilege-escalation', {
  valid: [
    {
      name: 'allowPrivilegeEscalation: false',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext:
              allowPrivilegeEscalation: false
      `,
    },
    {
      name: 'a Windows pod: the control is Linux-only',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: win}
        spec:
          os: {name: windows}
          containers:
          - name: app
      `,
    },
  ],
  invalid: [
    {
      name: 'missing: Kubernetes defaults it to true',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
      `,
      findings: [{ range: '6:5-6:14', container: 'web', message: /^Container "web" does not set allowPrivilegeEscalation: false, and Kubernetes defaults it to true: .* Set securityContext.allowPrivilegeEscalation: false\.$/ }],
    },
    {
      name: 'true: on the value',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext:
              allowPrivilegeEscalation: true
      `,
      findings: [{ range: '8:33-8:37', message: /sets allowPrivilegeEscalation: true/ }],
    },
    {
      name: 'a string is not the boolean false',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext: {allowPrivilegeEscalation: "false"}
      `,
      findings: [{ range: '7:49-7:56', message: /not the boolean false/ }],
    },
    {
      name: 'set only in the pod securityContext, where Kubernetes ignores it',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext:
            allowPrivilegeEscalation: false
          containers:
          - name: web
            securityContext: {}
      `,
      findings: [{ range: '9:5-9:20', related: ['6:5-6:36'] }],
    },
    {
      name: 'init and ephemeral containers',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          initContainers:
          - name: setup
            securityContext: {allowPrivilegeEscalation: true}
          ephemeralContainers:
          - name: debug
          containers:
          - name: web
            securityContext: {allowPrivilegeEscalation: false}
      `,
      findings: [{ range: '7:49-7:53', container: 'setup' }, { range: '9:5-9:16', container: 'debug' }],
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
      `,
      findings: [{ range: '10:13-10:22' }],
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
        kind: PodList
        items:
        - apiVersion: v1
          kind: Pod
          metadata: {name: a}
          spec: {containers: [{name: a}]}
      `,
      findings: [{ range: '7:24-7:31', container: 'a' }],
    },
  ],
});
