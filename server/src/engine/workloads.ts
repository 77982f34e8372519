// Where pod specs live: the one walk from a Kubernetes object down to its pod specs and containers,
// written once for every rule (see docs/rules for the kinds each rule covers).
import { Document, isMap, isScalar, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { ResourceRef } from './types';
import { deref, findPair, getMap, getNode, getSeq, getString, seqItems } from './yamlNodes';
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

/** The `spec` pair of a pod template (`{metadata, spec}`). */
function templateSpec(template: Node | null | undefined, object: KubeObject): PodSpec | undefined {
  if (!isMap(template)) return undefined;
  const pair = findPair(template, 'spec');
  const node = deref(pair?.value, object.doc);
  if (!pair || !isMap(node)) return undefined;
  return podSpec(object, pair, node, getMap(template, 'metadata', object.doc));
}

export function findPodSpec(object: KubeObject): PodSpec | undefined {
  const { doc, node, kind } = object;
  if (kind === 'Pod') {
    const pair = findPair(node, 'spec');
    const spec = deref(pair?.value, doc);
    return pair && isMap(spec) ? podSpec(object, pair, spec, object.metadata) : undefined;
  }
  if (kind === 'PodTemplate') return templateSpec(getNode(node, 'template', doc), object);
  const spec = getMap(node, 'spec', doc);
  if (TEMPLATE_KINDS.has(kind)) return templateSpec(getNode(spec, 'template', doc), object);
  if (kind === 'CronJob') {
    const jobSpec = getMap(getMap(spec, 'jobTemplate', doc), 'spec', doc);
    return templateSpec(getNode(jobSpec, 'template', doc), object);
  }
  return undefined;
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
