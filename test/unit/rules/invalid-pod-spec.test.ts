import { testRule, yaml } from '../../helpers';

testRule('invalid-pod-spec', {
  valid: [
    {
      name: 'a well-formed Deployment',
      code: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers:
              - name: web
                image: nginx:1.27
      `,
    },
    { name: 'an empty spec reads as absent', code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n' },
    { name: 'a ConfigMap whose data is a list is none of its business', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nspec: [a]\n' },
    { name: 'an empty container list', code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: []\n' },
  ],
  invalid: [
    {
      name: 'a Pod whose spec is a list',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
        - name: web
          image: nginx
      `,
      findings: [{
        range: '5:1-7:1', messageId: 'invalid-pod-spec/not-a-map', severity: 'error',
        message: /^spec of Pod "web" is a list, not a map: the API server rejects it, and no check can see the containers it should hold\. Write it as a map of its fields\.$/,
      }],
    },
    {
      name: 'a Deployment whose template is a string',
      code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template: web\n',
      findings: [{ range: '5:13-5:16', messageId: 'invalid-pod-spec/not-a-map', message: /^spec\.template of Deployment "web" is the string "web", not a map:/ }],
    },
    {
      name: 'a CronJob whose jobTemplate.spec is a number',
      code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  jobTemplate:\n    spec: 3\n',
      findings: [{ range: '6:11-6:12', messageId: 'invalid-pod-spec/not-a-map', message: /^spec\.jobTemplate\.spec of CronJob "nightly" is the number 3, not a map:/ }],
    },
    {
      name: 'containers written as a map',
      code: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          template:
            spec:
              containers:
                name: db
                image: postgres:16
      `,
      findings: [{
        range: '8:9-10:1', messageId: 'invalid-pod-spec/containers-not-a-list',
        message: /^spec\.template\.spec\.containers of StatefulSet "db" is a map, not a list: .* Write each container as an item \(- name: \.\.\.\)\.$/,
      }],
    },
    {
      name: 'an init container written as a string, beside a good one',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          initContainers:
          - busybox
          - name: setup
            image: busybox:1.36
          containers: [{name: web, image: "nginx:1.27"}]
      `,
      findings: [{ range: '6:5-6:12', messageId: 'invalid-pod-spec/container-not-a-map', message: /^Item 1 of spec\.initContainers of Pod "web" is the string "busybox", not a container:/ }],
    },
    {
      name: 'a PodTemplate whose template.spec is a list',
      code: 'apiVersion: v1\nkind: PodTemplate\nmetadata: {name: t}\ntemplate:\n  spec: [a, b]\n',
      findings: [{ range: '5:9-5:15', messageId: 'invalid-pod-spec/not-a-map', message: /^template\.spec of PodTemplate "t" is a list/ }],
    },
  ],
});
