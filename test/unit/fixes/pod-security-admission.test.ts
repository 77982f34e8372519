import * as assert from 'node:assert/strict';
import { configuredPolicies } from '../../../server/src/engine/podSecurity/namespaces';
import { yaml } from '../../helpers';
import { fixTitles, testFixes } from './fixTable';

const RESTRICTED = { podSecurity: configuredPolicies({ shop: 'restricted' }) };
const BASELINE = { podSecurity: configuredPolicies({ shop: 'baseline' }) };

const TWO_CONTAINERS = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: shop}
  spec:
    template:
      spec:
        hostNetwork: true  # for the node's metrics
        containers:
          - name: web
            image: registry.example.com/web:1.0
            securityContext: {runAsNonRoot: false}
          - name: sidecar
            image: registry.example.com/sidecar:2.0
            securityContext:
              allowPrivilegeEscalation: false
              seccompProfile: {type: Unconfined}
`;

testFixes('pod-security-admission', [
  {
    name: 'fix all: every failed control in one edit, in each container and the pod spec, comments kept',
    code: TWO_CONTAINERS,
    options: RESTRICTED,
    output: yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        template:
          spec:
            hostNetwork: false  # for the node's metrics
            containers:
              - name: web
                image: registry.example.com/web:1.0
                securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
              - name: sidecar
                image: registry.example.com/sidecar:2.0
                securityContext:
                  allowPrivilegeEscalation: false
                  seccompProfile: {type: RuntimeDefault}
                  capabilities:
                    drop: [ALL]
            securityContext:
              runAsNonRoot: true
              seccompProfile:
                type: RuntimeDefault
    `,
  },
  {
    name: 'one control: allowPrivilegeEscalation only where it is not false',
    code: TWO_CONTAINERS,
    options: RESTRICTED,
    title: /allowPrivilegeEscalation/,
    output: TWO_CONTAINERS.replace('{runAsNonRoot: false}', '{runAsNonRoot: false, allowPrivilegeEscalation: false}'),
  },
  {
    name: 'no fix all when a control needs the author\'s choice (a hostPath volume)',
    code: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: agent, namespace: shop}
      spec:
        hostPID: true
        volumes: [{name: root, hostPath: {path: /}}]
        containers: [{name: agent, image: "registry.example.com/agent:2"}]
    `,
    options: BASELINE,
    output: null,
  },
]);

describe('pod-security-admission fix titles', () => {
  it('lists each control\'s fix, then fix all as the preferred one', () => {
    assert.deepEqual(fixTitles('pod-security-admission', TWO_CONTAINERS, RESTRICTED), [
      'Pod Security: set hostNetwork: false',
      'Pod Security: set allowPrivilegeEscalation: false in every container',
      'Pod Security: set runAsNonRoot: true',
      'Pod Security: set the seccomp profile type RuntimeDefault',
      'Pod Security: drop ALL capabilities in every container',
      '* Fix all Pod Security violations of this pod',
    ]);
  });

  it('does not prefer fix all for an image known to run as root, and says why', () => {
    const nginx = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: web, image: "nginx:1.27"}]\n';
    assert.deepEqual(fixTitles('pod-security-admission', nginx, RESTRICTED).filter(title => title.includes('Fix all')), [
      'Fix all Pod Security violations of this pod (nginx:1.27 runs as root, so the kubelet will not start it; nginx:1.27 then cannot switch to user nginx)',
    ]);
  });
});
