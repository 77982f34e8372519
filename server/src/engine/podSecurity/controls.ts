// The controls of the Pod Security Standards, each with the versions in which its check changed, as the
// pod-security-admission library (k8s.io/pod-security-admission/policy, check_*.go) defines them. Each check
// reads the pod spec as written: container-level and pod-level fields on their own, as the library does,
// not the effective security context. Documentation of every control:
// https://kubernetes.io/docs/concepts/security/pod-security-standards/
import { isMap, isScalar, Node, Pair, YAMLMap } from 'yaml';
import { Target } from '../rule';
import { containerLabel } from '../messages';
import { Container, containerAnchor, PodSpec } from '../workloads';
import { findPair, getMap, getNode, getSeq, scalarValue, seqItems } from '../yamlNodes';
import { Level, Version } from './levels';

export interface Culprit { at: Target; message: string }

/** A control the pod fails: what it does (`hostNetwork=true`), and where each part of it is written. */
export interface Violation { detail: string; culprits: Culprit[] }

export type Check = (pod: PodSpec) => Violation | undefined;

export interface ControlVersion {
  /** The minor version of Kubernetes 1.x from which this check applies, up to the next entry. */
  since: Version;
  check: Check;
  /** Controls of the lower level that this one replaces at its level, as the library's OverrideCheckIDs. */
  overrides?: string[];
}

export interface Control {
  /** The library's check id, e.g. `hostNamespaces`. */
  id: string;
  /** The control's name in the documentation. */
  name: string;
  level: Exclude<Level, 'privileged'>;
  versions: ControlVersion[];
}

const DOCS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';
export const BASELINE_DOCS = `${DOCS}#baseline`;
export const RESTRICTED_DOCS = `${DOCS}#restricted`;

// ---- reading the pod spec

function doc(pod: PodSpec) { return pod.object.doc; }

/** Where a `key: value` pair is at fault: its value as written, else the pair. */
function valueOf(pair: Pair): Target {
  const value = pair.value as Node | null;
  return value && typeof value === 'object' && 'range' in value && value.range ? value : pair;
}

function valueIn(map: YAMLMap | undefined, key: string, pod: PodSpec): unknown {
  return scalarValue(getNode(map, key, doc(pod)));
}

function mapIn(map: YAMLMap | undefined, key: string, pod: PodSpec): YAMLMap | undefined {
  return getMap(map, key, doc(pod));
}

/** A key set to something other than null: Go's `!= nil` on a pointer field. */
function isSet(map: YAMLMap | undefined, key: string, pod: PodSpec): boolean {
  const pair = findPair(map, key);
  if (!pair) return false;
  const node = getNode(map, key, doc(pod));
  return !(isScalar(node) && node.value === null) && node !== undefined && node !== null;
}

function strings(map: YAMLMap | undefined, key: string, pod: PodSpec): { value: string; node: Node }[] {
  return seqItems(getSeq(map, key, doc(pod)), doc(pod)).flatMap(node => (isScalar(node) && typeof node.value === 'string' ? [{ value: node.value, node }] : []));
}

function label(container: Container): string {
  return container.name ?? `#${container.index + 1}`;
}

function quoted(items: readonly string[]): string {
  return items.map(item => `"${item}"`).join(', ');
}

/** `container "a"` or `containers "a", "b"`, each container once. */
function containersPhrase(containers: readonly Container[]): string {
  const names = [...new Set(containers.map(label))];
  return `${names.length === 1 ? 'container' : 'containers'} ${quoted(names)}`;
}

/** `uses` for one container, `use` for several. */
function uses(containers: readonly Container[]): string {
  return new Set(containers).size === 1 ? 'uses' : 'use';
}

function annotations(pod: PodSpec): { key: string; value: string; pair: Pair }[] {
  const map = mapIn(pod.metadata, 'annotations', pod);
  return (map?.items ?? []).flatMap(pair => {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const value = scalarValue(getNode(map, key ?? '', doc(pod)));
    return key !== undefined ? [{ key, value: value === null || value === undefined ? '' : String(value), pair }] : [];
  });
}

/** A violation of container-level settings, or none when no container is at fault. */
function byContainers(found: { container: Container; at: Target; what: string }[], detail: (containers: Container[]) => string): Violation | undefined {
  if (!found.length) return undefined;
  return {
    detail: detail(found.map(f => f.container)),
    culprits: found.map(f => ({ at: f.at, message: `${containerLabel(f.container)} ${f.what}` })),
  };
}

// ---- baseline

const hostNamespaces: Check = pod => {
  const found = ['hostNetwork', 'hostPID', 'hostIPC'].filter(key => valueIn(pod.node, key, pod) === true);
  if (!found.length) return undefined;
  return {
    detail: found.map(key => `${key}=true`).join(', '),
    culprits: found.map(key => ({ at: valueOf(findPair(pod.node, key)!), message: `The pod sets ${key}: true, sharing the node's ${key.slice(4)} namespace.` })),
  };
};

const privileged: Check = pod => byContainers(
  pod.containers.flatMap(container => {
    const pair = findPair(container.securityContext, 'privileged');
    return pair && valueIn(container.securityContext, 'privileged', pod) === true ? [{ container, at: valueOf(pair), what: 'sets privileged: true.' }] : [];
  }),
  containers => `${containersPhrase(containers)} must not set securityContext.privileged=true`,
);

/** The capabilities a container runtime grants by default (Docker's set), which baseline lets a container add back. */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

function addedCapabilities(container: Container, pod: PodSpec, allowed: (name: string) => boolean) {
  const capabilities = mapIn(container.securityContext, 'capabilities', pod);
  return strings(capabilities, 'add', pod).filter(item => !allowed(item.value));
}

function capabilitiesAdded(allowed: (name: string) => boolean, allowedText: string): Check {
  return pod => {
    const found = pod.containers.flatMap(container => addedCapabilities(container, pod, allowed)
      .map(item => ({ container, at: item.node as Target, what: `adds the capability ${item.value}, ${allowedText}.`, name: item.value })));
    return byContainers(found, containers => `${containersPhrase(containers)} must not include ${quoted([...new Set(found.map(f => f.name))].sort())} in securityContext.capabilities.add`);
  };
}

const capabilitiesBaseline = capabilitiesAdded(name => BASELINE_CAPABILITIES.has(name), 'beyond the runtime\'s default set');

function volumes(pod: PodSpec): { name: string; node: YAMLMap }[] {
  return seqItems(getSeq(pod.node, 'volumes', doc(pod)), doc(pod)).flatMap(node => (isMap(node) ? [{ name: String(valueIn(node, 'name', pod) ?? ''), node }] : []));
}

const hostPathVolumes: Check = pod => {
  const found = volumes(pod).filter(volume => isSet(volume.node, 'hostPath', pod));
  if (!found.length) return undefined;
  return {
    detail: `${found.length === 1 ? 'volume' : 'volumes'} ${quoted(found.map(v => v.name))}`,
    culprits: found.map(volume => ({ at: findPair(volume.node, 'hostPath')!.key as Target, message: `The volume "${volume.name}" is a hostPath volume.` })),
  };
};

const hostPorts: Check = pod => {
  const found = pod.containers.flatMap(container => seqItems(getSeq(container.node, 'ports', doc(pod)), doc(pod)).flatMap(port => {
    const pair = isMap(port) ? findPair(port, 'hostPort') : undefined;
    const value = isMap(port) ? valueIn(port, 'hostPort', pod) : undefined;
    return pair && typeof value === 'number' && value !== 0 ? [{ container, at: valueOf(pair), what: `uses the host port ${value}.`, port: value }] : [];
  }));
  return byContainers(found, containers => `${containersPhrase(containers)} ${uses(containers)} ${found.length === 1 ? 'hostPort' : 'hostPorts'} ${found.map(f => f.port).join(', ')}`);
};

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

const appArmorProfile: Check = pod => {
  const culprits: Culprit[] = [];
  const values: string[] = [];
  const profileType = (map: YAMLMap | undefined, who: string) => {
    const profile = mapIn(map, 'appArmorProfile', pod);
    if (!profile) return;
    const type = valueIn(profile, 'type', pod);
    if (type === 'RuntimeDefault' || type === 'Localhost') return;
    const typePair = findPair(profile, 'type');
    values.push(String(type ?? ''));
    culprits.push({ at: typePair ? valueOf(typePair) : findPair(map, 'appArmorProfile')!.key as Target, message: `${who} sets the AppArmor profile type ${JSON.stringify(type ?? '')}.` });
  };
  profileType(pod.securityContext, 'The pod');
  for (const container of pod.containers) profileType(container.securityContext, containerLabel(container));
  for (const { key, value, pair } of annotations(pod)) {
    if (!key.startsWith(APPARMOR_ANNOTATION) || value === '' || value === 'runtime/default' || value.startsWith('localhost/')) continue;
    values.push(`${key}=${JSON.stringify(value)}`);
    culprits.push({ at: valueOf(pair), message: `The annotation ${key} sets the AppArmor profile ${value}.` });
  }
  return culprits.length ? { detail: `forbidden AppArmor ${values.length === 1 ? 'profile' : 'profiles'} ${quoted(values)}`, culprits } : undefined;
};

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

const seLinuxOptions: Check = pod => {
  const culprits: Culprit[] = [];
  const problems = new Set<string>();
  const options = (map: YAMLMap | undefined, who: string) => {
    const selinux = mapIn(map, 'seLinuxOptions', pod);
    if (!selinux) return;
    const type = valueIn(selinux, 'type', pod);
    if (!SELINUX_TYPES.has(type === undefined || type === null ? '' : String(type))) {
      problems.add(`type "${String(type)}"`);
      culprits.push({ at: valueOf(findPair(selinux, 'type')!), message: `${who} sets the SELinux type ${String(type)}.` });
    }
    for (const key of ['user', 'role']) {
      const value = valueIn(selinux, key, pod);
      if (value === undefined || value === null || value === '') continue;
      problems.add(`${key} may not be set`);
      culprits.push({ at: valueOf(findPair(selinux, key)!), message: `${who} sets the SELinux ${key} ${String(value)}.` });
    }
  };
  options(pod.securityContext, 'The pod');
  for (const container of pod.containers) options(container.securityContext, containerLabel(container));
  return culprits.length ? { detail: `forbidden securityContext.seLinuxOptions: ${[...problems].join('; ')}`, culprits } : undefined;
};

const procMountUnmasked: Check = pod => {
  const found = pod.containers.flatMap(container => {
    const pair = findPair(container.securityContext, 'procMount');
    const value = valueIn(container.securityContext, 'procMount', pod);
    return pair && value !== null && value !== undefined && value !== 'Default'
      ? [{ container, at: valueOf(pair), what: `sets procMount: ${String(value)}, unmasking /proc.`, value: String(value) }] : [];
  });
  return byContainers(found, containers => `${containersPhrase(containers)} must not set securityContext.procMount to ${quoted([...new Set(found.map(f => f.value))].sort())}`);
};

/** `hostUsers: false`: the pod runs in a user namespace, so its root is not the node's. */
function inUserNamespace(pod: PodSpec): boolean {
  return valueIn(pod.node, 'hostUsers', pod) === false;
}

const procMountBaseline135: Check = pod => (inUserNamespace(pod) ? undefined : procMountUnmasked(pod));

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION = 'container.seccomp.security.alpha.kubernetes.io/';

const seccompAnnotations: Check = pod => {
  const names = new Set(pod.containers.map(container => container.name));
  const culprits: Culprit[] = [];
  for (const { key, value, pair } of annotations(pod)) {
    const applies = key === SECCOMP_POD_ANNOTATION || (key.startsWith(SECCOMP_CONTAINER_ANNOTATION) && names.has(key.slice(SECCOMP_CONTAINER_ANNOTATION.length)));
    if (!applies || value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/')) continue;
    culprits.push({ at: valueOf(pair), message: `The annotation ${key} sets the seccomp profile ${JSON.stringify(value)}.` });
  }
  return culprits.length ? { detail: `forbidden seccomp ${culprits.length === 1 ? 'annotation' : 'annotations'}`, culprits } : undefined;
};

const SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** Pod and containers whose seccompProfile is set to a type other than RuntimeDefault or Localhost. */
function badSeccompTypes(pod: PodSpec): { culprits: Culprit[]; values: string[] } {
  const culprits: Culprit[] = [];
  const values: string[] = [];
  const profile = (map: YAMLMap | undefined, who: string) => {
    const seccomp = mapIn(map, 'seccompProfile', pod);
    if (!seccomp) return;
    const type = valueIn(seccomp, 'type', pod);
    if (SECCOMP_TYPES.has(String(type))) return;
    const typePair = findPair(seccomp, 'type');
    values.push(String(type ?? ''));
    culprits.push({ at: typePair ? valueOf(typePair) : findPair(map, 'seccompProfile')!.key as Target, message: `${who} sets the seccomp profile type ${JSON.stringify(type ?? '')}.` });
  };
  profile(pod.securityContext, 'The pod');
  for (const container of pod.containers) profile(container.securityContext, containerLabel(container));
  return { culprits, values };
}

const seccompBaseline: Check = pod => {
  const { culprits, values } = badSeccompTypes(pod);
  return culprits.length ? { detail: `securityContext.seccompProfile.type must not be ${quoted([...new Set(values)].sort())}`, culprits } : undefined;
};

/** The sysctls baseline allows, by the version that first allowed them. */
const SAFE_SYSCTLS: readonly [Version, readonly string[]][] = [
  [0, ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  // kubernetes/kubernetes#118846 and #121240
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  // kubernetes/kubernetes#127489
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  // kubernetes/kubernetes#138389
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

function sysctlsAllowedIn(version: Version): Check {
  const allowed = new Set(SAFE_SYSCTLS.filter(([since]) => since <= version).flatMap(([, names]) => names));
  return pod => {
    const found = seqItems(getSeq(pod.securityContext, 'sysctls', doc(pod)), doc(pod)).flatMap(item => {
      if (!isMap(item)) return [];
      // A sysctl without a name is not in the safe set either.
      const name = valueIn(item, 'name', pod);
      const pair = findPair(item, 'name');
      return allowed.has(String(name ?? '')) ? [] : [{ name: String(name ?? ''), at: pair ? valueOf(pair) : item as Target }];
    });
    return found.length
      ? { detail: `forbidden sysctls ${found.map(f => f.name).join(', ')}`, culprits: found.map(f => ({ at: f.at, message: `The pod sets the sysctl ${f.name}, which is not namespaced safely.` })) }
      : undefined;
  };
}

const windowsHostProcess: Check = pod => {
  const culprits: Culprit[] = [];
  const hostProcess = (map: YAMLMap | undefined, who: string) => {
    const windows = mapIn(map, 'windowsOptions', pod);
    if (valueIn(windows, 'hostProcess', pod) === true) culprits.push({ at: valueOf(findPair(windows, 'hostProcess')!), message: `${who} sets windowsOptions.hostProcess: true.` });
  };
  hostProcess(pod.securityContext, 'The pod');
  for (const container of pod.containers) hostProcess(container.securityContext, containerLabel(container));
  return culprits.length ? { detail: 'securityContext.windowsOptions.hostProcess must not be true', culprits } : undefined;
};

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HOOKS = ['postStart', 'preStop'];

const hostProbesAndHostLifecycle: Check = pod => {
  const found = pod.containers.flatMap(container => {
    const handlers = [
      ...PROBES.map(key => ({ where: key, map: mapIn(container.node, key, pod) })),
      ...HOOKS.map(key => ({ where: `lifecycle.${key}`, map: mapIn(mapIn(container.node, 'lifecycle', pod), key, pod) })),
    ];
    return handlers.flatMap(({ where, map }) => ['httpGet', 'tcpSocket'].flatMap(action => {
      const target = mapIn(map, action, pod);
      const host = valueIn(target, 'host', pod);
      return host !== undefined && host !== null && host !== '' ? [{ container, at: valueOf(findPair(target, 'host')!), what: `sets ${where}.${action}.host: ${String(host)}.`, host: String(host) }] : [];
    }));
  });
  return byContainers(found, containers => `${containersPhrase(containers)} ${uses(containers)} probe or lifecycle ${new Set(found.map(f => f.host)).size === 1 ? 'host' : 'hosts'} ${quoted([...new Set(found.map(f => f.host))].sort())}`);
};

// ---- restricted

/**
 * The volume types restricted allows; any other source (hostPath, nfs, ... or an unknown one) is refused. A volume
 * that names no source is an emptyDir: the API server defaults it so.
 */
const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

const restrictedVolumes: Check = pod => {
  const found = volumes(pod).flatMap(volume => {
    if ([...RESTRICTED_VOLUME_TYPES].some(type => isSet(volume.node, type, pod))) return [];
    const source = volume.node.items.find(pair => isScalar(pair.key) && pair.key.value !== 'name' && isSet(volume.node, String(pair.key.value), pod));
    if (!source) return [];
    const type = source && isScalar(source.key) ? String(source.key.value) : 'unknown';
    return [{ volume, type, at: (source?.key ?? findPair(volume.node, 'name') ?? volume.node) as Target }];
  });
  if (!found.length) return undefined;
  return {
    detail: `${found.length === 1 ? 'volume' : 'volumes'} ${quoted(found.map(f => f.volume.name))} ${found.length === 1 ? 'uses' : 'use'} restricted volume ${new Set(found.map(f => f.type)).size === 1 ? 'type' : 'types'} ${quoted([...new Set(found.map(f => f.type))].sort())}`,
    culprits: found.map(f => ({ at: f.at, message: `The volume "${f.volume.name}" is of the type ${f.type}, which restricted does not allow.` })),
  };
};

/**
 * From v1.25 a pod with `os.name: windows` is exempt from the Linux-only restricted controls (privilege
 * escalation, seccomp, capabilities); the API server refuses those fields on a Windows pod anyway.
 */
function linuxOnly(check: Check): Check {
  return pod => (pod.windows ? undefined : check(pod));
}

const allowPrivilegeEscalation: Check = pod => byContainers(
  pod.containers.flatMap(container => {
    const pair = findPair(container.securityContext, 'allowPrivilegeEscalation');
    if (pair && valueIn(container.securityContext, 'allowPrivilegeEscalation', pod) === false) return [];
    return [{ container, at: pair ? valueOf(pair) : (container.securityContextPair?.key as Target ?? containerAnchor(container)), what: pair ? 'does not set allowPrivilegeEscalation to false.' : 'does not set allowPrivilegeEscalation: false.' }];
  }),
  containers => `${containersPhrase(containers)} must set securityContext.allowPrivilegeEscalation=false`,
);

const runAsNonRoot: Check = pod => {
  const podPair = findPair(pod.securityContext, 'runAsNonRoot');
  const podValue = valueIn(pod.securityContext, 'runAsNonRoot', pod);
  const culprits: Culprit[] = [];
  if (podPair && podValue === false) culprits.push({ at: valueOf(podPair), message: 'The pod sets runAsNonRoot: false.' });
  const implicit: Container[] = [];
  for (const container of pod.containers) {
    const pair = findPair(container.securityContext, 'runAsNonRoot');
    const value = valueIn(container.securityContext, 'runAsNonRoot', pod);
    if (pair && value !== null) {
      if (value === false) culprits.push({ at: valueOf(pair), message: `${containerLabel(container)} sets runAsNonRoot: false.` });
    } else if (podValue !== true) {
      implicit.push(container);
    }
  }
  if (culprits.length) return { detail: 'securityContext.runAsNonRoot must not be false', culprits };
  if (!implicit.length) return undefined;
  return {
    detail: `pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true`,
    culprits: implicit.map(container => ({ at: (container.securityContextPair?.key as Target) ?? containerAnchor(container), message: `${containerLabel(container)} does not set runAsNonRoot: true, nor does the pod.` })),
  };
};

const runAsUser: Check = pod => {
  const culprits: Culprit[] = [];
  const uidZero = (map: YAMLMap | undefined, who: string) => {
    const pair = findPair(map, 'runAsUser');
    if (pair && valueIn(map, 'runAsUser', pod) === 0) culprits.push({ at: valueOf(pair), message: `${who} sets runAsUser: 0.` });
  };
  uidZero(pod.securityContext, 'The pod');
  for (const container of pod.containers) uidZero(container.securityContext, containerLabel(container));
  return culprits.length ? { detail: 'runAsUser must not be 0', culprits } : undefined;
};

const seccompRestricted: Check = pod => {
  const { culprits, values } = badSeccompTypes(pod);
  if (culprits.length) return { detail: `securityContext.seccompProfile.type must not be ${quoted([...new Set(values)].sort())}`, culprits };
  if (mapIn(pod.securityContext, 'seccompProfile', pod)) return undefined;
  const implicit = pod.containers.filter(container => !mapIn(container.securityContext, 'seccompProfile', pod));
  if (!implicit.length) return undefined;
  return {
    detail: `pod or ${containersPhrase(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    culprits: implicit.map(container => ({ at: (container.securityContextPair?.key as Target) ?? containerAnchor(container), message: `${containerLabel(container)} sets no seccomp profile, nor does the pod.` })),
  };
};

const capabilitiesAddedRestricted = capabilitiesAdded(name => name === 'NET_BIND_SERVICE', 'and restricted allows adding only NET_BIND_SERVICE');

const capabilitiesRestricted: Check = pod => {
  const notDropped = pod.containers.flatMap(container => {
    const capabilities = mapIn(container.securityContext, 'capabilities', pod);
    if (strings(capabilities, 'drop', pod).some(item => item.value === 'ALL')) return [];
    const at = findPair(capabilities, 'drop')?.key ?? findPair(container.securityContext, 'capabilities')?.key ?? container.securityContextPair?.key ?? containerAnchor(container);
    return [{ container, at: at as Target, what: 'does not drop ALL capabilities.' }];
  });
  const added = capabilitiesAddedRestricted(pod);
  if (!notDropped.length && !added) return undefined;
  const details = [
    ...(notDropped.length ? [`${containersPhrase(notDropped.map(f => f.container))} must set securityContext.capabilities.drop=["ALL"]`] : []),
    ...(added ? [added.detail] : []),
  ];
  return {
    detail: details.join('; '),
    culprits: [...notDropped.map(f => ({ at: f.at, message: `${containerLabel(f.container)} ${f.what}` })), ...(added?.culprits ?? [])],
  };
};

// ---- the catalogue

export const CONTROLS: readonly Control[] = [
  { id: 'hostNamespaces', name: 'Host Namespaces', level: 'baseline', versions: [{ since: 0, check: hostNamespaces }] },
  { id: 'privileged', name: 'Privileged Containers', level: 'baseline', versions: [{ since: 0, check: privileged }] },
  { id: 'capabilities_baseline', name: 'Capabilities', level: 'baseline', versions: [{ since: 0, check: capabilitiesBaseline }] },
  { id: 'hostPathVolumes', name: 'HostPath Volumes', level: 'baseline', versions: [{ since: 0, check: hostPathVolumes }] },
  { id: 'hostPorts', name: 'Host Ports', level: 'baseline', versions: [{ since: 0, check: hostPorts }] },
  { id: 'hostProbesAndHostLifecycle', name: 'Host Probes / Lifecycle Hooks', level: 'baseline', versions: [{ since: 34, check: hostProbesAndHostLifecycle }] },
  { id: 'appArmorProfile', name: 'AppArmor', level: 'baseline', versions: [{ since: 0, check: appArmorProfile }] },
  { id: 'seLinuxOptions', name: 'SELinux', level: 'baseline', versions: [{ since: 0, check: seLinuxOptions }] },
  { id: 'procMount', name: '/proc Mount Type', level: 'baseline', versions: [{ since: 0, check: procMountUnmasked }, { since: 35, check: procMountBaseline135 }] },
  { id: 'seccompProfile_baseline', name: 'Seccomp', level: 'baseline', versions: [{ since: 0, check: seccompAnnotations }, { since: 19, check: seccompBaseline }] },
  { id: 'sysctls', name: 'Sysctls', level: 'baseline', versions: SAFE_SYSCTLS.map(([since]) => ({ since, check: sysctlsAllowedIn(since) })) },
  { id: 'windowsHostProcess', name: 'HostProcess', level: 'baseline', versions: [{ since: 0, check: windowsHostProcess }] },
  { id: 'restrictedVolumes', name: 'Volume Types', level: 'restricted', versions: [{ since: 0, check: restrictedVolumes, overrides: ['hostPathVolumes'] }] },
  {
    id: 'allowPrivilegeEscalation', name: 'Privilege Escalation', level: 'restricted',
    versions: [{ since: 8, check: allowPrivilegeEscalation }, { since: 25, check: linuxOnly(allowPrivilegeEscalation) }],
  },
  { id: 'runAsNonRoot', name: 'Running as Non-root', level: 'restricted', versions: [{ since: 0, check: runAsNonRoot }] },
  { id: 'runAsUser', name: 'Running as Non-root user', level: 'restricted', versions: [{ since: 23, check: runAsUser }] },
  {
    id: 'seccompProfile_restricted', name: 'Seccomp', level: 'restricted',
    versions: [{ since: 19, check: seccompRestricted, overrides: ['seccompProfile_baseline'] }, { since: 25, check: linuxOnly(seccompRestricted), overrides: ['seccompProfile_baseline'] }],
  },
  {
    id: 'capabilities_restricted', name: 'Capabilities', level: 'restricted',
    versions: [{ since: 22, check: capabilitiesRestricted, overrides: ['capabilities_baseline'] }, { since: 25, check: linuxOnly(capabilitiesRestricted), overrides: ['capabilities_baseline'] }],
  },
  { id: 'procMount_restricted', name: '/proc Mount Type', level: 'restricted', versions: [{ since: 35, check: procMountUnmasked, overrides: ['procMount'] }] },
];
