// Name references: once prefixes, suffixes and hash suffixes have renamed resources, the fields that name them
// (a pod's ConfigMaps, Secrets, ServiceAccount and claims; a binding's role and subjects; a StatefulSet's
// Service) are updated to the new names, as Kustomize's nameReference transformer does for the resources of the
// build (kustomize api/internal/konfig/builtinpluginconsts/namereference.go).
import { Resource, isClusterScoped, kindOf, nameOf, namespaceOf, sameNamespace } from './resource';
import { FieldSpec, readFieldSpecs, visitFieldSpec } from './fieldSpecs';
import { get, getString, KMap, KNode, scalar, set } from './tree';

/** A `nameReference` entry of a `configurations:` file: the fields (fieldSpecs) that name an object of `kind`. */
export interface NameReferenceSpec {
  kind: string;
  fieldSpecs: FieldSpec[];
}

export function readNameReferences(node: KNode | undefined): NameReferenceSpec[] {
  if (node?.kind !== 'seq') return [];
  return node.items.flatMap((item) => {
    const kind = getString(item, 'kind');
    return kind ? [{ kind, fieldSpecs: readFieldSpecs(get(item, 'fieldSpecs')) }] : [];
  });
}

interface Reference {
  /** The map holding the name, and its key. */
  holder: KMap;
  key: string;
  kind: string;
  /** The namespace the referenced object must be in; undefined for the referrer's own. */
  namespace?: string;
  /** For ServiceAccount subjects: the namespace follows the account's too. */
  updatesNamespace?: boolean;
  /** A configured reference may name the object that holds it. */
  mayBeSelf?: boolean;
}

/** Updates the references; returns the problems: a blank subject namespace, a name that refers to two objects. */
export function fixNameReferences(resources: Resource[], configured: readonly NameReferenceSpec[] = []): string[] {
  const problems: string[] = [];
  const byKind = new Map<string, Resource[]>();
  for (const resource of resources) {
    const kind = kindOf(resource.object);
    byKind.set(kind, [...(byKind.get(kind) ?? []), resource]);
  }
  for (const referrer of resources) {
    for (const reference of [...referencesOf(referrer.object), ...configuredReferences(referrer.object, configured)]) {
      const value = getString(reference.holder, reference.key);
      if (!value) continue;
      if (reference.updatesNamespace && get(reference.holder, 'namespace') && !getString(reference.holder, 'namespace')) {
        problems.push(`Invalid input: namespace is blank for ${reference.kind} ${value} in ${kindOf(referrer.object)} ${nameOf(referrer.object)}`);
        continue;
      }
      const targets = findTargets(byKind.get(reference.kind) ?? [], value, reference.namespace ?? (isClusterScoped(referrer.object) ? undefined : namespaceOf(referrer.object)), referrer, reference.mayBeSelf);
      if (targets.length > 1 && targets.some((t) => nameOf(t.object) !== nameOf(targets[0].object) || namespaceOf(t.object) !== namespaceOf(targets[0].object))) {
        problems.push(`${kindOf(referrer.object)} ${nameOf(referrer.object)} refers to ${reference.kind} ${value}, which is more than one object: ${targets.map((t) => `${nameOf(t.object)}${namespaceOf(t.object) ? ` in ${namespaceOf(t.object)}` : ''}`).join(', ')}`);
        continue;
      }
      const target = targets[0];
      if (!target) continue;
      const current = get(reference.holder, reference.key)!;
      const targetName = get(get(target.object, 'metadata'), 'name');
      if (nameOf(target.object) !== value) set(reference.holder, reference.key, scalar(nameOf(target.object), [...current.origins, ...(targetName?.origins.slice(1) ?? [])]));
      const namespace = namespaceOf(target.object);
      if (reference.updatesNamespace && namespace && getString(reference.holder, 'namespace') !== namespace) {
        set(reference.holder, 'namespace', scalar(namespace, get(get(target.object, 'metadata'), 'namespace')?.origins ?? []));
      }
    }
  }
  return problems;
}

function findTargets(candidates: Resource[], name: string, namespace: string | undefined, referrer: Resource, mayBeSelf = false): Resource[] {
  let named = candidates.filter((candidate) => (mayBeSelf || candidate !== referrer) && candidate.names.includes(name));
  if (named.length > 1 && namespace !== undefined) named = named.filter((candidate) => isClusterScoped(candidate.object) || candidate.namespaces.some((ns) => sameNamespace(ns, namespace)));
  // Two bases may hold objects of one name: the referrer means the one renamed by the same prefixes and suffixes,
  // else the one that shares the outer ones (renamed by the same overlays, the referrer's own kustomization aside).
  if (named.length > 1) {
    const affixes = referrer.affixes.join(',');
    const sameAffixes = named.filter((candidate) => candidate.affixes.join(',') === affixes);
    const sameOuter = named.filter((candidate) => candidate.affixes.length > 0 && endsWith(referrer.affixes, candidate.affixes));
    named = sameAffixes.length > 0 ? sameAffixes : sameOuter.length > 0 ? sameOuter : named;
  }
  return named;
}

/** The string fields that the configured field specs name in the object. */
function configuredReferences(object: KMap, configured: readonly NameReferenceSpec[]): Reference[] {
  const references: Reference[] = [];
  for (const spec of configured) {
    for (const fieldSpec of spec.fieldSpecs) {
      visitFieldSpec(object, fieldSpec, [], (holder, key) => {
        if (get(holder, key)?.kind === 'scalar') references.push({ holder, key, kind: spec.kind, mayBeSelf: true });
      });
    }
  }
  return references;
}

function referencesOf(object: KMap): Reference[] {
  const kind = kindOf(object);
  const references: Reference[] = [];
  const add = (holder: KNode | undefined, key: string, refKind: string, extra: Partial<Reference> = {}): void => {
    if (holder?.kind === 'map' && get(holder, key)?.kind === 'scalar') references.push({ holder, key, kind: refKind, ...extra });
  };
  for (const podSpec of podSpecsOf(object)) {
    add(podSpec, 'serviceAccountName', 'ServiceAccount');
    add(podSpec, 'serviceAccount', 'ServiceAccount');
    for (const secret of items(get(podSpec, 'imagePullSecrets'))) add(secret, 'name', 'Secret');
    for (const volume of items(get(podSpec, 'volumes'))) {
      add(get(volume, 'configMap'), 'name', 'ConfigMap');
      add(get(volume, 'secret'), 'secretName', 'Secret');
      add(get(volume, 'persistentVolumeClaim'), 'claimName', 'PersistentVolumeClaim');
      for (const source of items(get(get(volume, 'projected'), 'sources'))) {
        add(get(source, 'configMap'), 'name', 'ConfigMap');
        add(get(source, 'secret'), 'name', 'Secret');
      }
    }
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      for (const container of items(get(podSpec, list))) {
        for (const env of items(get(container, 'env'))) {
          add(get(get(env, 'valueFrom'), 'configMapKeyRef'), 'name', 'ConfigMap');
          add(get(get(env, 'valueFrom'), 'secretKeyRef'), 'name', 'Secret');
        }
        for (const source of items(get(container, 'envFrom'))) {
          add(get(source, 'configMapRef'), 'name', 'ConfigMap');
          add(get(source, 'secretRef'), 'name', 'Secret');
        }
      }
    }
  }
  if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    const roleRef = get(object, 'roleRef');
    const roleKind = getString(roleRef, 'kind');
    if (roleKind === 'Role' || roleKind === 'ClusterRole') add(roleRef, 'name', roleKind);
    for (const subject of items(get(object, 'subjects'))) {
      if (getString(subject, 'kind') === 'ServiceAccount') add(subject, 'name', 'ServiceAccount', { namespace: getString(subject, 'namespace') ?? (kind === 'RoleBinding' ? undefined : ''), updatesNamespace: true });
    }
  }
  if (kind === 'ServiceAccount') {
    for (const secret of items(get(object, 'secrets'))) add(secret, 'name', 'Secret');
    for (const secret of items(get(object, 'imagePullSecrets'))) add(secret, 'name', 'Secret');
  }
  if (kind === 'StatefulSet') add(get(object, 'spec'), 'serviceName', 'Service');
  if (kind === 'ValidatingAdmissionPolicyBinding') add(get(object, 'spec'), 'policyName', 'ValidatingAdmissionPolicy');
  if (kind === 'Ingress') {
    for (const rule of items(get(get(object, 'spec'), 'rules'))) {
      for (const path of items(get(get(rule, 'http'), 'paths'))) {
        add(get(get(path, 'backend'), 'service'), 'name', 'Service');
        add(get(path, 'backend'), 'serviceName', 'Service'); // extensions/v1beta1 and networking.k8s.io/v1beta1
      }
    }
    add(get(get(get(object, 'spec'), 'defaultBackend'), 'service'), 'name', 'Service');
    add(get(get(object, 'spec'), 'backend'), 'serviceName', 'Service');
  }
  return references;
}

function endsWith(list: readonly string[], tail: readonly string[]): boolean {
  return tail.length <= list.length && tail.every((item, i) => list[list.length - tail.length + i] === item);
}

function items(node: KNode | undefined): KNode[] {
  return node?.kind === 'seq' ? node.items : [];
}

/** The pod specs of workloads, Jobs, CronJobs and Pods. */
function podSpecsOf(object: KMap): KNode[] {
  const kind = kindOf(object);
  const spec = get(object, 'spec');
  if (kind === 'Pod') return spec ? [spec] : [];
  if (kind === 'CronJob') return [get(get(get(get(spec, 'jobTemplate'), 'spec'), 'template'), 'spec')].filter((n): n is KNode => !!n);
  const template = get(get(spec, 'template'), 'spec');
  return template ? [template] : [];
}
