import { testRule, yaml } from '../../helpers';

const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'DeploymentConfig', 'Rollout'];

testRule('privileged-container', {
  valid: [
    {
      name: 'privileged: false, or not set',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: a
            securityContext: {privileged: false}
          - name: b
      `,
    },
    {
      name: 'privileged in the pod securityContext does nothing (misplaced-container-field reports it)',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext: {privileged: true}
          containers:
          - name: a
      `,
    },
  ],
  invalid: [
    {
      name: 'privileged: true, an error by default',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext:
              privileged: true
      `,
      findings: [{ range: '8:19-8:23', container: 'web', severity: 'error', message: /^Container "web" runs privileged: .* Remove privileged: true/ }],
    },
    {
      name: 'YAML 1.1 boolean, a container without a name',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - securityContext: {privileged: yes}
      `,
      findings: [{ range: '6:35-6:38', message: /^Container #1 runs privileged/ }],
    },
    {
      name: 'init and ephemeral containers, CronJob nesting',
      code: yaml`
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  initContainers:
                  - {name: setup, securityContext: {privileged: true}}
                  ephemeralContainers:
                  - {name: debug, securityContext: {privileged: true}}
                  containers:
                  - name: job
      `,
      findings: [{ range: '10:57-10:61', container: 'setup' }, { range: '12:57-12:61', container: 'debug' }],
    },
    {
      name: 'every workload kind with spec.template.spec',
      code: WORKLOAD_KINDS
        .map(kind => `apiVersion: x/v1\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        securityContext: {privileged: true}\n`).join('---\n'),
      findings: WORKLOAD_KINDS.map((_, i) => ({ range: `${i * 10 + 9}:39-${i * 10 + 9}:43` })),
    },
    {
      name: 'List items',
      code: yaml`
        apiVersion: v1
        kind: List
        items:
        - apiVersion: apps/v1
          kind: DaemonSet
          metadata: {name: agent}
          spec: {template: {spec: {containers: [{name: agent, securityContext: {privileged: true}}]}}}
      `,
      findings: [{ range: '7:85-7:89', container: 'agent' }],
    },
  ],
});
