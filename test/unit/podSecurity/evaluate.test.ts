// The evaluator's versions and edge cases, as pod-security-admission defines them (see docs/pod-security.md).
import * as assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { controlsFor, evaluatePod } from '../../../server/src/engine/podSecurity/evaluate';
import { LATEST, Level, Version } from '../../../server/src/engine/podSecurity/levels';
import { namespacePoliciesIn } from '../../../server/src/engine/podSecurity/namespaces';
import { findPodSpec, kubeObject } from '../../../server/src/engine/workloads';
import { yaml } from '../../helpers';

/**
 * A pod that passes restricted, with `extra` added to its spec, `securityContext` fields to its container's
 * securityContext, `container` to the container and `annotations` to the pod's.
 */
const pod = (extra = '', securityContext = '', annotations = '', container = '') => yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: p
    annotations: {${annotations}}
  spec:
    securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
    ${extra}
    containers:
    - name: app
      image: registry.example.com/app:1
      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}${securityContext ? `, ${securityContext}` : ''}}
      ${container}
`;

function failed(text: string, level: Level, version: Version): string[] {
  const doc = parseDocument(text);
  return evaluatePod(findPodSpec(kubeObject(doc.contents, doc)!)!, level, version).map(f => `${f.control.id}: ${f.detail}`);
}

const cases: { name: string; text: string; level: Level; version: Version; expected: string[] }[] = [
  { name: 'the hardened pod passes restricted', text: pod(), level: 'restricted', version: LATEST, expected: [] },
  {
    name: 'procMount Unmasked in a user namespace passes baseline from v1.35',
    text: pod('hostUsers: false', 'procMount: Unmasked'), level: 'baseline', version: LATEST, expected: [],
  },
  {
    name: 'procMount Unmasked in a user namespace fails baseline v1.34',
    text: pod('hostUsers: false', 'procMount: Unmasked'), level: 'baseline', version: 34,
    expected: ['procMount: container "app" must not set securityContext.procMount to "Unmasked"'],
  },
  {
    name: 'procMount Unmasked fails restricted even in a user namespace',
    text: pod('hostUsers: false', 'procMount: Unmasked'), level: 'restricted', version: LATEST,
    expected: ['procMount_restricted: container "app" must not set securityContext.procMount to "Unmasked"'],
  },
  {
    name: 'a probe host is allowed before v1.34',
    text: pod('', '', '', 'livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}'), level: 'baseline', version: 33, expected: [],
  },
  {
    name: 'a probe or hook host fails baseline from v1.34',
    text: pod('', '', '', 'livenessProbe: {tcpSocket: {host: 10.0.0.1, port: 80}}\n      lifecycle: {preStop: {httpGet: {host: metadata.internal, port: 80}}}'),
    level: 'baseline', version: 34,
    expected: ['hostProbesAndHostLifecycle: container "app" uses probe or lifecycle hosts "10.0.0.1", "metadata.internal"'],
  },
  {
    name: 'the seccomp annotations count up to v1.18',
    text: pod('', '', '"seccomp.security.alpha.kubernetes.io/pod": unconfined'), level: 'baseline', version: 18,
    expected: ['seccompProfile_baseline: forbidden seccomp annotation'],
  },
  {
    name: 'the seccomp annotations no longer count from v1.19',
    text: pod('', '', '"seccomp.security.alpha.kubernetes.io/pod": unconfined'), level: 'baseline', version: 19, expected: [],
  },
  {
    name: 'AppArmor: an unconfined annotation and an Unconfined field',
    text: pod('', 'appArmorProfile: {type: Unconfined}', '"container.apparmor.security.beta.kubernetes.io/app": unconfined'),
    level: 'baseline', version: LATEST,
    expected: ['appArmorProfile: forbidden AppArmor profiles "Unconfined", "container.apparmor.security.beta.kubernetes.io/app="unconfined""'],
  },
  {
    name: 'capabilities are matched by exact name: CAP_CHOWN is not CHOWN',
    text: pod().replace('capabilities: {drop: [ALL]}', 'capabilities: {drop: [ALL], add: [CAP_CHOWN]}'),
    level: 'baseline', version: LATEST,
    expected: ['capabilities_baseline: container "app" must not include "CAP_CHOWN" in securityContext.capabilities.add'],
  },
  {
    name: 'restricted v1.21 has no restricted capabilities control yet, and v1.7 no privilege escalation control',
    text: pod().replace('{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}', '{}'), level: 'restricted', version: 7, expected: [],
  },
  {
    name: 'SELinux: a custom type and a user',
    text: pod('', 'seLinuxOptions: {type: spc_t, user: system_u}'), level: 'baseline', version: LATEST,
    expected: ['seLinuxOptions: forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set'],
  },
  {
    name: 'a Windows pod before v1.25 is held to every restricted control',
    text: yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: w}
      spec:
        os: {name: windows}
        securityContext: {runAsNonRoot: true}
        containers: [{name: app}]
    `,
    level: 'restricted', version: 24,
    expected: [
      'allowPrivilegeEscalation: container "app" must set securityContext.allowPrivilegeEscalation=false',
      'seccompProfile_restricted: pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
      'capabilities_restricted: container "app" must set securityContext.capabilities.drop=["ALL"]',
    ],
  },
  {
    name: 'an unknown volume source fails restricted; a volume without a source is an emptyDir',
    text: pod('volumes: [{name: a}, {name: b, nfs: {server: x, path: /}}, {name: c, image: {reference: "x:1"}}]'), level: 'restricted', version: LATEST,
    expected: ['restrictedVolumes: volumes "b", "c" use restricted volume types "image", "nfs"'],
  },
];

describe('Pod Security Standards evaluator', () => {
  for (const c of cases) it(c.name, () => assert.deepEqual(failed(c.text, c.level, c.version), c.expected));

  it('applies 12 controls at baseline and 15 at restricted (latest), with the overridden baseline ones left out', () => {
    assert.equal(controlsFor('baseline', LATEST).length, 12);
    assert.deepEqual(controlsFor('restricted', LATEST).map(({ control }) => control.id), [
      'hostNamespaces', 'privileged', 'hostPorts', 'hostProbesAndHostLifecycle', 'appArmorProfile', 'seLinuxOptions', 'sysctls',
      'windowsHostProcess', 'restrictedVolumes', 'allowPrivilegeEscalation', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted',
      'capabilities_restricted', 'procMount_restricted',
    ]);
    assert.deepEqual(controlsFor('privileged', LATEST), []);
  });
});

describe('Namespace labels', () => {
  it('reads each mode and its version, with the label\'s range in the stream', () => {
    const text = 'kind: ConfigMap\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n'
      + '    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/enforce-version: v1.29\n    pod-security.kubernetes.io/warn: restricted\n';
    assert.deepEqual(JSON.parse(JSON.stringify(namespacePoliciesIn(text, 'ns.yaml'))), {
      shop: {
        enforce: { level: 'baseline', version: 29, source: { setting: 'pod-security.kubernetes.io/enforce: baseline', file: 'ns.yaml', range: { start: { line: 7, character: 4 }, end: { line: 7, character: 48 } } } },
        // JSON has no Infinity: latest prints as null.
        warn: { level: 'restricted', version: null, source: { setting: 'pod-security.kubernetes.io/warn: restricted', file: 'ns.yaml', range: { start: { line: 9, character: 4 }, end: { line: 9, character: 47 } } } },
      },
    });
  });

  it('reads nothing, and does not throw, from hostile or unrelated text', () => {
    const label = 'pod-security.kubernetes.io/enforce: restricted';
    const hostile = [
      '',
      'kind: Namespace\n',
      `kind: Namespace\nmetadata: {name: x, labels: {${label}}}\n${'['.repeat(200_000)}`,
      `kind: Namespace\nmetadata: &a {name: x, labels: *a}\n# ${label}\n`,
      `kind: Namespace\nmetadata:\n  name: [x]\n  labels: {${label}}\n`,
      `kind: Namespace\n\0\nmetadata: {name: x, labels: {${label}}}\n`,
      `apiVersion: v1\nkind: ConfigMap\ndata: {${label}}\n`,
    ];
    for (const text of hostile) assert.deepEqual(namespacePoliciesIn(text), {}, JSON.stringify(text.slice(0, 60)));
  });
});
