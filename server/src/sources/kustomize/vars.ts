// `vars`: `$(NAME)` in the fields of the varReference field specs becomes the value of a field of another
// resource. As in Kustomize (api/internal/accumulator, api/filters/refvar;
// https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/vars/): each kustomization binds its vars to
// the resource its `objref` names once its own transformers ran (by any name the resource had, so prefixes do not
// break it); a name declared twice in one build is an error; at the root, after names and references are final,
// every bound var is read and substituted.
import { Origin, SourceSpan } from '../origin';
import { findFields } from './fieldPath';
import { FieldSpec, visitFieldSpec } from './fieldSpecs';
import { Resource, groupVersionOf, isClusterScoped, kindOf } from './resource';
import { get, getString, KMap, KNode, scalar } from './tree';

export class VarError extends Error {
  constructor(message: string, readonly span: SourceSpan | undefined) {
    super(message);
  }
}

interface VarDefinition {
  name: string;
  kind: string;
  apiVersion?: string;
  objectName: string;
  namespace?: string;
  fieldPath: string;
  span: SourceSpan | undefined;
}

/** Kustomize's default varReference field specs (api/internal/konfig/builtinpluginconsts/varreference.go). */
export const DEFAULT_VAR_REFERENCES: FieldSpec[] = (() => {
  const podFields = ['containers', 'initContainers'].flatMap((list) => ['args', 'command', 'env/value', 'volumeMounts/mountPath'].map((field) => `${list}/${field}`));
  const podSpecs: [string, string][] = [
    ['CronJob', 'spec/jobTemplate/spec/template/spec'], ['DaemonSet', 'spec/template/spec'], ['Deployment', 'spec/template/spec'],
    ['Job', 'spec/template/spec'], ['Pod', 'spec'], ['ReplicaSet', 'spec/template/spec'], ['StatefulSet', 'spec/template/spec'],
  ];
  const specs: FieldSpec[] = podSpecs.flatMap(([kind, at]) => podFields.map((field) => ({ kind, path: `${at}/${field}`, create: false })));
  const more: [string | undefined, string][] = [
    // Kustomize's CronJob entry lacks the `spec/` before `volumes`; kept so, to print what it prints.
    ['CronJob', 'spec/jobTemplate/spec/template/volumes/nfs/server'], ['DaemonSet', 'spec/template/spec/volumes/nfs/server'],
    ['Deployment', 'spec/template/spec/volumes/nfs/server'], ['Deployment', 'spec/template/metadata/annotations'],
    ['Ingress', 'spec/rules/host'], ['Ingress', 'spec/tls/hosts'], ['Ingress', 'spec/tls/secretName'],
    ['Job', 'spec/template/spec/volumes/nfs/server'], ['Pod', 'spec/volumes/nfs/server'], ['ReplicaSet', 'spec/template/spec/volumes/nfs/server'],
    ['Service', 'spec/ports/port'], ['Service', 'spec/ports/targetPort'], ['StatefulSet', 'spec/volumeClaimTemplates/spec/nfs/server'],
    ['PersistentVolume', 'spec/nfs/server'], [undefined, 'metadata/labels'], [undefined, 'metadata/annotations'],
  ];
  return [...specs, ...more.map(([kind, path]) => ({ kind, path, create: false }))];
})();

/** A `vars:` list as written; a var without a name or an objref is an error at its entry. */
export function readVars(node: KNode | undefined): VarDefinition[] {
  if (node?.kind !== 'seq') return [];
  return node.items.map((item) => {
    const span = item.origins[0]?.span;
    const name = getString(item, 'name');
    const objref = get(item, 'objref');
    const kind = getString(objref, 'kind');
    const objectName = getString(objref, 'name');
    if (!name || !kind || !objectName) throw new VarError('A var needs a name and an objref with kind and name', span);
    return { name, kind, objectName, apiVersion: getString(objref, 'apiVersion'), namespace: getString(objref, 'namespace'), fieldPath: getString(get(item, 'fieldref'), 'fieldpath') ?? 'metadata.name', span };
  });
}

export class VarSet {
  private readonly vars = new Map<string, { definition: VarDefinition; resource?: Resource }>();

  get size(): number {
    return this.vars.size;
  }

  /** Binds a kustomization's vars to the resources it has now. */
  declare(definitions: VarDefinition[], resources: readonly Resource[]): void {
    for (const definition of definitions) {
      if (this.vars.has(definition.name)) throw new VarError(`var '${definition.name}' already encountered`, definition.span);
      const matched = resources.filter((resource) => refersTo(definition, resource));
      if (matched.length > 1) throw new VarError(`found ${matched.length} resources for var ${definition.name} (unable to disambiguate; give the objref a namespace)`, definition.span);
      this.vars.set(definition.name, { definition, resource: matched[0] });
    }
  }

  /** Substitutes every var in the fields `specs` name, in all resources. */
  resolve(resources: readonly Resource[], specs: readonly FieldSpec[]): void {
    const values = new Map<string, { value: unknown; origins: Origin[] }>();
    for (const { definition, resource } of this.vars.values()) {
      if (!resource || !resources.includes(resource)) throw new VarError(`var ${definition.name} cannot be mapped to a field in the set of known resources`, definition.span);
      const found = findFields(resource.object, definition.fieldPath)[0]?.node;
      if (found?.kind !== 'scalar') throw new VarError(`var ${definition.name}: ${kindOf(resource.object)} has no value at ${definition.fieldPath}`, definition.span);
      values.set(definition.name, { value: found.value, origins: found.origins });
    }
    if (values.size === 0) return;
    for (const resource of resources) {
      for (const spec of specs) visitFieldSpec(resource.object, spec, [], (holder, key) => substituteIn(holder, key, values));
    }
  }
}

function refersTo(definition: VarDefinition, resource: Resource): boolean {
  const object = resource.object;
  if (kindOf(object) !== definition.kind || !resource.names.includes(definition.objectName)) return false;
  if (definition.apiVersion) {
    const { group, version } = groupVersionOf(object);
    const slash = definition.apiVersion.indexOf('/');
    const wanted = slash < 0 ? { group: '', version: definition.apiVersion } : { group: definition.apiVersion.slice(0, slash), version: definition.apiVersion.slice(slash + 1) };
    if (wanted.group !== group || wanted.version !== version) return false;
  }
  if (definition.namespace === undefined || isClusterScoped(object)) return true;
  return resource.namespaces.some((namespace) => (namespace || 'default') === definition.namespace);
}

/** Substitutes in the string at `key`, or in each string of the list or map there. */
function substituteIn(holder: KMap, key: string, values: Map<string, { value: unknown; origins: Origin[] }>): void {
  const entry = holder.entries.find((e) => e.key === key);
  if (!entry) return;
  const replaceScalar = (node: KNode): KNode => {
    if (node.kind !== 'scalar' || typeof node.value !== 'string' || !node.value.includes('$')) return node;
    const used: Origin[] = [];
    const expanded = expandVars(node.value, (name) => {
      const known = values.get(name);
      if (known) used.push(...known.origins);
      return known?.value;
    });
    if (used.length === 0 && expanded === node.value) return node;
    return scalar(expanded as string | number | boolean | null, [...node.origins, ...used]);
  };
  const value = entry.value;
  if (value.kind === 'scalar') entry.value = replaceScalar(value);
  else if (value.kind === 'seq') value.items = value.items.map(replaceScalar);
  else for (const inner of value.entries) inner.value = replaceScalar(inner.value);
}

/**
 * Kubernetes' `$(NAME)` expansion as Kustomize runs it: `$$` is a literal `$`, an unknown name stays as written,
 * and a string that is exactly one `$(NAME)` takes the value with its type (a port stays a number).
 */
export function expandVars(input: string, lookup: (name: string) => unknown): unknown {
  let output = '';
  for (let at = 0; at < input.length; at++) {
    const char = input[at];
    if (char !== '$' || at + 1 >= input.length) {
      output += char;
      continue;
    }
    const next = input[at + 1];
    if (next === '$') {
      output += '$';
      at++;
      continue;
    }
    const close = next === '(' ? input.indexOf(')', at + 2) : -1;
    if (close < 0) {
      output += next === '(' ? '$(' : `$${next}`;
      at++;
      continue;
    }
    const name = input.slice(at + 2, close);
    const value = lookup(name);
    if (value !== undefined && input === `$(${name})`) return value;
    output += value === undefined ? `$(${name})` : String(value);
    at = close;
  }
  return output;
}
