// What a Role or ClusterRole rule grants, matched the way the Kubernetes RBAC authorizer matches a request
// (plugin/pkg/auth/authorizer/rbac/rbac.go and pkg/apis/rbac/v1/evaluation_helpers.go): `*` matches every
// apiGroup, resource or verb, and `*/sub` matches the subresource `sub` of every resource.
import { isMap, YAMLMap } from 'yaml';
import { KubeObject } from './workloads';
import { getSeq, scalarValue, seqItems } from './yamlNodes';

export const RBAC_API_GROUP = 'rbac.authorization.k8s.io';

export interface PolicyRule {
  /** The item of `rules:`, where a finding about it sits. */
  node: YAMLMap;
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface ResourceRequest {
  apiGroup: string;
  /** `resource/subresource`, e.g. `pods/exec`. */
  resource: string;
  verb: string;
}

function strings(map: YAMLMap, key: string, object: KubeObject): string[] {
  return seqItems(getSeq(map, key, object.doc), object.doc)
    .map(scalarValue)
    .filter((value): value is string => typeof value === 'string');
}

/** The rules of a Role or ClusterRole; empty for any other object. */
export function policyRules(object: KubeObject): PolicyRule[] {
  if (object.kind !== 'Role' && object.kind !== 'ClusterRole') return [];
  if (!object.apiVersion.startsWith(`${RBAC_API_GROUP}/`)) return [];
  const items = seqItems(getSeq(object.node, 'rules', object.doc), object.doc);
  return items.flatMap((node, index) => isMap(node)
    ? [{ node, index, apiGroups: strings(node, 'apiGroups', object), resources: strings(node, 'resources', object), verbs: strings(node, 'verbs', object) }]
    : []);
}

function resourceMatches(ruleResource: string, requested: string): boolean {
  if (ruleResource === '*' || ruleResource === requested) return true;
  const [resource, subresource] = requested.split('/');
  if (subresource === undefined) return false;
  // `pods/*` matches only a subresource literally named `*` in Kubernetes itself, but whoever wrote it meant
  // every pod subresource; reading it that way keeps the intent visible before someone "fixes" the rule.
  return ruleResource === `*/${subresource}` || ruleResource === `${resource}/*`;
}

export function grants(rule: PolicyRule, request: ResourceRequest): boolean {
  return rule.apiGroups.some(group => group === '*' || group === request.apiGroup)
    && rule.resources.some(resource => resourceMatches(resource, request.resource))
    && rule.verbs.some(verb => verb === '*' || verb === request.verb);
}
