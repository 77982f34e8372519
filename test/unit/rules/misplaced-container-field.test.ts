import { testRule, yaml } from '../../helpers';

testRule('misplaced-container-field', {
  valid: [
    {
      name: 'pod-level fields that exist at pod level',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            seccompProfile: {type: RuntimeDefault}
          containers:
          - name: web
            securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
      `,
    },
    {
      name: 'securityContext of something that is not a pod spec',
      code: yaml`
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w}
        spec:
          securityContext: {readOnlyRootFilesystem: true}
      `,
    },
  ],
  invalid: [
    {
      name: 'every container-only field, on its key',
      code: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              securityContext:
                readOnlyRootFilesystem: true
                allowPrivilegeEscalation: false
                privileged: false
                capabilities:
                  drop: [ALL]
                procMount: Default
                runAsNonRoot: true
              containers:
              - name: web
      `,
      findings: [
        { range: '8:9-8:31', message: /^readOnlyRootFilesystem exists only in a container's securityContext: Kubernetes drops it/ },
        { range: '9:9-9:33', message: /^allowPrivilegeEscalation / },
        { range: '10:9-10:19' },
        { range: '11:9-11:21' },
        { range: '13:9-13:18' },
      ],
    },
    {
      name: 'flow style, in a CronJob',
      code: yaml`
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  securityContext: {privileged: true}
                  containers: [{name: job}]
      `,
      findings: [{ range: '9:29-9:39', message: /^privileged / }],
    },
  ],
});
