import { namespacePoliciesIn } from '../../../server/src/engine';
import { configuredPolicies } from '../../../server/src/engine/podSecurity/namespaces';
import { testRule, yaml } from '../../helpers';

const NAMESPACE = (labels: string) => yaml`
  apiVersion: v1
  kind: Namespace
  metadata:
    name: shop
    labels:
      ${labels}
`;

const HARDENED_POD = yaml`
  apiVersion: v1
  kind: Pod
  metadata: {name: web, namespace: shop}
  spec:
    securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
    containers:
    - name: web
      image: registry.example.com/web:1.0
      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;

/** The options a host derives from the Namespace in `code` (as if found in another file, `ns.yaml`). */
const fromNamespace = (labels: string) => ({ podSecurity: namespacePoliciesIn(NAMESPACE(labels), 'ns.yaml') });

testRule('pod-security-admission', {
  valid: [
    { name: 'no Namespace and no configuration: nothing to predict', code: HARDENED_POD.replace(/ {2}securityContext.*\n/g, '') },
    { name: 'a hardened pod in a restricted namespace', code: HARDENED_POD, options: fromNamespace('pod-security.kubernetes.io/enforce: restricted') },
    {
      name: 'a bare pod in a baseline namespace',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: a, image: "x:1"}]\n',
      options: fromNamespace('pod-security.kubernetes.io/enforce: baseline'),
    },
    {
      name: 'a privileged pod in a privileged namespace',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  hostNetwork: true\n  containers: [{name: a, image: "x:1"}]\n',
      options: fromNamespace('pod-security.kubernetes.io/enforce: privileged'),
    },
    {
      name: 'a pod in another namespace than the labelled one',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: other}\nspec:\n  hostPID: true\n  containers: [{name: a}]\n',
      options: fromNamespace('pod-security.kubernetes.io/enforce: restricted'),
    },
    {
      name: 'runAsUser: 0 is allowed by restricted v1.22, before the control existed',
      code: HARDENED_POD.replace('runAsNonRoot: true,', 'runAsNonRoot: true, runAsUser: 0,'),
      options: fromNamespace('pod-security.kubernetes.io/enforce: restricted\n      pod-security.kubernetes.io/enforce-version: v1.22'),
    },
    {
      name: 'a safe sysctl of v1.29 in a baseline v1.29 namespace',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  securityContext:\n    sysctls: [{name: net.ipv4.tcp_keepalive_time, value: "600"}]\n  containers: [{name: a}]\n',
      options: fromNamespace('pod-security.kubernetes.io/enforce: baseline\n      pod-security.kubernetes.io/enforce-version: v1.29'),
    },
    {
      name: 'a Windows pod is exempt from the Linux-only restricted controls',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  os: {name: windows}\n  securityContext: {runAsNonRoot: true}\n  containers: [{name: a}]\n',
      options: fromNamespace('pod-security.kubernetes.io/enforce: restricted'),
    },
  ],
  invalid: [
    {
      name: 'a bare Deployment in a restricted namespace: one error, every failed control, the label as related information',
      code: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              containers:
              - name: web
                image: registry.example.com/web:1.0
      `,
      options: fromNamespace('pod-security.kubernetes.io/enforce: restricted'),
      findings: [{
        range: '6:5-6:9', severity: 'error', messageId: 'pod-security-admission/enforce',
        message: /^The namespace "shop" enforces the restricted Pod Security Standard \(latest\) \(pod-security\.kubernetes\.io\/enforce: restricted\), and this pod template fails 4 of its controls: Privilege Escalation .*; Running as Non-root .*; Seccomp .*; Capabilities .*\. So the API server accepts this Deployment but rejects every pod it creates: none of them ever runs\./,
        related: ['8:9-8:18', '8:9-8:18', '8:9-8:18', '8:9-8:18', '6:5-6:51'],
      }],
    },
    {
      name: 'a Pod with hostNetwork and a hostPath in a baseline namespace',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: agent, namespace: shop}
        spec:
          hostNetwork: true
          volumes:
          - name: root
            hostPath: {path: /}
          containers:
          - name: agent
            image: registry.example.com/agent:2
      `,
      options: fromNamespace('pod-security.kubernetes.io/enforce: baseline'),
      findings: [{
        range: '4:1-4:5',
        message: /^The namespace "shop" enforces the baseline Pod Security Standard \(latest\) \(pod-security\.kubernetes\.io\/enforce: baseline\), and this Pod fails 2 of its controls: Host Namespaces \(hostNetwork=true\); HostPath Volumes \(volume "root"\)\. So the API server rejects this Pod\./,
        related: ['5:16-5:20', '8:5-8:13', '6:5-6:49'],
      }],
    },
    {
      name: 'warn gives a warning when enforce admits the pod',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: a, image: "x:1", securityContext: {privileged: true}}]\n',
      options: fromNamespace('pod-security.kubernetes.io/enforce: privileged\n      pod-security.kubernetes.io/warn: baseline'),
      findings: [{
        range: '4:1-4:5', severity: 'warning', messageId: 'pod-security-admission/warn',
        message: /^The namespace "shop" warns at the baseline Pod Security Standard \(latest\) \(pod-security\.kubernetes\.io\/warn: baseline\), and this Pod fails its control: Privileged Containers \(container "a" must not set securityContext\.privileged=true\)\. So the API server admits the pod but returns a warning to whoever creates it\./,
      }],
    },
    {
      name: 'audit gives a warning',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  hostIPC: true\n  containers: [{name: a}]\n',
      options: fromNamespace('pod-security.kubernetes.io/audit: baseline'),
      findings: [{ range: '4:1-4:5', severity: 'warning', messageId: 'pod-security-admission/audit', message: /audits at the baseline .*Host Namespaces \(hostIPC=true\)/ }],
    },
    {
      name: 'an unknown level is read as restricted, as pod-security-admission does',
      code: HARDENED_POD.replace('runAsNonRoot: true, ', ''),
      options: fromNamespace('pod-security.kubernetes.io/enforce: strict'),
      findings: [{ range: '4:1-4:5', message: /enforces the restricted Pod Security Standard \(latest\) \(pod-security\.kubernetes\.io\/enforce: strict\).*Running as Non-root/ }],
    },
    {
      name: 'a sysctl that baseline v1.28 does not allow yet',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  securityContext:\n    sysctls: [{name: net.ipv4.tcp_keepalive_time, value: "600"}]\n  containers: [{name: a}]\n',
      options: fromNamespace('pod-security.kubernetes.io/enforce: baseline\n      pod-security.kubernetes.io/enforce-version: v1.28'),
      findings: [{ range: '4:1-4:5', message: /baseline Pod Security Standard \(v1\.28\).*Sysctls \(forbidden sysctls net\.ipv4\.tcp_keepalive_time\)/, related: ['6:22-6:49', '6:5-6:49'] }],
    },
    {
      name: 'the configuration names the namespace: no Namespace object, no related location',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: prod}\nspec:\n  containers: [{name: a, ports: [{containerPort: 80, hostPort: 8080}]}]\n',
      options: { podSecurity: configuredPolicies({ prod: 'baseline' }) },
      findings: [{
        range: '4:1-4:5',
        message: /^The namespace "prod" enforces the baseline Pod Security Standard \(latest\) \(podSecurity\.namespaces\.prod: baseline in the configuration\), and this Pod fails its control: Host Ports \(container "a" uses hostPort 8080\)/,
        related: ['5:64-5:68'],
      }],
    },
    {
      name: 'a pod without a namespace gets the configuration\'s * level',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, securityContext: {capabilities: {add: [NET_ADMIN]}}}]\n',
      options: { podSecurity: configuredPolicies({ prod: 'restricted', '*': 'baseline' }) },
      findings: [{ range: '4:1-4:5', message: /^Any namespace enforces the baseline Pod Security Standard \(latest\) \(podSecurity\.namespaces\.\*: baseline in the configuration\), and this Pod fails its control: Capabilities \(container "a" must not include "NET_ADMIN" in securityContext\.capabilities\.add\)/ }],
    },
  ],
});
