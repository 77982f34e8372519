// The builtin transformers a kustomization may name in `transformers:` (`apiVersion: builtin`) whose work is
// a field spec walk: PrefixSuffixTransformer, LabelTransformer, AnnotationsTransformer. Their configs are as in
// https://kubectl.docs.kubernetes.io/references/kustomize/builtins/: the values, and `fieldSpecs` saying where.
import { Origin } from '../origin';
import { FieldSpec, readFieldSpecs, visitFieldSpec } from './fieldSpecs';
import { Resource, kindOf, recordIdentity } from './resource';
import { addOrigin, emptyMap, get, getString, KMap, scalar, set } from './tree';

/** Kinds whose name the PrefixSuffixTransformer leaves alone (kustomize api/filters/prefixsuffix). */
const UNRENAMED_KINDS = new Set(['CustomResourceDefinition', 'APIService', 'Namespace']);

export function applyPrefixSuffixConfig(resources: Resource[], config: KMap, origin: Origin): void {
  const prefix = getString(config, 'prefix') ?? '';
  const suffix = getString(config, 'suffix') ?? '';
  if (!prefix && !suffix) return;
  for (const resource of resources) {
    let renamed = false;
    for (const spec of readFieldSpecs(get(config, 'fieldSpecs'))) {
      const isName = spec.path.replace(/^\/+/, '') === 'metadata/name';
      if (isName && UNRENAMED_KINDS.has(kindOf(resource.object))) continue;
      visitFieldSpec(resource.object, spec, [origin], (holder, key) => {
        const value = get(holder, key);
        if (value?.kind !== 'scalar' || typeof value.value !== 'string') return;
        set(holder, key, scalar(`${prefix}${value.value}${suffix}`, [...value.origins, origin]));
        renamed ||= isName;
      });
    }
    if (renamed) {
      resource.affixes.push(`${prefix}|${suffix}`);
      recordIdentity(resource);
    }
  }
}

/** LabelTransformer (`labels:`) and AnnotationsTransformer (`annotations:`): the pairs into every map the specs name. */
export function applyPairsConfig(resources: Resource[], config: KMap, field: 'labels' | 'annotations', origin: Origin): void {
  const pairs = get(config, field);
  if (pairs?.kind !== 'map' || pairs.entries.length === 0) return;
  const specs: FieldSpec[] = readFieldSpecs(get(config, 'fieldSpecs'));
  for (const resource of resources) {
    for (const spec of specs) {
      visitFieldSpec(resource.object, spec, [origin], (holder, key) => {
        let map = get(holder, key);
        if (map?.kind !== 'map') {
          if (map && !(map.kind === 'scalar' && map.value === null)) return;
          map = emptyMap([origin]);
          set(holder, key, map);
        }
        for (const entry of pairs.entries) {
          const value = entry.value.kind === 'scalar' ? (entry.value.value === null ? '' : entry.value.plain ? entry.value.raw : String(entry.value.value)) : '';
          set(map, entry.key, scalar(value, [origin]));
        }
        addOrigin(map, origin);
      });
    }
  }
}
