// The kustomization fields that change every resource: namespace, namePrefix/nameSuffix, commonLabels/labels,
// commonAnnotations, images and replicas. Each value they write carries a `generated` origin at the field that
// asked for it. Which fields each one touches follows Kustomize's default field specs
// (kustomize api/internal/konfig/builtinpluginconsts).
import { Origin } from '../origin';
import { Resource, isClusterScoped, kindOf, nameOf, recordIdentity, groupVersionOf } from './resource';
import { FieldSpec as ConfiguredFieldSpec, visitFieldSpec } from './fieldSpecs';
import { addOrigin, emptyMap, ensureMap, get, getString, KMap, KNode, scalar, set } from './tree';

interface FieldSpec {
  kinds?: string[];
  path: string;
  create: boolean;
}

const WORKLOADS = ['ReplicationController', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job'];
const AFFINITY_SELECTORS = ['podAffinity', 'podAntiAffinity'].flatMap((affinity) => [
  `spec/template/spec/affinity/${affinity}/preferredDuringSchedulingIgnoredDuringExecution[]/podAffinityTerm/labelSelector/matchLabels`,
  `spec/template/spec/affinity/${affinity}/requiredDuringSchedulingIgnoredDuringExecution[]/labelSelector/matchLabels`,
]);

const TEMPLATE_LABELS: FieldSpec[] = [
  { kinds: WORKLOADS, path: 'spec/template/metadata/labels', create: true },
  { kinds: ['CronJob'], path: 'spec/jobTemplate/metadata/labels', create: true },
  { kinds: ['CronJob'], path: 'spec/jobTemplate/spec/template/metadata/labels', create: true },
];

const SELECTOR_LABELS: FieldSpec[] = [
  { kinds: ['Service', 'ReplicationController'], path: 'spec/selector', create: true },
  { kinds: ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'], path: 'spec/selector/matchLabels', create: true },
  { kinds: ['Job'], path: 'spec/selector/matchLabels', create: false },
  { kinds: ['CronJob'], path: 'spec/jobTemplate/spec/selector/matchLabels', create: false },
  { kinds: ['PodDisruptionBudget'], path: 'spec/selector/matchLabels', create: false },
  { kinds: ['NetworkPolicy'], path: 'spec/podSelector/matchLabels', create: false },
  { kinds: ['NetworkPolicy'], path: 'spec/ingress[]/from[]/podSelector/matchLabels', create: false },
  { kinds: ['NetworkPolicy'], path: 'spec/egress[]/to[]/podSelector/matchLabels', create: false },
  { kinds: ['StatefulSet'], path: 'spec/volumeClaimTemplates[]/metadata/labels', create: true },
  ...AFFINITY_SELECTORS.map((path) => ({ kinds: ['Deployment'], path, create: false })),
];

const METADATA_LABELS: FieldSpec = { path: 'metadata/labels', create: true };

const ANNOTATIONS: FieldSpec[] = [
  { path: 'metadata/annotations', create: true },
  { kinds: WORKLOADS, path: 'spec/template/metadata/annotations', create: true },
  { kinds: ['CronJob'], path: 'spec/jobTemplate/metadata/annotations', create: true },
  { kinds: ['CronJob'], path: 'spec/jobTemplate/spec/template/metadata/annotations', create: true },
];

/** Calls `visit` with every map at `spec.path` of the object, creating missing maps when the spec says so. */
function forEachMapAt(object: KMap, spec: FieldSpec, origin: Origin, visit: (map: KMap) => void): void {
  if (spec.kinds && !spec.kinds.includes(kindOf(object))) return;
  const steps = spec.path.split('/');
  const walk = (node: KNode, index: number): void => {
    if (node.kind !== 'map') return;
    const step = steps[index];
    const isList = step.endsWith('[]');
    const key = isList ? step.slice(0, -2) : step;
    const last = index === steps.length - 1;
    let child = get(node, key);
    if (isList) {
      if (child?.kind === 'seq') for (const item of child.items) walk(item, index + 1);
      return;
    }
    if (!child || (child.kind === 'scalar' && child.value === null)) {
      if (!spec.create) return;
      child = ensureMap(node, key, [origin]);
    }
    if (last) {
      if (child.kind === 'map') visit(child);
    } else walk(child, index + 1);
  };
  walk(object, 0);
}

function setPairs(map: KMap, pairs: readonly LabelPair[]): void {
  for (const pair of pairs) set(map, pair.key, scalar(pair.value, [pair.origin]));
  for (const pair of pairs) addOrigin(map, pair.origin);
}

export interface LabelPair {
  key: string;
  value: string;
  origin: Origin;
}

export interface LabelSet {
  pairs: LabelPair[];
  includeSelectors: boolean;
  includeTemplates: boolean;
}

/** `extra`: the field specs of `configurations:` files (and a `labels` entry's own `fields`). */
export function applyLabels(resources: Resource[], labels: LabelSet, extra: readonly ConfiguredFieldSpec[] = []): void {
  if (labels.pairs.length === 0) return;
  const specs = [METADATA_LABELS, ...(labels.includeSelectors ? [...TEMPLATE_LABELS, ...SELECTOR_LABELS] : labels.includeTemplates ? TEMPLATE_LABELS : [])];
  for (const resource of resources) {
    for (const spec of specs) forEachMapAt(resource.object, spec, labels.pairs[0].origin, (map) => setPairs(map, labels.pairs));
    setPairsAtSpecs(resource.object, extra, labels.pairs);
  }
}

export function applyAnnotations(resources: Resource[], pairs: LabelPair[], extra: readonly ConfiguredFieldSpec[] = []): void {
  if (pairs.length === 0) return;
  for (const resource of resources) {
    for (const spec of ANNOTATIONS) forEachMapAt(resource.object, spec, pairs[0].origin, (map) => setPairs(map, pairs));
    setPairsAtSpecs(resource.object, extra, pairs);
  }
}

function setPairsAtSpecs(object: KMap, specs: readonly ConfiguredFieldSpec[], pairs: readonly LabelPair[]): void {
  for (const spec of specs) {
    visitFieldSpec(object, spec, [pairs[0].origin], (holder, key) => {
      let map = get(holder, key);
      if (map && !(map.kind === 'scalar' && map.value === null) && map.kind !== 'map') return;
      if (map?.kind !== 'map') set(holder, key, (map = emptyMap([pairs[0].origin])));
      setPairs(map, pairs);
    });
  }
}

/** Kinds whose name a prefix or suffix leaves alone. */
const UNRENAMED_KINDS = new Set(['CustomResourceDefinition', 'APIService', 'Namespace']);

export function applyNameAffixes(resources: Resource[], prefix: { value: string; origin: Origin } | undefined, suffix: { value: string; origin: Origin } | undefined): void {
  if (!prefix?.value && !suffix?.value) return;
  for (const resource of resources) {
    const { object } = resource;
    resource.affixes.push(`${prefix?.value ?? ''}|${suffix?.value ?? ''}`);
    if (UNRENAMED_KINDS.has(kindOf(object))) continue;
    const metadata = get(object, 'metadata');
    const name = get(metadata, 'name');
    if (metadata?.kind !== 'map' || name?.kind !== 'scalar') continue;
    const origins = [...name.origins];
    if (prefix?.value) origins.push(prefix.origin);
    if (suffix?.value) origins.push(suffix.origin);
    set(metadata, 'name', scalar(`${prefix?.value ?? ''}${nameOf(object)}${suffix?.value ?? ''}`, origins));
    recordIdentity(resource);
  }
}

export function applyNamespace(resources: Resource[], namespace: string, origin: Origin): void {
  for (const resource of resources) {
    const { object } = resource;
    const kind = kindOf(object);
    if (kind === 'Namespace' && getString(object, 'apiVersion') === 'v1') {
      // A Namespace object becomes the namespace the kustomization names.
      setMetadataString(object, 'name', namespace, origin);
    } else if (!isClusterScoped(object)) {
      setMetadataString(object, 'namespace', namespace, origin);
    }
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      const subjects = get(object, 'subjects');
      if (subjects?.kind === 'seq') {
        for (const subject of subjects.items) {
          if (subject.kind !== 'map' || getString(subject, 'kind') !== 'ServiceAccount') continue;
          if (!getString(subject, 'namespace')) set(subject, 'namespace', scalar(namespace, [origin]));
        }
      }
    }
    for (const service of webhookServices(object)) set(service, 'namespace', scalar(namespace, [origin]));
    recordIdentity(resource);
  }
}

/** The `service` maps of webhooks and API services, whose namespace follows the kustomization's. */
function webhookServices(object: KMap): KMap[] {
  const kind = kindOf(object);
  const services: KNode[] = [];
  if (kind === 'MutatingWebhookConfiguration' || kind === 'ValidatingWebhookConfiguration') {
    const webhooks = get(object, 'webhooks');
    if (webhooks?.kind === 'seq') for (const webhook of webhooks.items) services.push(get(get(webhook, 'clientConfig'), 'service')!);
  } else if (kind === 'APIService' && groupVersionOf(object).group === 'apiregistration.k8s.io') {
    services.push(get(get(object, 'spec'), 'service')!);
  } else if (kind === 'CustomResourceDefinition') {
    services.push(get(get(get(get(get(object, 'spec'), 'conversion'), 'webhook'), 'clientConfig'), 'service')!);
  }
  return services.filter((service): service is KMap => service?.kind === 'map');
}

function setMetadataString(object: KMap, key: string, value: string, origin: Origin): void {
  const metadata = ensureMap(object, 'metadata', [origin]);
  const old = get(metadata, key);
  if (old?.kind === 'scalar' && old.value === value) return;
  set(metadata, key, scalar(value, [...(old?.origins ?? []), origin]));
}

export interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  /** The origins of the entry's newName, newTag and digest, or of the entry. */
  origins: Origin[];
}

/** Splits `registry/name:tag@digest` into its name, tag and digest. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > withoutDigest.lastIndexOf('/')) return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
  return { name: withoutDigest, digest };
}

/** `extra`: image fields of other kinds, from `configurations:` files (`images:`). */
export function applyImages(resources: Resource[], rules: ImageRule[], extra: readonly ConfiguredFieldSpec[] = []): void {
  if (rules.length === 0) return;
  for (const resource of resources) {
    visitContainers(resource.object, (container) => updateImage(container, 'image', rules));
    for (const spec of extra) visitFieldSpec(resource.object, spec, [], (holder, key) => updateImage(holder, key, rules));
  }
}

function updateImage(holder: KMap, key: string, rules: ImageRule[]): void {
  const image = get(holder, key);
  if (image?.kind !== 'scalar' || image.value === null) return;
  const parsed = parseImage(String(image.value));
  const rule = rules.find((r) => r.name === parsed.name);
  if (!rule) return;
  let tag = parsed.tag;
  let digest = parsed.digest;
  if (rule.newTag !== undefined) {
    tag = rule.newTag;
    digest = undefined;
  }
  if (rule.digest !== undefined) {
    digest = rule.digest;
    tag = undefined;
  }
  const name = rule.newName ?? parsed.name;
  const updated = `${name}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  set(holder, key, scalar(updated, [...image.origins, ...rule.origins]));
}

/** Every map in a `containers` or `initContainers` list anywhere in the object. */
function visitContainers(node: KNode, visit: (container: KMap) => void): void {
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      if ((entry.key === 'containers' || entry.key === 'initContainers') && entry.value.kind === 'seq') {
        for (const item of entry.value.items) if (item.kind === 'map') visit(item);
      }
      visitContainers(entry.value, visit);
    }
  } else if (node.kind === 'seq') node.items.forEach((item) => visitContainers(item, visit));
}

const SCALABLE_KINDS = new Set(['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet']);

export function applyReplicas(resources: Resource[], name: string, count: number, origin: Origin): void {
  for (const resource of resources) {
    if (!SCALABLE_KINDS.has(kindOf(resource.object)) || !resource.names.includes(name)) continue;
    const spec = ensureMap(resource.object, 'spec', [origin]);
    const old = get(spec, 'replicas');
    set(spec, 'replicas', scalar(count, [...(old?.origins ?? []), origin]));
  }
}
