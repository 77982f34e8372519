import { testRule, yaml } from '../../helpers';

const SHA256 = '0123456789abcdef'.repeat(4);
const SHA512 = '0123456789abcdef'.repeat(8);
const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'DeploymentConfig', 'Rollout'];

const pod = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: ${image}\n`;

testRule('mutable-image-reference', {
  valid: [
    { name: 'a digest', code: pod(`nginx@sha256:${SHA256}`) },
    { name: 'a tag and a digest', code: pod(`registry.example.com:5000/team/app:1.2@sha256:${SHA256}`) },
    { name: 'a sha512 digest', code: pod(`ghcr.io/org/app@sha512:${SHA512}`) },
    { name: 'a digest of another algorithm', code: pod('app@blake3:0123456789abcdef0123456789abcdef') },
    { name: 'no image at all', code: pod('').replace('    image: \n', '') },
    { name: 'a template placeholder is not an image reference', code: pod('"${IMAGE}"') },
  ],
  invalid: [
    {
      name: 'untagged: the whole image string',
      code: pod('nginx'),
      findings: [{ range: '7:12-7:17', container: 'app', severity: 'warning', message: /^Container "app" uses the image nginx without a tag, which means latest: .* Reference a version tag, or better a digest/ }],
    },
    {
      name: 'latest: just the tag',
      code: pod('quay.io/argoproj/argocd:latest'),
      findings: [{ range: '7:35-7:42', severity: 'warning', message: /uses the image quay.io\/argoproj\/argocd with the tag latest/ }],
    },
    {
      name: 'a registry port is not a tag',
      code: pod('localhost:5000/team/app'),
      findings: [{ range: '7:12-7:35', message: /without a tag/ }],
    },
    {
      name: 'a tag without a digest is a hint, on the tag',
      code: pod('registry.example.com:5000/team/app:1.2'),
      findings: [{ range: '7:46-7:50', severity: 'hint', message: /pins registry.example.com:5000\/team\/app by the tag 1.2 only: .* Add its digest \(@sha256:\.\.\.\)/ }],
    },
    {
      name: 'quoted images: the range stays inside the quotes',
      code: pod('"nginx:latest"'),
      findings: [{ range: '7:18-7:25' }],
    },
    {
      name: 'an image through an alias: on the anchored value, once per container',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - {name: a, image: &img "busybox"}
          - {name: b, image: *img}
      `,
      findings: [{ range: '6:28-6:35', container: 'a' }, { range: '6:28-6:35', container: 'b' }],
    },
    {
      name: 'init and ephemeral containers',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          initContainers:
          - {name: setup, image: busybox}
          ephemeralContainers:
          - {name: debug, image: "busybox:latest"}
          containers:
          - {name: web, image: "nginx@sha256:${SHA256}"}
      `,
      findings: [{ range: '6:26-6:33', container: 'setup' }, { range: '8:34-8:41', container: 'debug' }],
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
                    image: busybox:latest
      `,
      findings: [{ range: '11:27-11:34' }],
    },
    {
      name: 'every workload kind with spec.template.spec',
      code: WORKLOAD_KINDS
        .map(kind => `apiVersion: x/v1\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: app\n`).join('---\n'),
      findings: WORKLOAD_KINDS.map((_, i) => ({ range: `${i * 10 + 9}:16-${i * 10 + 9}:19` })),
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
          spec: {containers: [{name: a, image: "app:latest"}]}
      `,
      findings: [{ range: '7:44-7:51', container: 'a' }],
    },
  ],
});
