// Kustomize's legacy output order (`kustomize build` without `--reorder none`): kinds that others depend on
// first (Namespaces, CRDs, accounts, roles, config), webhooks last, the rest by group, version and kind, then
// namespace and name (kustomize api/resid/gvk.go, api/resmap/reswrangler.go).
import { Resource, groupVersionOf, kindOf, nameOf, namespaceOf } from './resource';

export const LEGACY_ORDER_FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role',
  'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange',
  'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
export const LEGACY_ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

export function sortLegacy(resources: Resource[], orderFirst = LEGACY_ORDER_FIRST, orderLast = LEGACY_ORDER_LAST): Resource[] {
  const rank = (kind: string): number => {
    const first = orderFirst.indexOf(kind);
    if (first >= 0) return first - orderFirst.length;
    const last = orderLast.indexOf(kind);
    return last >= 0 ? last + 1 : 0;
  };
  const keyed = resources.map((resource) => {
    const { group, version } = groupVersionOf(resource.object);
    const kind = kindOf(resource.object);
    return {
      resource,
      rank: rank(kind),
      gvk: `${group || '~G'}_${version || '~V'}_${kind || '~K'}`,
      rest: `${namespaceOf(resource.object) || '~X'}|${nameOf(resource.object) || '~N'}`,
    };
  });
  keyed.sort((a, b) => a.rank - b.rank || compare(a.gvk, b.gvk) || compare(a.rest, b.rest));
  return keyed.map((k) => k.resource);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
