// The edits that bring a pod spec up to a Pod Security Standard: one fix per failed control, and all of them at
// once. A control is fixed only where the fix needs no choice that is the author's: a UID, another volume type,
// a host port or a capability the app may need are left to them, and a pod failing such a control gets no
// "fix all" (it would not make the pod admitted).
import { FixSpec, OffsetEdit } from '../rule';
import { FailedControl } from '../podSecurity/evaluate';
import { Container, PodSpec } from '../workloads';
import { AnyNode, getMap, getNode, getSeq, scalarValue, seqItems } from '../yamlNodes';
import { fixOf, merged } from './containerFixes';
import { ValueMap } from './render';
import { editorFor } from './yamlEdits';
import { rootImage, rootImageCaveat } from '../knowledge/rootImages';

/** What a fix makes the pod spec and some of its containers hold; `caveat` says why it may stop a container from starting. */
interface PodChange { pod: ValueMap; containers: Map<Container, ValueMap>; title: string; caveat?: string }

const SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);

function value(map: AnyNode, key: string, pod: PodSpec): unknown {
  return scalarValue(getNode(map, key, pod.object.doc));
}

function seccompType(map: AnyNode, pod: PodSpec): unknown {
  return value(getMap(map, 'seccompProfile', pod.object.doc), 'type', pod);
}

function hasSeccomp(map: AnyNode, pod: PodSpec): boolean {
  return getMap(map, 'seccompProfile', pod.object.doc) !== undefined;
}

function inContainers(pod: PodSpec, title: string, change: (container: Container) => ValueMap | undefined, podChange: ValueMap = {}): PodChange {
  const containers = new Map<Container, ValueMap>();
  for (const container of pod.containers) {
    const values = change(container);
    if (values) containers.set(container, values);
  }
  return { pod: podChange, containers, title };
}

const RUNTIME_DEFAULT = { seccompProfile: { type: 'RuntimeDefault' } };

/** The change that clears one failed control, or undefined when it has none. */
function changeFor(control: string, pod: PodSpec): PodChange | undefined {
  const { doc } = pod.object;
  switch (control) {
    case 'hostNamespaces': {
      const keys = ['hostNetwork', 'hostPID', 'hostIPC'].filter(key => value(pod.node, key, pod) === true);
      return { pod: Object.fromEntries(keys.map(key => [key, false])), containers: new Map(), title: `Set ${keys.map(key => `${key}: false`).join(', ')}` };
    }
    case 'privileged':
      return inContainers(pod, 'Set privileged: false in every container', c => (value(c.securityContext, 'privileged', pod) === true ? { securityContext: { privileged: false } } : undefined));
    case 'allowPrivilegeEscalation':
      return inContainers(pod, 'Set allowPrivilegeEscalation: false in every container',
        c => (value(c.securityContext, 'allowPrivilegeEscalation', pod) === false ? undefined : { securityContext: { allowPrivilegeEscalation: false } }));
    case 'runAsNonRoot': {
      // The pod-level setting covers every container that does not set its own; a container's false is flipped.
      const change = inContainers(pod, 'Set runAsNonRoot: true',
        c => (value(c.securityContext, 'runAsNonRoot', pod) === false ? { securityContext: { runAsNonRoot: true } } : undefined),
        value(pod.securityContext, 'runAsNonRoot', pod) === true ? {} : { securityContext: { runAsNonRoot: true } });
      return { ...change, caveat: pod.containers.map(rootImageCaveat).find(Boolean) };
    }
    case 'seccompProfile_baseline':
    case 'seccompProfile_restricted': {
      const restricted = control === 'seccompProfile_restricted';
      const podBad = hasSeccomp(pod.securityContext, pod) && !SECCOMP_TYPES.has(String(seccompType(pod.securityContext, pod)));
      const podMissing = restricted && !hasSeccomp(pod.securityContext, pod);
      return inContainers(pod, 'Set the seccomp profile type RuntimeDefault',
        c => (hasSeccomp(c.securityContext, pod) && !SECCOMP_TYPES.has(String(seccompType(c.securityContext, pod))) ? { securityContext: RUNTIME_DEFAULT } : undefined),
        podBad || podMissing ? { securityContext: RUNTIME_DEFAULT } : {});
    }
    case 'capabilities_restricted': {
      // Only the missing drop: an added capability may be one the app needs.
      const adds = pod.containers.some(c => seqItems(getSeq(getMap(c.securityContext, 'capabilities', doc), 'add', doc), doc).some(item => scalarValue(item) !== 'NET_BIND_SERVICE'));
      if (adds) return undefined;
      const change = inContainers(pod, 'Drop ALL capabilities in every container', c => {
        const drop = seqItems(getSeq(getMap(c.securityContext, 'capabilities', doc), 'drop', doc), doc);
        return drop.some(item => scalarValue(item) === 'ALL') ? undefined : { securityContext: { capabilities: { drop: ['ALL'] } } };
      });
      // An image that starts as root and switches user needs SETUID and SETGID (knowledge/rootImages.ts).
      const switcher = [...change.containers.keys()].find(c => rootImage(c)?.switchesTo);
      return { ...change, caveat: switcher && `${switcher.image} then cannot switch to user ${rootImage(switcher)!.switchesTo}` };
    }
    default:
      return undefined;
  }
}

function edits(change: Omit<PodChange, 'title'>, pod: PodSpec, text: string): OffsetEdit[] {
  const editor = editorFor(text, pod.object.doc);
  return [
    ...[...change.containers].flatMap(([container, values]) => editor.merge(container.node, values)),
    ...editor.merge(pod.node, change.pod),
  ];
}

function withCaveats(title: string, caveats: (string | undefined)[]): string {
  const known = caveats.filter(Boolean);
  return known.length ? `${title} (${known.join('; ')})` : title;
}

/**
 * One fix per failed control that has one, then "Fix all" when every failed control has one: preferred unless a
 * caveat says the container would then not start (an image known to run as root).
 */
export function podSecurityFixes(failed: readonly FailedControl[], pod: PodSpec, text: string): FixSpec[] {
  const changes = failed.map(f => changeFor(f.control.id, pod));
  const fixes = changes.flatMap(change => {
    const fix = change && fixOf(withCaveats(`Pod Security: ${change.title[0].toLowerCase()}${change.title.slice(1)}`, [change.caveat]), () => edits(change, pod, text));
    return fix ? [fix] : [];
  });
  if (changes.some(change => !change)) return fixes;
  const all = changes.reduce<Omit<PodChange, 'title'>>((a, b) => {
    const containers = new Map(a.containers);
    for (const [container, values] of b!.containers) {
      containers.set(container, merged({ container: containers.get(container) ?? {}, pod: {} }, { container: values, pod: {} }).container);
    }
    return { pod: merged({ container: {}, pod: a.pod }, { container: {}, pod: b!.pod }).pod, containers };
  }, { pod: {}, containers: new Map() });
  const caveats = changes.map(change => change!.caveat);
  const fixAll = fixOf(withCaveats('Fix all Pod Security violations of this pod', caveats), () => edits(all, pod, text), !caveats.some(Boolean));
  return fixAll ? [...fixes, fixAll] : fixes;
}
