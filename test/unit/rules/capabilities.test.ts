import { testRule, yaml } from '../../helpers';

const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'DeploymentConfig', 'Rollout'];

testRule('capabilities', {
  valid: [
    {
      name: 'drop ALL, add back NET_BIND_SERVICE',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext:
              capabilities:
                drop: [ALL]
                add: [NET_BIND_SERVICE]
      `,
    },
    {
      name: 'names in any case',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext: {capabilities: {drop: [all], add: [net_bind_service]}}
      `,
    },
    {
      name: 'every default capability dropped one by one',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext:
              capabilities:
                drop: [AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_RAW, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]
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
      name: 'no capabilities: on the name pair',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
      `,
      findings: [{
        range: '6:5-6:14', container: 'web',
        message: /^Container "web" does not drop ALL capabilities, so it keeps the runtime's defaults: with CHOWN or DAC_OVERRIDE or FOWNER a process can rewrite the image's files.* Set securityContext.capabilities.drop: \[ALL\]/,
      }],
    },
    {
      name: 'capabilities: {}: on its key',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext:
              capabilities: {}
      `,
      findings: [{ range: '8:7-8:19' }],
    },
    {
      name: 'a drop list that misses some defaults: on drop, naming them',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext:
              capabilities:
                drop: [NET_RAW, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, SETFCAP, SETGID, SETUID, SYS_CHROOT]
      `,
      findings: [{ range: '9:9-9:13', message: /keeps the default capabilities AUDIT_WRITE, SETPCAP: each is a piece of root's power/ }],
    },
    {
      name: 'each added capability but NET_BIND_SERVICE, on its item',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            securityContext:
              capabilities:
                drop: [ALL]
                add:
                - NET_BIND_SERVICE
                - sys_admin
                - ALL
      `,
      findings: [
        { range: '12:11-12:20', message: /^Container "web" adds the capability SYS_ADMIN: .* Remove it from capabilities.add/ },
        { range: '13:11-13:14', message: /^Container "web" adds every capability \(ALL\)/ },
      ],
    },
    {
      name: 'set only in the pod securityContext, where Kubernetes ignores it',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext:
            capabilities: {drop: [ALL]}
          containers:
          - name: web
      `,
      findings: [{ range: '8:5-8:14', related: ['6:5-6:32'] }],
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
                  - name: setup
                  ephemeralContainers:
                  - name: debug
                  containers:
                  - name: job
                    securityContext: {capabilities: {drop: [ALL]}}
      `,
      findings: [{ range: '10:13-10:24', container: 'setup' }, { range: '12:13-12:24', container: 'debug' }],
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
          spec: {containers: [{name: a, securityContext: {capabilities: {add: [NET_ADMIN], drop: [ALL]}}}]}
      `,
      findings: [{ range: '7:72-7:81', container: 'a' }],
    },
  ],
});
