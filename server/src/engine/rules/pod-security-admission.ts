// Pod Security Admission refuses a pod that breaks the Pod Security Standard its namespace enforces. A Deployment
// is still applied: its ReplicaSet is created and then refused every pod, so nothing runs and `kubectl apply`
// said nothing. This rule predicts that from the Namespace's labels (found by the host in any linted file) or
// from the configuration, with every control that fails and where.
import { Node } from 'yaml';
import { docsUrl, messagesOf, Report, Rule } from '../rule';
import { evaluatePod, FailedControl } from '../podSecurity/evaluate';
import { formatVersion, Mode, MODES } from '../podSecurity/levels';
import { ModePolicy, policyFor } from '../podSecurity/namespaces';
import { PodSpec } from '../workloads';
import { podSecurityFixes } from '../fixes/podSecurityFixes';
import { BASELINE_DOCS, RESTRICTED_DOCS } from '../podSecurity/controls';

const id = 'pod-security-admission';

/** What the API server does with the pod in each mode. */
const CONSEQUENCE: Record<Mode, (pod: PodSpec) => string> = {
  enforce: pod => (pod.object.kind === 'Pod'
    ? 'the API server rejects this Pod'
    : `the API server accepts this ${pod.object.kind} but rejects every pod it creates: none of them ever runs`),
  warn: () => 'the API server admits the pod but returns a warning to whoever creates it',
  audit: () => 'the API server admits the pod and records the violation in its audit log',
};

function listed(failed: readonly FailedControl[]): string {
  return failed.map(f => `${f.control.name} (${f.detail})`).join('; ');
}

/** `The namespace "shop"`; a pod without a namespace is checked against the configuration's `*` entry. */
function where(namespace: string | undefined): string {
  return namespace === undefined ? 'Any namespace' : `The namespace "${namespace}"`;
}

export const podSecurityAdmission: Rule = {
  meta: {
    id,
    defaultSeverity: 'error',
    description: 'A pod template breaks the Pod Security Standard of the namespace it lands in, so the API server refuses its pods.',
    docsUrl: docsUrl(id),
    messages: messagesOf(id, {
      enforce: 'The namespace enforces a level the pod fails: its pods are rejected.',
      warn: 'The namespace warns at a level the pod fails (a warning).',
      audit: 'The namespace audits at a level the pod fails (a warning).',
    }),
  },
  checkPod(pod, context) {
    const policies = context.options.podSecurity;
    if (!policies) return;
    const namespace = pod.object.resource.namespace;
    const policy = policyFor(policies, namespace);
    if (!policy) return;
    // One finding per pod: the first mode, in order of consequence, whose level it fails.
    for (const mode of MODES) {
      const applied = policy[mode];
      if (!applied || applied.level === 'privileged') continue;
      const failed = evaluatePod(pod, applied.level, applied.version);
      if (!failed.length) continue;
      context.report(finding(pod, mode, applied, failed, namespace, context.text));
      return;
    }
  },
};

function finding(pod: PodSpec, mode: Mode, policy: ModePolicy, failed: FailedControl[], namespace: string | undefined, text: string): Report {
  const level = `the ${policy.level} Pod Security Standard (${formatVersion(policy.version)})`;
  const docs = policy.level === 'restricted' ? RESTRICTED_DOCS : BASELINE_DOCS;
  const source = policy.source;
  const related: NonNullable<Report['related']> = failed.flatMap(f => f.culprits.map(culprit => ({ at: culprit.at, message: `${f.control.name}: ${culprit.message}` })));
  if (source.file !== undefined && source.range) {
    related.push({ file: source.file, range: source.range, message: `${where(namespace)} sets ${source.setting}.` });
  }
  const verb = mode === 'enforce' ? 'enforces' : mode === 'warn' ? 'warns at' : 'audits at';
  return {
    at: pod.pair.key as Node,
    messageId: mode,
    ...(mode === 'enforce' ? {} : { severity: 'warning' as const }),
    related,
    message: `${where(namespace)} ${verb} ${level} (${source.setting}), and ${pod.object.kind === 'Pod' ? 'this Pod' : 'this pod template'} fails `
      + `${failed.length === 1 ? 'its control' : `${failed.length} of its controls`}: ${listed(failed)}. So ${CONSEQUENCE[mode](pod)}. `
      + `Fix each control (see ${docs}).`,
    fixes: () => podSecurityFixes(failed, pod, text),
  };
}
