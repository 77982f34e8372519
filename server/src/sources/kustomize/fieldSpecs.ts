// Field specs: the `{group, version, kind, path, create}` entries with which Kustomize says which fields a
// transformer touches (its builtin configs in api/internal/konfig/builtinpluginconsts, the `fieldSpecs` of a
// builtin transformer's config, and the `configurations:` files of a kustomization;
// https://kubectl.docs.kubernetes.io/references/kustomize/builtins/). A path is `/`-separated; a list on the way
// is walked item by item, with or without a `[]` after its key; `\/` is a slash inside a key.
import { Origin } from '../origin';
import { groupVersionOf, kindOf } from './resource';
import { emptyMap, get, getString, KMap, KNode, set } from './tree';

export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  path: string;
  create: boolean;
}

/** A list of field specs as written in YAML (`- path: ..., kind: ..., create: true`). */
export function readFieldSpecs(node: KNode | undefined): FieldSpec[] {
  if (node?.kind !== 'seq') return [];
  return node.items.flatMap((item) => {
    const path = getString(item, 'path');
    if (path === undefined) return [];
    const create = get(item, 'create');
    return [{ group: getString(item, 'group'), version: getString(item, 'version'), kind: getString(item, 'kind'), path, create: create?.kind === 'scalar' && create.value === true }];
  });
}

export function specSelects(spec: FieldSpec, object: KMap): boolean {
  if (spec.kind !== undefined && spec.kind !== '' && spec.kind !== kindOf(object)) return false;
  const { group, version } = groupVersionOf(object);
  if (spec.group !== undefined && spec.group !== '' && spec.group !== group) return false;
  return spec.version === undefined || spec.version === '' || spec.version === version;
}

export function splitSpecPath(path: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\' && path[i + 1] === '/') {
      current += '/';
      i++;
    } else if (path[i] === '/') {
      segments.push(current);
      current = '';
    } else current += path[i];
  }
  segments.push(current);
  return segments.filter((segment) => segment !== '');
}

/**
 * Calls `visit` with the holder and key of every field at the spec's path in `object` (the value may be absent
 * only when the spec creates: then missing maps on the way are made with `origins`).
 */
export function visitFieldSpec(object: KMap, spec: FieldSpec, origins: Origin[], visit: (holder: KMap, key: string) => void): void {
  if (!specSelects(spec, object)) return;
  const segments = splitSpecPath(spec.path).map((segment) => segment.replace(/\[\]$/, ''));
  const walk = (node: KNode, index: number): void => {
    if (node.kind === 'seq') {
      for (const item of node.items) walk(item, index);
      return;
    }
    if (node.kind !== 'map') return;
    const key = segments[index];
    if (index === segments.length - 1) {
      if (get(node, key) !== undefined || spec.create) visit(node, key);
      return;
    }
    let child = get(node, key);
    if (!child || (child.kind === 'scalar' && child.value === null)) {
      if (!spec.create) return;
      child = emptyMap(origins);
      set(node, key, child);
    }
    walk(child, index + 1);
  };
  if (segments.length > 0) walk(object, 0);
}
