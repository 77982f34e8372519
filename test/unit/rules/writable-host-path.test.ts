import { testRule, yaml } from '../../helpers';

const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'DeploymentConfig', 'Rollout'];

testRule('writable-host-path', {
  valid: [
    {
      name: 'a hostPath mounted readOnly, other volumes writable',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            volumeMounts:
            - {name: config, mountPath: /config, readOnly: true}
            - {name: cache, mountPath: /cache}
          volumes:
          - name: config
            hostPath: {path: /etc/app}
          - name: cache
            emptyDir: {}
      `,
    },
    {
      name: 'a hostPath volume no container mounts',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
          volumes:
          - name: config
            hostPath: {path: /etc/app}
      `,
    },
  ],
  invalid: [
    {
      name: 'no readOnly: on the mount\'s name pair, related to the volume',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            volumeMounts:
            - name: config
              mountPath: /config
          volumes:
          - name: config
            hostPath:
              path: /etc/app
      `,
      findings: [{
        range: '8:7-8:19', container: 'web', severity: 'warning', related: ['12:5-12:13'],
        message: /^Container "web" mounts the hostPath volume "config" \(\/etc\/app on the node\) read-write at \/config: .* Set readOnly: true on the volumeMount/,
      }],
    },
    {
      name: 'readOnly: false: on the value',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            volumeMounts: [{name: sock, mountPath: /var/run/docker.sock, readOnly: false}]
          volumes: [{name: sock, hostPath: {path: /var/run/docker.sock}}]
      `,
      findings: [{ range: '7:76-7:81' }],
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
                  - {name: setup, volumeMounts: [{name: host, mountPath: /host}]}
                  ephemeralContainers:
                  - {name: debug, volumeMounts: [{name: host, mountPath: /host}]}
                  containers:
                  - name: job
                  volumes:
                  - {name: host, hostPath: {path: /}}
      `,
      findings: [{ range: '10:43-10:53', container: 'setup' }, { range: '12:43-12:53', container: 'debug' }],
    },
    {
      name: 'every workload kind with spec.template.spec',
      code: WORKLOAD_KINDS
        .map(kind => `apiVersion: x/v1\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers:\n      - {name: c, volumeMounts: [{name: h, mountPath: /h}]}\n      volumes: [{name: h, hostPath: {path: /var}}]\n`).join('---\n'),
      findings: WORKLOAD_KINDS.map((_, i) => ({ range: `${i * 10 + 8}:35-${i * 10 + 8}:42` })),
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
            containers: [{name: a, volumeMounts: [{name: h, mountPath: /h}]}]
            volumes: [{name: h, hostPath: {path: /var/log}}]
      `,
      findings: [{ range: '8:44-8:51', container: 'a' }],
    },
  ],
});
