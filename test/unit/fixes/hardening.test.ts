import { yaml } from '../../helpers';
import { testFixes } from './fixTable';

const APP = 'registry.example.com/shop/app:1.4.2';

testFixes('privilege-escalation', [
  {
    name: 'adds allowPrivilegeEscalation: false to the securityContext',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext:
            readOnlyRootFilesystem: true
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
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
    `,
  },
  {
    name: 'flips true',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext: {allowPrivilegeEscalation: true}
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext: {allowPrivilegeEscalation: false}
    `,
  },
]);

testFixes('privileged-container', [
  {
    name: 'sets privileged: false, keeping the comment',
    code: yaml`
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: agent}
      spec:
        template:
          spec:
            containers:
              - name: agent
                image: ${APP}
                securityContext:
                  privileged: true  # needed once
    `,
    output: yaml`
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: agent}
      spec:
        template:
          spec:
            containers:
              - name: agent
                image: ${APP}
                securityContext:
                  privileged: false  # needed once
    `,
  },
]);

testFixes('capabilities', [
  {
    name: 'drops ALL where nothing is dropped',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext:
            capabilities:
              drop: [NET_RAW]
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
            capabilities:
              drop: [NET_RAW, ALL]
    `,
  },
  {
    name: 'removes an added capability from a block list, keeping the others',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext:
            capabilities:
              drop: [ALL]
              add:
                - NET_BIND_SERVICE
                - SYS_ADMIN  # for the mount
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
            capabilities:
              drop: [ALL]
              add:
                - NET_BIND_SERVICE
    `,
  },
  {
    name: 'removes the add list it empties',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext:
            capabilities: {drop: [ALL], add: [CHOWN]}
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
            capabilities: {drop: [ALL]}
    `,
  },
]);

testFixes('run-as-root', [
  {
    name: 'adds runAsNonRoot: true to a container that sets nothing',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
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
            runAsNonRoot: true
    `,
  },
  {
    name: 'flips runAsNonRoot: false where it is written, in the pod securityContext',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        securityContext:
          runAsNonRoot: false
        containers:
        - name: app
          image: ${APP}
        - name: sidecar
          image: ${APP}
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        securityContext:
          runAsNonRoot: true
        containers:
        - name: app
          image: ${APP}
        - name: sidecar
          image: ${APP}
    `,
  },
  {
    name: 'no fix for runAsUser: 0, whose replacement UID only the image knows',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers:
        - name: app
          image: ${APP}
          securityContext: {runAsUser: 0}
    `,
    output: null,
  },
]);

testFixes('writable-host-path', [
  {
    name: 'mounts the hostPath volume read-only',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: agent}
      spec:
        containers:
        - name: agent
          image: ${APP}
          volumeMounts:
          - name: logs
            mountPath: /var/log/host
        volumes:
        - name: logs
          hostPath: {path: /var/log}
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: agent}
      spec:
        containers:
        - name: agent
          image: ${APP}
          volumeMounts:
          - name: logs
            mountPath: /var/log/host
            readOnly: true
        volumes:
        - name: logs
          hostPath: {path: /var/log}
    `,
  },
  {
    name: 'flips readOnly: false',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: agent}
      spec:
        containers:
        - name: agent
          image: ${APP}
          volumeMounts: [{name: logs, mountPath: /host, readOnly: false}]
        volumes: [{name: logs, hostPath: {path: /var/log}}]
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: agent}
      spec:
        containers:
        - name: agent
          image: ${APP}
          volumeMounts: [{name: logs, mountPath: /host, readOnly: true}]
        volumes: [{name: logs, hostPath: {path: /var/log}}]
    `,
  },
]);
