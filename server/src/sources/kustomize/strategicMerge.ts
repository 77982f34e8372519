// Strategic merge patches as Kustomize applies them: maps merge key by key, `null` deletes, lists of the pod spec
// merge by their Kubernetes merge keys, other lists are replaced; `$patch: delete|replace`, `$retainKeys` and
// `$deleteFromPrimitiveList/<field>` are honoured. Merge keys follow the Kubernetes API's `patchMergeKey` tags
// (k8s.io/api core/v1 types.go); for lists the API does not describe, kyaml's fallback applies: a list whose
// items all carry one of its associative keys merges by that key (sigs.k8s.io/kustomize/kyaml/yaml/alias.go).
import { addOrigin, clone, KMap, KNode, KSeq, remove, set } from './tree';

/** Lists whose merge key the Kubernetes API fixes, by field name; `''` marks an atomic list (replaced whole). */
const LIST_MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  args: '',
  command: '',
  envFrom: '',
  tolerations: '',
  requiredDuringSchedulingIgnoredDuringExecution: '',
  preferredDuringSchedulingIgnoredDuringExecution: '',
  nodeSelectorTerms: '',
  matchExpressions: '',
  rules: '',
  subjects: '',
};

/** Lists of scalars that merge as sets (`metadata.finalizers`); other scalar lists are replaced. */
const MERGED_SCALAR_LISTS = new Set(['finalizers']);

/** kyaml's associative keys, in the order it tries them. */
const ASSOCIATIVE_KEYS = ['mountPath', 'devicePath', 'ip', 'type', 'topologyKey', 'name', 'containerPort'];

export class PatchError extends Error {}

/** Merges `patch` into `target` in place. Returns false when the patch deletes the whole object. */
export function mergeObject(target: KMap, patch: KMap): boolean {
  const directive = scalarValue(patch.entries.find((e) => e.key === '$patch')?.value);
  if (directive === 'delete') return false;
  if (directive === 'replace') {
    target.entries = withoutDirectives(patch).entries;
    addOrigin(target, lastOrigin(patch));
    return true;
  }
  mergeMap(target, patch);
  return true;
}

function mergeMap(target: KMap, patch: KMap): void {
  for (const entry of patch.entries) {
    if (entry.key.startsWith('$')) continue;
    const patchValue = entry.value;
    const current = target.entries.find((e) => e.key === entry.key)?.value;
    if (patchValue.kind === 'scalar' && patchValue.plain && patchValue.value === null) {
      remove(target, entry.key);
      continue;
    }
    if (patchValue.kind === 'map') {
      const directive = scalarValue(patchValue.entries.find((e) => e.key === '$patch')?.value);
      if (directive === 'delete') {
        remove(target, entry.key);
        continue;
      }
      if (current?.kind === 'map' && directive !== 'replace') {
        mergeMap(current, patchValue);
        continue;
      }
    }
    if (patchValue.kind === 'seq' && current?.kind === 'seq') {
      mergeList(current, patchValue, entry.key);
      continue;
    }
    set(target, entry.key, replacement(current, patchValue));
  }
  for (const entry of patch.entries) {
    const field = entry.key.match(/^\$deleteFromPrimitiveList\/(.+)$/)?.[1];
    const list = field ? target.entries.find((e) => e.key === field)?.value : undefined;
    if (list?.kind === 'seq' && entry.value.kind === 'seq') {
      const doomed = new Set(entry.value.items.map(scalarValue));
      list.items = list.items.filter((item) => !doomed.has(scalarValue(item)));
    }
  }
  const retain = patch.entries.find((e) => e.key === '$retainKeys')?.value;
  if (retain?.kind === 'seq') {
    const kept = new Set(retain.items.map(scalarValue));
    target.entries = target.entries.filter((e) => kept.has(e.key));
  }
  addOrigin(target, lastOrigin(patch));
}

function mergeList(target: KSeq, patch: KSeq, field: string): void {
  const replaceItem = patch.items.find((item) => item.kind === 'map' && scalarValue(item.entries.find((e) => e.key === '$patch')?.value) === 'replace');
  if (replaceItem) {
    target.items = patch.items.filter((item) => item !== replaceItem).map(withoutDirectives);
    addOrigin(target, lastOrigin(patch));
    return;
  }
  const allScalars = [...target.items, ...patch.items].every((item) => item.kind === 'scalar');
  if (allScalars && MERGED_SCALAR_LISTS.has(field)) {
    const present = new Set(target.items.map(scalarValue));
    for (const item of patch.items) if (!present.has(scalarValue(item))) target.items.push(clone(item));
    addOrigin(target, lastOrigin(patch));
    return;
  }
  const key = mergeKey(field, target, patch);
  if (!key) {
    target.items = patch.items.map(withoutDirectives);
    addOrigin(target, lastOrigin(patch));
    return;
  }
  // As kyaml orders the values of an associative list: the patch's items first, in its order, then the items
  // only the target has, in theirs.
  const keyOf = (item: KNode) => (item.kind === 'map' ? scalarValue(item.entries.find((e) => e.key === key)?.value) : undefined);
  const merged: KNode[] = [];
  const used = new Set<KNode>();
  for (const item of patch.items) {
    if (item.kind !== 'map') throw new PatchError(`the items of "${field}" merge by "${key}", but the patch has an item that is not a map`);
    const existing = target.items.find((candidate) => !used.has(candidate) && keyOf(candidate) === keyOf(item));
    if (existing) used.add(existing);
    if (scalarValue(item.entries.find((e) => e.key === '$patch')?.value) === 'delete') continue;
    if (existing?.kind === 'map') {
      mergeMap(existing, item);
      merged.push(existing);
    } else merged.push(withoutDirectives(item));
  }
  target.items = [...merged, ...target.items.filter((item) => !used.has(item))];
  addOrigin(target, lastOrigin(patch));
}

/** The key a list merges by, or undefined when it is replaced whole. */
function mergeKey(field: string, target: KSeq, patch: KSeq): string | undefined {
  const items = [...target.items, ...patch.items];
  if (field === 'ports') {
    // Container ports merge by containerPort, a Service's by port.
    if (items.every((item) => item.kind === 'map' && item.entries.some((e) => e.key === 'containerPort'))) return 'containerPort';
    if (items.every((item) => item.kind === 'map' && item.entries.some((e) => e.key === 'port'))) return 'port';
    return undefined;
  }
  if (field in LIST_MERGE_KEYS) return LIST_MERGE_KEYS[field] || undefined;
  if (items.length === 0 || !items.every((item) => item.kind === 'map')) return undefined;
  return ASSOCIATIVE_KEYS.find((key) => items.every((item) => item.kind === 'map' && item.entries.some((e) => e.key === key)));
}

/** The patch's value in place of `current`, with the origins of what it replaces first. */
function replacement(current: KNode | undefined, patchValue: KNode): KNode {
  const value = withoutDirectives(patchValue);
  if (current && current.kind === value.kind) value.origins = [...current.origins, ...value.origins];
  return value;
}

/** A copy of a patch value without the `$patch`-style directives, which never reach the output. */
export function withoutDirectives<T extends KNode>(node: T): T {
  const copy = clone(node);
  strip(copy);
  return copy;
}

function strip(node: KNode): void {
  if (node.kind === 'map') {
    node.entries = node.entries.filter((e) => !e.key.startsWith('$'));
    node.entries.forEach((e) => strip(e.value));
  } else if (node.kind === 'seq') {
    node.items = node.items.filter((item) => !(item.kind === 'map' && item.entries.some((e) => e.key === '$patch')));
    node.items.forEach(strip);
  }
}

function scalarValue(node: KNode | undefined): unknown {
  return node?.kind === 'scalar' ? (node.value === null ? null : String(node.value)) : undefined;
}

function lastOrigin(node: KNode) {
  return node.origins[node.origins.length - 1];
}
