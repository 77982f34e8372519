// Name references: once prefixes, suffixes and hash suffixes have renamed resources, the fields that name them
// (a pod's ConfigMaps, Secrets, ServiceAccount and claims; a binding's role and subjects; a StatefulSet's
// Service) are updated to the new names, as Kustomize's nameReference transformer does for the resources of the
// build (kustomize api/internal/konfig/builtinpluginconsts/namereference.go).
import { Resource, isClusterScoped, kindOf, nameOf, namespaceOf, sameNamespace } from './resource';
import { get, getString, KMap, KNode, scalar, set } from './tree';

interface Reference {
  /** The map holding the name, and its key. */
  holder: KMap;
  key: string;
  kind: string;
  /** The namespace the referenced object must be in; undefined for the referrer's own. */
  namespace?: string;
  /** For ServiceAccount subjects: the namespace follows the account's too. */
  updatesNamespace?: boolean;
}

export function fixNameReferences(resources: Resource[]): void {
  const byKind = new Map<string, Resource[]>();
  for (const resource of resources) {
    const kind = kindOf(resource.object);
    byKind.set(kind, [...(byKind.get(kind) ?? []), resource]);
  }
  for (const referrer of resources) {
    for (const reference of referencesOf(referrer.object)) {
      const value = getString(reference.holder, reference.key);
      if (!value) continue;
      const target = findTarget(byKind.get(reference.kind) ?? [], value, reference.namespace ?? (isClusterScoped(referrer.object) ? undefined : namespaceOf(referrer.object)), referrer);
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
}

function findTarget(candidates: Resource[], name: string, namespace: string | undefined, referrer: Resource): Resource | undefined {
  let named = candidates.filter((candidate) => candidate !== referrer && candidate.names.includes(name));
  if (named.length > 1 && namespace !== undefined) named = named.filter((candidate) => isClusterScoped(candidate.object) || candidate.namespaces.some((ns) => sameNamespace(ns, namespace)));
  // Two bases may hold objects of one name: the referrer means the one renamed by the same prefixes and suffixes.
  if (named.length > 1) {
    const affixes = referrer.affixes.join(',');
    const sameAffixes = named.filter((candidate) => candidate.affixes.join(',') === affixes);
    if (sameAffixes.length > 0) named = sameAffixes;
  }
  return named[0];
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
  if (kind === 'Ingress') {
    for (const rule of items(get(get(object, 'spec'), 'rules'))) {
      for (const path of items(get(get(rule, 'http'), 'paths'))) add(get(get(path, 'backend'), 'service'), 'name', 'Service');
    }
    add(get(get(get(object, 'spec'), 'defaultBackend'), 'service'), 'name', 'Service');
  }
  return references;
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
