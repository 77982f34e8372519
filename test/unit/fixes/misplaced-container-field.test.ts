import { yaml } from '../../helpers';
import { crlf, testFixes } from './fixTable';

const APP = 'registry.example.com/shop/app:1.4.2';

testFixes('misplaced-container-field', [
  {
    name: 'moves the field into every container that does not set it, and drops the emptied pod securityContext',
    code: yaml`
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: report}
      spec:
        jobTemplate:
          spec:
            template:
              spec:
                securityContext:
                  readOnlyRootFilesystem: true
                initContainers:
                  - name: init
                    image: ${APP}
                    securityContext: {readOnlyRootFilesystem: false}
                containers:
                  - name: report
                    image: ${APP}
                  - name: sidecar
                    image: ${APP}
                    securityContext: {runAsNonRoot: true}
    `,
    output: yaml`
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: report}
      spec:
        jobTemplate:
          spec:
            template:
              spec:
                initContainers:
                  - name: init
                    image: ${APP}
                    securityContext: {readOnlyRootFilesystem: false}
                containers:
                  - name: report
                    image: ${APP}
                    securityContext:
                      readOnlyRootFilesystem: true
                  - name: sidecar
                    image: ${APP}
                    securityContext: {runAsNonRoot: true, readOnlyRootFilesystem: true}
    `,
  },
  {
    name: 'keeps the other pod-level fields and their comments (CRLF)',
    finding: 1,
    code: crlf(yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        securityContext:
          runAsNonRoot: true  # everyone
          readOnlyRootFilesystem: true
          capabilities:
            drop: [ALL]
        containers:
        - name: app
          image: ${APP}
    `),
    output: crlf(yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        securityContext:
          runAsNonRoot: true  # everyone
          readOnlyRootFilesystem: true
        containers:
        - name: app
          image: ${APP}
          securityContext:
            capabilities:
              drop: [ALL]
    `),
  },
  {
    name: 'a flow-style pod securityContext',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        securityContext: {allowPrivilegeEscalation: false, runAsUser: 1000}
        containers:
        - name: app
          image: ${APP}
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        securityContext: {runAsUser: 1000}
        containers:
        - name: app
          image: ${APP}
          securityContext:
            allowPrivilegeEscalation: false
    `,
  },
]);
