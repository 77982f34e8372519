import * as assert from 'node:assert/strict';
import { findingsOf, yaml } from '../../helpers';
import { analyzeText } from '../../../server/src/engine';
import { fixOutput, fixTitles, testFixes } from './fixTable';

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

describe('fixes for images that start as root', () => {
  const pod = (image: string, securityContext = '', podSecurityContext = '') => yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: app}
    spec:
      ${podSecurityContext ? `securityContext: ${podSecurityContext}` : 'restartPolicy: Always'}
      containers:
      - name: app
        image: ${image}
        ${securityContext ? `securityContext: ${securityContext}` : 'ports: [{containerPort: 8080}]'}
  `;
  const table: [string, string, string, string, string[]][] = [
    ['run-as-root', 'official nginx, nothing set', 'nginx:1.27', '', ['Set runAsNonRoot: true (nginx:1.27 runs as root, so the kubelet will not start it)']],
    ['run-as-root', 'official nginx, runAsNonRoot: false', 'docker.io/library/nginx@sha256:' + 'a'.repeat(64), '{runAsNonRoot: false}',
      [`Set runAsNonRoot: true (docker.io/library/nginx@sha256:${'a'.repeat(64)} runs as root, so the kubelet will not start it)`]],
    ['run-as-root', 'tomcat, which stays root', 'tomcat:10', '', ['Set runAsNonRoot: true (tomcat:10 runs as root, so the kubelet will not start it)']],
    ['run-as-root', 'an image of the same name elsewhere', 'quay.io/someone/nginx:1', '', ['* Set runAsNonRoot: true']],
    ['run-as-root', 'nginx-unprivileged', 'nginxinc/nginx-unprivileged:1.27', '', ['* Set runAsNonRoot: true']],
    ['capabilities', 'official nginx, nothing set', 'nginx:1.27', '', ['Drop ALL capabilities (nginx:1.27 then cannot switch to user nginx)']],
    ['capabilities', 'postgres, whose entrypoint switches with gosu', 'postgres:17', '', ['Drop ALL capabilities (postgres:17 then cannot switch to user postgres)']],
    ['capabilities', 'official nginx run as UID 101', 'nginx:1.27', '{runAsUser: 101}', ['* Drop ALL capabilities']],
    ['capabilities', 'official nginx, UID 101 from the pod', 'nginx:1.27', '', ['* Drop ALL capabilities']],
    ['capabilities', 'tomcat, which stays root', 'tomcat:10', '', ['* Drop ALL capabilities']],
  ];
  for (const [rule, name, image, securityContext, titles] of table) {
    it(`${rule}: ${name}`, () => {
      const fromPod = name.endsWith('from the pod') ? '{runAsUser: 101}' : '';
      // The rule's own fixes; "Harden" follows them, tested below.
      assert.deepEqual(fixTitles(rule, pod(image, securityContext, fromPod)).filter(title => !title.startsWith('Harden')), titles);
    });
  }

  it('says why in the message', () => {
    const [root] = findingsOf('run-as-root', pod('nginx:1.27'));
    assert.match(root.message, /\. nginx:1\.27 runs as root \(no USER in its Dockerfile\): switch to a variant built for a non-root user first, or the kubelet will refuse to start it\.$/);
    const [caps] = findingsOf('capabilities', pod('httpd:2.4'));
    assert.match(caps.message, /\. httpd:2\.4 starts as root and switches to user daemon, which needs SETUID and SETGID: run a variant built for a non-root user first\.$/);
    assert.doesNotMatch(findingsOf('capabilities', pod('tomcat:10'))[0].message, /switches/);
  });
});

testFixes('run-as-root', [
  {
    name: 'an image that names its user gets its UID beside runAsNonRoot: true (prometheus runs as nobody, 65534)',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: prom}
      spec:
        containers:
        - name: prometheus
          image: quay.io/prometheus/prometheus:v2.53.0
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: prom}
      spec:
        containers:
        - name: prometheus
          image: quay.io/prometheus/prometheus:v2.53.0
          securityContext:
            runAsNonRoot: true
            runAsUser: 65534
    `,
  },
  {
    name: 'runAsNonRoot: false on such an image is flipped, and the UID added',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: am}
      spec:
        containers:
        - name: alertmanager
          image: prom/alertmanager:v0.27.0
          securityContext: {runAsNonRoot: false}
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: am}
      spec:
        containers:
        - name: alertmanager
          image: prom/alertmanager:v0.27.0
          securityContext: {runAsNonRoot: true, runAsUser: 65534}
    `,
  },
  {
    name: 'the hint on runAsNonRoot: true without a UID adds runAsUser',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: prom}
      spec:
        securityContext:
          runAsNonRoot: true
        containers:
        - name: prometheus
          image: prom/prometheus:v2.53.0
    `,
    output: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: prom}
      spec:
        securityContext:
          runAsNonRoot: true
        containers:
        - name: prometheus
          image: prom/prometheus:v2.53.0
          securityContext:
            runAsUser: 65534
    `,
  },
]);

describe('"Harden this container" on the findings it clears', () => {
  const code = (securityContext: string) => yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: app}
    spec:
      containers:
      - name: app
        image: ${APP}
        securityContext: ${securityContext}
  `;
  const HARDEN = 'Harden container "app" to the restricted Pod Security Standard';
  const harden = (rule: string, text: string) => fixTitles(rule, text).filter(title => title.startsWith('Harden'));

  it('is offered, never preferred, on each hardening finding of a container with a read-only root', () => {
    const text = code('{readOnlyRootFilesystem: true}');
    for (const rule of ['run-as-root', 'privilege-escalation', 'capabilities']) assert.deepEqual(harden(rule, text), [HARDEN], rule);
  });

  it('clears all three in one edit', () => {
    const text = code('{readOnlyRootFilesystem: true}');
    const fixed = fixOutput('capabilities', text, { title: /^Harden/ })!;
    assert.deepEqual(analyzeText(fixed).findings.filter(f => f.severity !== 'hint').map(f => f.rule), []);
    assert.match(fixed, /securityContext: \{readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: \{drop: \[ALL\]\}\}/);
  });

  it('is not offered where it would leave the finding: runAsUser: 0, and an added capability', () => {
    assert.deepEqual(harden('run-as-root', code('{runAsUser: 0}')), []);
    assert.deepEqual(harden('capabilities', code('{capabilities: {add: [SYS_ADMIN], drop: [ALL]}}')), []);
  });
});
