// The security context that applies to a container, computed once and shared by every rule.
// Container-level fields override pod-level ones for the fields both levels have; the container-only
// fields are ignored by Kubernetes at pod level (see the misplaced-container-field rule).
import { Document, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { deref, findPair } from './yamlNodes';

/** Fields that exist at both levels; the container's value wins. */
export const SHARED_FIELDS = ['runAsNonRoot', 'runAsUser', 'runAsGroup', 'seccompProfile', 'seLinuxOptions', 'appArmorProfile', 'windowsOptions'] as const;
/** Fields that exist only in a container's securityContext. */
export const CONTAINER_ONLY_FIELDS = ['readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'privileged', 'capabilities', 'procMount'] as const;

export type SharedField = typeof SHARED_FIELDS[number];
export type ContainerOnlyField = typeof CONTAINER_ONLY_FIELDS[number];

export interface Setting {
  pair: Pair<Scalar, unknown>;
  /** The value node, aliases followed; undefined for an empty value. */
  node: Node | undefined;
  /** The plain value of a scalar; undefined for maps and sequences. */
  value: unknown;
  level: 'container' | 'pod';
}

export type EffectiveSecurityContext = Partial<Record<SharedField | ContainerOnlyField, Setting>>;

function setting(map: YAMLMap | undefined, field: string, level: Setting['level'], doc: Document): Setting | undefined {
  const pair = findPair(map, field);
  if (!pair) return undefined;
  const node = deref(pair.value, doc) ?? undefined;
  return { pair, node, value: node instanceof Scalar ? node.value : undefined, level };
}

export function effectiveSecurityContext(container: YAMLMap | undefined, pod: YAMLMap | undefined, doc: Document): EffectiveSecurityContext {
  const result: EffectiveSecurityContext = {};
  for (const field of SHARED_FIELDS) {
    const value = setting(container, field, 'container', doc) ?? setting(pod, field, 'pod', doc);
    if (value) result[field] = value;
  }
  for (const field of CONTAINER_ONLY_FIELDS) {
    const value = setting(container, field, 'container', doc);
    if (value) result[field] = value;
  }
  return result;
}
