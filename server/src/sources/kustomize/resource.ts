// A resource of the build: the object, and the names and namespaces it had on the way (patches and references
// find a resource by any of them, as Kustomize does with its original and current ids).
import { Origin } from '../origin';
import { get, getString, KMap } from './tree';

/** Where a resource was written, or which generator or transformer config made or changed it. */
export interface ResourceOrigin {
  /** The file a resource was read from (absolute). */
  path?: string;
  /** The file that configures the generator or transformer (absolute), and the config's identity. */
  configuredIn?: string;
  configuredBy?: { apiVersion: string; kind: string; name?: string; namespace?: string };
}

export interface Resource {
  object: KMap;
  /** Names the object had, the first the one it was read or generated with. */
  names: string[];
  /** Namespaces the object had ('' for none), the first the one it was read with. */
  namespaces: string[];
  /** Set for generated ConfigMaps and Secrets whose name gets the content hash. */
  needsHash: boolean;
  generated: boolean;
  /** The prefix/suffix pairs applied to the name, innermost kustomization first (`prefix|suffix`). */
  affixes: string[];
  /** For generated objects: the generator entry, the origin of the hash suffix. */
  generatorOrigin?: Origin;
  /** The file or generator it came from, and the transformers that ran over it (for buildMetadata). */
  origin?: ResourceOrigin;
  transformations: ResourceOrigin[];
}

export function newResource(object: KMap, generated = false, needsHash = false): Resource {
  return { object, names: [nameOf(object)], namespaces: [namespaceOf(object)], affixes: [], needsHash, generated, transformations: [] };
}

export function nameOf(object: KMap): string {
  return getString(get(object, 'metadata'), 'name') ?? '';
}

export function namespaceOf(object: KMap): string {
  return getString(get(object, 'metadata'), 'namespace') ?? '';
}

export function kindOf(object: KMap): string {
  return getString(object, 'kind') ?? '';
}

/** The API group and version of `apiVersion` (`apps/v1` -> apps, v1; `v1` -> '', v1). */
export function groupVersionOf(object: KMap): { group: string; version: string } {
  const apiVersion = getString(object, 'apiVersion') ?? '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Records the object's current name and namespace after a transformer changed them. */
export function recordIdentity(resource: Resource): void {
  const name = nameOf(resource.object);
  const namespace = namespaceOf(resource.object);
  if (resource.names[resource.names.length - 1] !== name) resource.names.push(name);
  if (resource.namespaces[resource.namespaces.length - 1] !== namespace) resource.namespaces.push(namespace);
}

/** Kustomize reads an absent namespace as `default` when it compares ids. */
export function sameNamespace(a: string, b: string): boolean {
  return (a || 'default') === (b || 'default');
}

/** Kinds that live outside namespaces, which the namespace transformer leaves alone. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'APIService', 'CertificateSigningRequest', 'ClusterRole', 'ClusterRoleBinding', 'ComponentStatus', 'CSIDriver', 'CSINode',
  'CustomResourceDefinition', 'FlowSchema', 'IngressClass', 'MutatingWebhookConfiguration', 'Namespace', 'Node',
  'PersistentVolume', 'PodSecurityPolicy', 'PriorityClass', 'PriorityLevelConfiguration', 'RuntimeClass', 'SelfSubjectAccessReview',
  'SelfSubjectRulesReview', 'StorageClass', 'SubjectAccessReview', 'TokenReview', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration', 'VolumeAttachment',
]);

/** A kind of the list above from a Kubernetes API group; a custom resource of the same kind name is namespaced. */
export function isClusterScoped(object: KMap): boolean {
  const { group } = groupVersionOf(object);
  return CLUSTER_SCOPED_KINDS.has(kindOf(object)) && (!group.includes('.') || group.endsWith('.k8s.io'));
}
