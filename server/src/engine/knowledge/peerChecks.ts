// The checks of other linters that ask for the same thing as a rule here, so that an object already
// exempted from one of them with that linter's annotation is not reported again by us. Check ids come from
// the peers' own sources: kube-linter `pkg/builtinchecks/yamls/*.yaml`, Polaris `checks/*.yaml`, Checkov
// `checkov/kubernetes/checks/resource/k8s/*.py`; their annotations are read from the object's own
// `metadata.annotations` only, as each of them does.

export interface PeerChecks {
  kubeLinter?: string[];
  polaris?: string[];
  checkov?: string[];
}

export const PEER_CHECKS: Readonly<Record<string, PeerChecks>> = {
  'readonly-root-filesystem': { kubeLinter: ['no-read-only-root-fs'], polaris: ['notReadOnlyRootFilesystem'], checkov: ['CKV_K8S_22'] },
  'run-as-root': { kubeLinter: ['run-as-non-root'], polaris: ['runAsRootAllowed'], checkov: ['CKV_K8S_23'] },
  'privilege-escalation': { kubeLinter: ['privilege-escalation-container'], polaris: ['privilegeEscalationAllowed'], checkov: ['CKV_K8S_20'] },
  'privileged-container': { kubeLinter: ['privileged-container'], polaris: ['runAsPrivileged'], checkov: ['CKV_K8S_16'] },
  'capabilities': { polaris: ['insecureCapabilities', 'dangerousCapabilities'], checkov: ['CKV_K8S_37', 'CKV_K8S_25'] },
  'mutable-image-reference': { kubeLinter: ['latest-tag'], polaris: ['tagNotSpecified'], checkov: ['CKV_K8S_14', 'CKV_K8S_43'] },
  'writable-host-path': { kubeLinter: ['writable-host-mount'] },
  'exec-into-pods': { polaris: ['clusterrolePodExecAttach', 'rolePodExecAttach'], checkov: ['CKV2_K8S_2'] },
};

type Peer = keyof PeerChecks;

/** Our rules that a peer's check (or, without a check, any of its checks) corresponds to. */
export function rulesForPeerCheck(peer: Peer, check?: string): string[] {
  return Object.entries(PEER_CHECKS)
    .filter(([, checks]) => check === undefined ? !!checks[peer] : checks[peer]?.includes(check))
    .map(([rule]) => rule);
}

const KUBE_LINTER_CHECK = 'ignore-check.kube-linter.io/';
const KUBE_LINTER_ALL = 'kube-linter.io/ignore-all';
const POLARIS_ALL = 'polaris.fairwinds.com/exempt';
const POLARIS_CHECK = /^polaris\.fairwinds\.com\/(.+)-exempt$/;
const CHECKOV_SKIP = /^checkov\.io\/skip\d+$/;

/** The rules a peer's annotation (`key: value` on an object's metadata) exempts the object from. */
export function rulesExemptedByPeerAnnotation(key: string, value: string): string[] {
  if (key.startsWith(KUBE_LINTER_CHECK)) return rulesForPeerCheck('kubeLinter', key.slice(KUBE_LINTER_CHECK.length));
  if (key === KUBE_LINTER_ALL) return rulesForPeerCheck('kubeLinter');
  const polarisCheck = POLARIS_CHECK.exec(key);
  if ((key === POLARIS_ALL || polarisCheck) && value.trim() === 'true') return rulesForPeerCheck('polaris', polarisCheck?.[1]);
  // Checkov: `checkov.io/skip1: CKV_K8S_22=the reason`.
  if (CHECKOV_SKIP.test(key)) return rulesForPeerCheck('checkov', value.split('=')[0].trim());
  return [];
}
