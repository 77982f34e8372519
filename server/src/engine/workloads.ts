// Where pod specs live: the one walk from a Kubernetes object down to its pod specs and containers,
// written once for every rule (see docs/rules for the kinds each rule covers).
import { Document, isMap, isScalar, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { ResourceRef } from './types';
import { deref, findPair, getMap, getSeq, getString, seqItems } from './yamlNodes';
import { EffectiveSecurityContext, effectiveSecurityContext } from './securityContext';

export interface KubeObject {
  doc: Document;
  node: YAMLMap;
  kind: string;
  apiVersion: string;
  resource: ResourceRef;
  metadata?: YAMLMap;
}

export interface PodSpec {
  object: KubeObject;
  node: YAMLMap;
  /** The pair whose value is this pod spec (`spec:`), for placing pod-level findings. */
  pair: Pair;
  /** `metadata` of the pod template (or of the Pod itself). */
  metadata?: YAMLMap;
  securityContext?: YAMLMap;
  securityContextPair?: Pair<Scalar, unknown>;
  /** `spec.os.name: windows`: exempt from the Linux-only checks, as in the Pod Security Standards. */
  windows: boolean;
  containers: Container[];
}

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';
export const CONTAINER_LISTS: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers'];

export interface Container {
  pod: PodSpec;
  node: YAMLMap;
  list: ContainerList;
  /** The sequence the container is an item of. */
  seq: YAMLSeq;
  index: number;
  name?: string;
  image?: string;
  securityContext?: YAMLMap;
  securityContextPair?: Pair<Scalar, unknown>;
  effective: EffectiveSecurityContext;
}

/** Kinds whose pod spec sits at `spec.template.spec`. */
const TEMPLATE_KINDS = new Set([
  'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job',
  'DeploymentConfig', 'Rollout',
]);
export const RBAC_KINDS = new Set(['Role', 'ClusterRole']);

export function isListKind(kind: string): boolean {
  return kind === 'List' || kind.endsWith('List');
}

/** Kinds that can hold a pod spec or RBAC rules; documents of other kinds need no analysis. */
export function isRelevantKind(kind: string): boolean {
  return kind === 'Pod' || kind === 'PodTemplate' || kind === 'CronJob' || TEMPLATE_KINDS.has(kind)
    || RBAC_KINDS.has(kind) || isListKind(kind);
}

/** The Kubernetes object at the root of a document, or undefined when it has no `apiVersion` and `kind`. */
export function kubeObject(node: unknown, doc: Document): KubeObject | undefined {
  const map = deref(node, doc);
  if (!isMap(map)) return undefined;
  const kind = getString(map, 'kind', doc);
  const apiVersion = getString(map, 'apiVersion', doc);
  if (!kind || !apiVersion) return undefined;
  const metadata = getMap(map, 'metadata', doc);
  return {
    doc, node: map, kind, apiVersion, metadata,
    resource: { apiVersion, kind, name: getString(metadata, 'name', doc), namespace: getString(metadata, 'namespace', doc) },
  };
}

/** The object itself, or the items of a List, recursively. */
export function expandLists(object: KubeObject, depth = 0): KubeObject[] {
  if (!isListKind(object.kind)) return [object];
  if (depth > 8) return [];
  return seqItems(getSeq(object.node, 'items', object.doc), object.doc).flatMap(item => {
    const inner = kubeObject(item, object.doc);
    return inner ? expandLists(inner, depth + 1) : [];
  });
}

/** The keys from an object of this kind down to its pod spec, the last one `spec`; undefined for kinds without one. */
export function podSpecPath(kind: string): readonly string[] | undefined {
  if (kind === 'Pod') return ['spec'];
  if (kind === 'PodTemplate') return ['template', 'spec'];
  if (TEMPLATE_KINDS.has(kind)) return ['spec', 'template', 'spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return undefined;
}

export function findPodSpec(object: KubeObject): PodSpec | undefined {
  const { doc } = object;
  const path = podSpecPath(object.kind);
  if (!path) return undefined;
  let parent: YAMLMap | undefined = object.node;
  for (const key of path.slice(0, -1)) parent = getMap(parent, key, doc);
  const pair = findPair(parent, 'spec');
  const node = deref(pair?.value, doc);
  if (!parent || !pair || !isMap(node)) return undefined;
  // A Pod's own metadata, else the pod template's (`{metadata, spec}`).
  return podSpec(object, pair, node, object.kind === 'Pod' ? object.metadata : getMap(parent, 'metadata', doc));
}

function podSpec(object: KubeObject, pair: Pair, node: YAMLMap, metadata: YAMLMap | undefined): PodSpec {
  const { doc } = object;
  const securityContextPair = findPair(node, 'securityContext');
  const securityContext = getMap(node, 'securityContext', doc);
  const osName = getString(getMap(node, 'os', doc), 'name', doc);
  const pod: PodSpec = {
    object, node, pair, metadata, securityContext, securityContextPair,
    windows: osName === 'windows', containers: [],
  };
  for (const list of CONTAINER_LISTS) {
    const seq = getSeq(node, list, doc);
    seqItems(seq, doc).forEach((item, index) => {
      if (!seq || !isMap(item)) return;
      const containerContextPair = findPair(item, 'securityContext');
      const containerContext = getMap(item, 'securityContext', doc);
      pod.containers.push({
        pod, node: item, list, seq, index,
        name: getString(item, 'name', doc),
        image: getString(item, 'image', doc),
        securityContext: containerContext,
        securityContextPair: containerContextPair,
        effective: effectiveSecurityContext(containerContext, securityContext, doc),
      });
    });
  }
  return pod;
}

/** The container's `command` followed by its `args`, as strings (what the image's entrypoint is given). */
export function containerArguments(container: Container): string[] {
  const { doc } = container.pod.object;
  return ['command', 'args'].flatMap(key => seqItems(getSeq(container.node, key, doc), doc))
    .flatMap(item => (isScalar(item) && item.value !== null ? [String(item.value)] : []));
}

/** The `name: x` pair of a container, else its first pair: where a finding about the whole container sits. */
export function containerAnchor(container: Container): Pair {
  return findPair(container.node, 'name') ?? container.node.items[0];
}
