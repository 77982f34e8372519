// `kustomize build` in-process: walks a kustomization and everything it reaches (resources, bases, components,
// patches, generator inputs), applies its fields in Kustomize's order, and keeps every problem of the tree as a
// SourceProblem in the file and span at fault instead of stopping at the first one.
import * as posix from '../posixPath';
import { Origin, SourceFileSystem, SourceProblem, SourceSpan } from '../origin';
import { contentHash, dataNode, GeneratorError, generatorData } from './generators';
import { applyJsonPatch, readOperations } from './jsonPatch';
import { fixNameReferences } from './references';
import { Resource, groupVersionOf, kindOf, nameOf, namespaceOf, newResource, recordIdentity, sameNamespace } from './resource';
import { mergeObject, PatchError } from './strategicMerge';
import { applyAnnotations, applyImages, applyLabels, applyNameAffixes, applyNamespace, applyReplicas, ImageRule, LabelPair } from './transformers';
import { loadYamlDocuments, YamlLoadError } from './load';
import { clone, get, getString, KMap, KNode, KScalar, scalar, set } from './tree';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface BuildResult {
  resources: Resource[];
  problems: SourceProblem[];
  filesRead: string[];
  kustomizations: string[];
}

/** Fields this renderer applies. */
const SUPPORTED_FIELDS = new Set([
  'apiVersion', 'kind', 'metadata', 'resources', 'bases', 'components', 'patches', 'patchesStrategicMerge', 'patchesJson6902',
  'images', 'namespace', 'namePrefix', 'nameSuffix', 'commonLabels', 'labels', 'commonAnnotations', 'replicas',
  'configMapGenerator', 'secretGenerator', 'generatorOptions', 'sortOptions',
]);

/** Fields Kustomize knows that this renderer does not apply, and why: each is reported, never silently dropped. */
const UNSUPPORTED_FIELDS: Record<string, string> = {
  helmCharts: 'Helm charts are not rendered inside Kustomize builds',
  helmChartInflationGenerator: 'Helm charts are not rendered inside Kustomize builds',
  helmGlobals: 'Helm charts are not rendered inside Kustomize builds',
  generators: 'generator plugins and KRM functions are not run',
  transformers: 'transformer plugins and KRM functions are not run',
  validators: 'validator plugins and KRM functions are not run',
  vars: '`vars` are not substituted',
  replacements: '`replacements` are not applied',
  configurations: 'custom transformer configurations are not read',
  crds: 'CRD field specs are not read',
  openapi: 'custom OpenAPI schemas are not read',
  buildMetadata: '`buildMetadata` annotations are not added',
  imageTags: '`imageTags` is not read (use `images`)',
};

export function findKustomizationFile(dir: string, fs: SourceFileSystem): string | undefined {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const path = posix.join(dir, name);
    if (fs.readFile(path) !== undefined) return path;
  }
  return undefined;
}

export function isRemote(reference: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(reference) || /^git@/.test(reference) || /^(?:github\.com|gitlab\.com|bitbucket\.org)\//.test(reference) || /[?&]ref=/.test(reference);
}

class BuildFailure extends Error {}

export class KustomizeBuilder {
  private readonly problems: SourceProblem[] = [];
  private readonly filesRead = new Set<string>();
  private readonly kustomizations: string[] = [];

  constructor(private readonly fs: SourceFileSystem) {}

  build(root: string): BuildResult & { sortOptions?: KNode } {
    const dir = posix.normalize(root).replace(/(.)\/$/, '$1');
    const result = this.accumulate(dir, 'Kustomization', [], [], undefined);
    const resources = result?.resources ?? [];
    this.addHashSuffixes(resources);
    fixNameReferences(resources);
    return { resources, problems: this.problems, filesRead: [...this.filesRead], kustomizations: this.kustomizations, sortOptions: result?.sortOptions };
  }

  private problem(message: string, span: SourceSpan | undefined, severity: 'error' | 'warning' = 'error'): void {
    this.problems.push({ message, span, severity });
  }

  private read(path: string): string | undefined {
    const text = this.fs.readFile(path);
    if (text !== undefined) this.filesRead.add(path);
    return text;
  }

  /** Runs the kustomization in `dir` over `into` (a component's parent resources, else empty). */
  private accumulate(dir: string, expected: 'Kustomization' | 'Component', into: Resource[], stack: string[], reachedFrom: SourceSpan | undefined): { resources: Resource[]; sortOptions?: KNode } | undefined {
    const file = findKustomizationFile(dir, this.fs);
    if (!file) {
      this.problem(`${dir} has no kustomization.yaml, kustomization.yml or Kustomization`, reachedFrom);
      return undefined;
    }
    const others = KUSTOMIZATION_FILE_NAMES.filter((name) => posix.join(dir, name) !== file && this.fs.readFile(posix.join(dir, name)) !== undefined);
    if (others.length > 0) {
      this.problem(`${dir} holds more than one kustomization file (${[posix.basename(file), ...others].join(', ')}); Kustomize refuses to choose`, reachedFrom ?? { file, start: 0, end: 0 });
      return undefined;
    }
    if (stack.includes(dir)) {
      this.problem(`Cycle of kustomizations: ${[...stack.slice(stack.indexOf(dir)), dir].join(' -> ')}`, reachedFrom);
      return undefined;
    }
    this.kustomizations.push(dir);
    const text = this.read(file)!;
    let kustomization: KMap;
    try {
      const documents = loadYamlDocuments(text, file);
      const first = documents[0] ?? { kind: 'map', entries: [], origins: [] };
      if (first.kind !== 'map') throw new YamlLoadError(`${file} is not a YAML map`, { file, start: 0, end: text.length });
      kustomization = first;
    } catch (error) {
      this.problem(error instanceof YamlLoadError ? error.message : String(error), error instanceof YamlLoadError ? error.span : { file, start: 0, end: 0 });
      return undefined;
    }
    const kind = getString(kustomization, 'kind') ?? 'Kustomization';
    // A Component can be built on its own, as the root; below the root each kind has its own field.
    if (kind !== expected && !(stack.length === 0 && kind === 'Component')) {
      this.problem(expected === 'Component' ? `${file} is a ${kind}, but it is listed under components (which take kind: Component)` : `${file} is a ${kind}; only a Kustomization can be built or listed under resources`, spanOf(get(kustomization, 'kind')) ?? reachedFrom);
      return undefined;
    }
    for (const entry of kustomization.entries) {
      if (SUPPORTED_FIELDS.has(entry.key)) continue;
      const span = entry.value.origins[0]?.span;
      if (entry.key in UNSUPPORTED_FIELDS) this.problem(`${entry.key}: ${UNSUPPORTED_FIELDS[entry.key]}; the build goes on without it`, span, 'warning');
      // Kustomize itself ignores fields it does not know (a misspelt `nameprefix` changes nothing): said, not fatal.
      else this.problem(`Unknown kustomization field "${entry.key}" is ignored`, span, 'warning');
    }
    const context = new Context(dir, file, text, kustomization);
    const resources = into;
    const innerStack = [...stack, dir];
    for (const item of [...context.strings('resources'), ...context.strings('bases')]) this.addResource(resources, item, context, innerStack);
    this.runGenerators(resources, context);
    for (const item of context.strings('components')) {
      if (isRemote(item.value)) {
        this.problem(`Remote component ${item.value} is not fetched; the build goes on without it`, item.span, 'warning');
        continue;
      }
      const path = posix.join(dir, item.value);
      if (!this.fs.isDirectory(path)) {
        this.problem(`Component ${item.value} is not a directory`, item.span);
        continue;
      }
      this.accumulate(path, 'Component', resources, innerStack, item.span);
    }
    this.runTransformers(resources, context);
    return { resources, sortOptions: get(kustomization, 'sortOptions') };
  }

  private addResource(resources: Resource[], item: StringItem, context: Context, stack: string[]): void {
    if (isRemote(item.value)) {
      this.problem(`Remote resource ${item.value} is not fetched; the build goes on without it`, item.span, 'warning');
      return;
    }
    const path = posix.join(context.dir, item.value);
    if (this.fs.isDirectory(path)) {
      const sub = this.accumulate(path, 'Kustomization', [], stack, item.span);
      if (sub) for (const resource of sub.resources) this.append(resources, resource, item.span);
      return;
    }
    if (!context.allows(path)) {
      this.problem(`${item.value} is outside the kustomization's directory ${context.dir}, which Kustomize does not allow`, item.span);
      return;
    }
    const text = this.read(path);
    if (text === undefined) {
      this.problem(`Resource ${item.value} does not exist`, item.span);
      return;
    }
    try {
      for (const object of objectsOf(loadYamlDocuments(text, path), path)) this.append(resources, newResource(object), item.span);
    } catch (error) {
      this.problem(error instanceof YamlLoadError || error instanceof BuildFailure ? error.message : String(error), error instanceof YamlLoadError ? error.span : item.span);
    }
  }

  private append(resources: Resource[], resource: Resource, span: SourceSpan | undefined): void {
    const duplicate = resources.find((other) => sameId(other, resource));
    if (duplicate) {
      this.problem(`${kindOf(resource.object)} ${nameOf(resource.object)} is included twice`, span);
      return;
    }
    resources.push(resource);
  }

  private runGenerators(resources: Resource[], context: Context): void {
    const options = get(context.kustomization, 'generatorOptions');
    for (const [field, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
      const list = get(context.kustomization, field);
      if (list?.kind !== 'seq') continue;
      for (const entry of list.items) {
        if (entry.kind !== 'map') continue;
        const origin: Origin = { kind: 'generated', span: entry.origins[0].span, via: field };
        try {
          this.generate(resources, context, entry, kind, origin, options);
        } catch (error) {
          if (!(error instanceof GeneratorError)) throw error;
          this.problem(error.message, origin.span);
        }
      }
    }
  }

  private generate(resources: Resource[], context: Context, entry: KMap, kind: 'ConfigMap' | 'Secret', origin: Origin, globalOptions: KNode | undefined): void {
    const name = getString(entry, 'name');
    if (!name) throw new GeneratorError(`A ${kind} generator needs a name`);
    const namespace = getString(entry, 'namespace');
    const behavior = getString(entry, 'behavior') ?? 'create';
    const ownOptions = get(entry, 'options');
    const filesRead: string[] = [];
    const data = generatorData({ entry, kind, origin, fs: this.fs, filesRead, resolvePath: (path) => context.resolveFile(path) });
    for (const path of filesRead) this.filesRead.add(path);
    const labels = [...pairsOf(get(globalOptions, 'labels')), ...pairsOf(get(ownOptions, 'labels'))];
    const annotations = [...pairsOf(get(globalOptions, 'annotations')), ...pairsOf(get(ownOptions, 'annotations'))];
    const disableHash = booleanOf(get(ownOptions, 'disableNameSuffixHash')) ?? booleanOf(get(globalOptions, 'disableNameSuffixHash')) ?? false;
    const immutable = booleanOf(get(ownOptions, 'immutable')) ?? booleanOf(get(globalOptions, 'immutable'));
    if (behavior === 'create') {
      const metadata: KMap = { kind: 'map', entries: [{ key: 'name', value: scalar(name, [origin]) }], origins: [origin] };
      if (namespace) metadata.entries.push({ key: 'namespace', value: scalar(namespace, [origin]) });
      if (labels.length) metadata.entries.push({ key: 'labels', value: mapOf(labels, origin) });
      if (annotations.length) metadata.entries.push({ key: 'annotations', value: mapOf(annotations, origin) });
      const object: KMap = { kind: 'map', entries: [{ key: 'apiVersion', value: scalar('v1', [origin]) }, { key: 'kind', value: scalar(kind, [origin]) }, { key: 'metadata', value: metadata }], origins: [origin] };
      if (data.data.length) object.entries.push({ key: 'data', value: dataNode(data.data, data.dataOrigins, origin) });
      if (data.binaryData.length) object.entries.push({ key: 'binaryData', value: dataNode(data.binaryData, data.dataOrigins, origin) });
      if (kind === 'Secret') object.entries.push({ key: 'type', value: scalar(getString(entry, 'type') ?? 'Opaque', [origin]) });
      if (immutable !== undefined) object.entries.push({ key: 'immutable', value: scalar(immutable, [origin]) });
      const resource = newResource(object, true, !disableHash);
      resource.generatorOrigin = origin;
      this.append(resources, resource, origin.span);
      return;
    }
    if (behavior !== 'merge' && behavior !== 'replace') throw new GeneratorError(`Unknown generator behavior "${behavior}" (create, merge or replace)`);
    const existing = resources.find((r) => kindOf(r.object) === kind && r.names.includes(name) && (!namespace || r.namespaces.some((ns) => sameNamespace(ns, namespace))));
    if (!existing) throw new GeneratorError(`${kind} ${name} to ${behavior} is not among the resources`);
    const object = existing.object;
    for (const [field, pairs] of [['data', data.data], ['binaryData', data.binaryData]] as const) {
      const incoming = dataNode(pairs, data.dataOrigins, origin);
      const current = get(object, field);
      if (behavior === 'replace' || current?.kind !== 'map') {
        if (pairs.length || behavior === 'replace') set(object, field, incoming);
        if (!pairs.length && behavior === 'replace') object.entries = object.entries.filter((e) => e.key !== field);
      } else for (const e of incoming.entries) set(current, e.key, e.value);
    }
    const metadata = get(object, 'metadata') as KMap;
    for (const [field, pairs] of [['labels', labels], ['annotations', annotations]] as const) {
      if (!pairs.length) continue;
      const current = get(metadata, field);
      if (current?.kind === 'map') for (const pair of pairs) set(current, pair.key, scalar(pair.value, [origin]));
      else set(metadata, field, mapOf(pairs, origin));
    }
    if (disableHash) existing.needsHash = false;
    existing.generatorOrigin = origin;
  }

  private runTransformers(resources: Resource[], context: Context): void {
    const k = context.kustomization;
    for (const item of context.list('patchesStrategicMerge')) {
      if (item.kind !== 'scalar') continue;
      const value = String(item.value);
      const inline = value.includes('\n') || /^\s*[\w$"'-]+\s*:/.test(value);
      this.applyPatch(resources, context, inline ? { inline: item } : { path: item }, undefined, undefined);
    }
    for (const item of context.list('patches')) {
      if (item.kind !== 'map') continue;
      const path = get(item, 'path');
      const patch = get(item, 'patch');
      if (!path && !patch) {
        this.problem('A patch needs `path` or `patch`', spanOf(item));
        continue;
      }
      this.applyPatch(resources, context, path ? { path: path as KScalar } : { inline: patch as KScalar }, get(item, 'target'), get(item, 'options'));
    }
    const namespace = get(k, 'namespace');
    if (namespace?.kind === 'scalar' && namespace.value) applyNamespace(resources, String(namespace.value), generated(namespace, 'namespace'));
    applyNameAffixes(resources, affix(get(k, 'namePrefix'), 'namePrefix'), affix(get(k, 'nameSuffix'), 'nameSuffix'));
    applyLabels(resources, { pairs: pairsOf(get(k, 'commonLabels'), 'commonLabels'), includeSelectors: true, includeTemplates: true });
    for (const item of context.list('labels')) {
      applyLabels(resources, { pairs: pairsOf(get(item, 'pairs'), 'labels'), includeSelectors: booleanOf(get(item, 'includeSelectors')) ?? false, includeTemplates: booleanOf(get(item, 'includeTemplates')) ?? false });
    }
    applyAnnotations(resources, pairsOf(get(k, 'commonAnnotations'), 'commonAnnotations'));
    for (const item of context.list('patchesJson6902')) {
      if (item.kind !== 'map') continue;
      const path = get(item, 'path');
      const patch = get(item, 'patch');
      this.applyPatch(resources, context, path ? { path: path as KScalar } : { inline: patch as KScalar }, get(item, 'target'), undefined, true);
    }
    for (const item of context.list('replicas')) {
      const name = getString(item, 'name');
      const count = get(item, 'count');
      if (!name || count?.kind !== 'scalar' || typeof count.value !== 'number') {
        this.problem('A replicas entry needs a name and a numeric count', spanOf(item));
        continue;
      }
      applyReplicas(resources, name, count.value, generated(count, 'replicas'));
    }
    const images: ImageRule[] = [];
    for (const item of context.list('images')) {
      const name = getString(item, 'name');
      if (!name) continue;
      const fields = ['newName', 'newTag', 'digest'].map((key) => get(item, key)).filter((n): n is KNode => !!n);
      images.push({
        name,
        newName: getString(item, 'newName'),
        newTag: getString(item, 'newTag'),
        digest: getString(item, 'digest'),
        origins: (fields.length ? fields : [item]).map((node) => generated(node, 'images')),
      });
    }
    applyImages(resources, images);
  }

  private applyPatch(resources: Resource[], context: Context, source: { path?: KScalar; inline?: KScalar }, target: KNode | undefined, options: KNode | undefined, json6902 = false): void {
    const where = spanOf(source.path ?? source.inline);
    let documents: KNode[];
    try {
      if (source.path) {
        const path = context.resolveFile(String(source.path.value));
        const text = this.read(path);
        if (text === undefined) {
          this.problem(`Patch file ${String(source.path.value)} does not exist`, where);
          return;
        }
        documents = loadYamlDocuments(text, path);
      } else {
        const node = source.inline!;
        documents = loadYamlDocuments(String(node.value), context.file, inlineOffsets(context.text, node));
      }
    } catch (error) {
      this.problem(error instanceof YamlLoadError ? `Malformed patch: ${error.message}` : String(error), error instanceof YamlLoadError && error.span ? error.span : where);
      return;
    }
    if (documents.length === 0) return;
    const selector = target?.kind === 'map' ? target : undefined;
    try {
      if (json6902 || (documents.length === 1 && documents[0].kind === 'seq')) {
        if (!selector) {
          this.problem('A JSON 6902 patch needs a `target`', where);
          return;
        }
        const operations = readOperations(documents[0]);
        const matched = resources.filter((resource) => selects(selector, resource));
        if (matched.length === 0) this.problem(`No resource matches the patch target ${describeTarget(selector)}`, spanOf(target) ?? where, 'warning');
        for (const resource of matched) {
          applyJsonPatch(resource.object, operations);
          recordIdentity(resource);
        }
        return;
      }
      for (const document of documents) {
        if (document.kind !== 'map') throw new PatchError('a strategic merge patch must be a map');
        const matched = selector ? resources.filter((resource) => selects(selector, resource)) : this.matchById(resources, document);
        if (matched.length === 0) {
          if (selector) this.problem(`No resource matches the patch target ${describeTarget(selector)}`, spanOf(target) ?? where, 'warning');
          else this.problem(`No resource matches the patch for ${getString(document, 'kind') ?? '?'} ${getString(get(document, 'metadata'), 'name') ?? '?'}`, spanOf(get(get(document, 'metadata'), 'name')) ?? where);
          continue;
        }
        for (const resource of matched) {
          const patch = clone(document);
          keepIdentity(patch, booleanOf(get(options, 'allowNameChange')) ?? false, booleanOf(get(options, 'allowKindChange')) ?? false);
          if (!mergeObject(resource.object, patch)) resources.splice(resources.indexOf(resource), 1);
          else recordIdentity(resource);
        }
      }
    } catch (error) {
      if (!(error instanceof PatchError)) throw error;
      this.problem(`Malformed patch: ${error.message}`, where);
    }
  }

  private matchById(resources: Resource[], patch: KMap): Resource[] {
    const kind = getString(patch, 'kind');
    const name = getString(get(patch, 'metadata'), 'name');
    const namespace = getString(get(patch, 'metadata'), 'namespace');
    const { group } = groupVersionOf(patch);
    const candidates = resources.filter((r) => kindOf(r.object) === kind && r.names.includes(name ?? '') && (!group || groupVersionOf(r.object).group === group));
    const inNamespace = candidates.filter((r) => r.namespaces.some((ns) => sameNamespace(ns, namespace ?? '')));
    return inNamespace.length > 0 || namespace ? inNamespace : candidates.length === 1 ? candidates : [];
  }

  private addHashSuffixes(resources: Resource[]): void {
    for (const resource of resources) {
      if (!resource.needsHash) continue;
      const metadata = get(resource.object, 'metadata') as KMap;
      const name = get(metadata, 'name')!;
      const origins = [...name.origins, ...(resource.generatorOrigin ? [resource.generatorOrigin] : [])];
      set(metadata, 'name', scalar(`${nameOf(resource.object)}-${contentHash(resource.object)}`, origins));
      recordIdentity(resource);
    }
  }
}

interface StringItem {
  value: string;
  span: SourceSpan | undefined;
}

/** One kustomization being run: its directory, file and parsed fields. */
class Context {
  constructor(readonly dir: string, readonly file: string, readonly text: string, readonly kustomization: KMap) {}

  list(field: string): KNode[] {
    const node = get(this.kustomization, field);
    return node?.kind === 'seq' ? node.items : [];
  }

  strings(field: string): StringItem[] {
    return this.list(field).filter((item): item is KScalar => item.kind === 'scalar' && item.value !== null).map((item) => ({ value: String(item.value), span: spanOf(item) }));
  }

  /** Kustomize's default load restriction: files a kustomization reads sit in or below its directory. */
  allows(path: string): boolean {
    return path === this.dir || path.startsWith(this.dir === '/' ? '/' : `${this.dir}/`);
  }

  resolveFile(path: string): string {
    const resolved = posix.join(this.dir, path);
    if (!this.allows(resolved)) throw new GeneratorError(`${path} is outside the kustomization's directory ${this.dir}, which Kustomize does not allow`);
    return resolved;
  }
}

function objectsOf(documents: KNode[], file: string): KMap[] {
  const objects: KMap[] = [];
  for (const document of documents) {
    if (document.kind !== 'map') throw new BuildFailure(`${file}: a resource must be a YAML map`);
    if (getString(document, 'kind') === 'List' || (getString(document, 'kind')?.endsWith('List') && get(document, 'items')?.kind === 'seq')) {
      const items = get(document, 'items');
      if (items?.kind === 'seq') for (const item of items.items) if (item.kind === 'map') objects.push(item);
      continue;
    }
    if (!getString(document, 'kind')) throw new BuildFailure(`${file}: a resource has no kind`);
    if (!getString(get(document, 'metadata'), 'name') && !getString(get(document, 'metadata'), 'generateName')) throw new BuildFailure(`${file}: ${getString(document, 'kind')} has no metadata.name`);
    objects.push(document);
  }
  return objects;
}

function sameId(a: Resource, b: Resource): boolean {
  return kindOf(a.object) === kindOf(b.object) && groupVersionOf(a.object).group === groupVersionOf(b.object).group && nameOf(a.object) === nameOf(b.object) && sameNamespace(namespaceOf(a.object), namespaceOf(b.object));
}

/** Keeps the resource's name and kind when a patch names others, unless the patch's options allow the change. */
function keepIdentity(patch: KMap, allowNameChange: boolean, allowKindChange: boolean): void {
  const metadata = get(patch, 'metadata');
  if (!allowNameChange && metadata?.kind === 'map') metadata.entries = metadata.entries.filter((e) => e.key !== 'name');
  if (!allowKindChange) patch.entries = patch.entries.filter((e) => e.key !== 'kind' && e.key !== 'apiVersion');
}

function selects(target: KMap, resource: Resource): boolean {
  const object = resource.object;
  const { group, version } = groupVersionOf(object);
  const want = (key: string) => getString(target, key);
  if (want('group') !== undefined && want('group') !== group) return false;
  if (want('version') !== undefined && want('version') !== version) return false;
  if (want('kind') !== undefined && want('kind') !== kindOf(object)) return false;
  const name = want('name');
  if (name && !matchesAny(name, [resource.names[0], nameOf(object)])) return false;
  const namespace = want('namespace');
  if (namespace && !matchesAny(namespace, [resource.namespaces[0], namespaceOf(object)].map((ns) => ns || 'default'))) return false;
  const labelSelector = want('labelSelector');
  if (labelSelector && !matchesSelector(labelSelector, get(get(object, 'metadata'), 'labels'))) return false;
  const annotationSelector = want('annotationSelector');
  if (annotationSelector && !matchesSelector(annotationSelector, get(get(object, 'metadata'), 'annotations'))) return false;
  return true;
}

function matchesAny(pattern: string, values: string[]): boolean {
  let regex: RegExp;
  try {
    // regex-check: a pattern the user wrote, run as written
    regex = new RegExp(`^(?:${pattern})$`);
  } catch {
    return values.includes(pattern);
  }
  return values.some((value) => regex.test(value));
}

/** A Kubernetes label selector (`a=b,c!=d,e in (x,y),!f`) against a labels map. */
export function matchesSelector(selector: string, labels: KNode | undefined): boolean {
  const value = (key: string): string | undefined => getString(labels, key);
  const requirements = selector.split(/,(?![^(]*\))/).map((r) => r.trim()).filter(Boolean);
  return requirements.every((requirement) => {
    const match = requirement.match(/^(\S+?)\s+(in|notin)\s+\((.*)\)$/);
    if (match) {
      const options = match[3].split(',').map((o) => o.trim());
      const has = value(match[1]) !== undefined && options.includes(value(match[1])!);
      return match[2] === 'in' ? has : !has;
    }
    const equality = splitEquality(requirement);
    if (equality) return equality.operator === '!=' ? value(equality.key.trim()) !== equality.value.trim() : value(equality.key.trim()) === equality.value.trim();
    if (requirement.startsWith('!')) return value(requirement.slice(1).trim()) === undefined;
    return value(requirement) !== undefined;
  });
}

const isLineBreak = (char: string) => char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029';

/**
 * `key op value` cut at the first `==`, `!=` or `=` after the key's first character, the blanks around the operator
 * dropped; undefined when there is none, or when the key or the value holds a line break.
 */
function splitEquality(text: string): { key: string; operator: string; value: string } | undefined {
  let firstBreak = text.length;
  let lastBreak = -1;
  for (let at = 0; at < text.length; at++) {
    if (!isLineBreak(text[at])) continue;
    firstBreak = Math.min(firstBreak, at);
    lastBreak = at;
  }
  let keyEnd = 1; // the key ends where the blanks before the operator begin, and holds one character at least
  for (let at = 1; at < text.length; at++) {
    if (/\s/.test(text[at])) continue;
    if (firstBreak < keyEnd) return undefined;
    for (const operator of ['==', '!=', '=']) {
      if (!text.startsWith(operator, at)) continue;
      let valueStart = at + operator.length;
      while (valueStart < text.length && /\s/.test(text[valueStart])) valueStart++;
      if (valueStart > lastBreak) return { key: text.slice(0, keyEnd), operator, value: text.slice(valueStart) };
    }
    keyEnd = at + 1;
  }
  return undefined;
}

function describeTarget(target: KMap): string {
  return target.entries.map((e) => `${e.key}=${e.value.kind === 'scalar' ? String(e.value.value) : '…'}`).join(', ');
}

function spanOf(node: KNode | undefined): SourceSpan | undefined {
  return node?.origins[0]?.span;
}

function generated(node: KNode, via: string): Origin {
  return { kind: 'generated', span: node.origins[0]?.span ?? { file: '', start: 0, end: 0 }, via };
}

function affix(node: KNode | undefined, via: string): { value: string; origin: Origin } | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  return { value: String(node.value), origin: generated(node, via) };
}

function pairsOf(node: KNode | undefined, via = 'generatorOptions'): LabelPair[] {
  if (node?.kind !== 'map') return [];
  return node.entries.map((entry) => ({
    key: entry.key,
    value: entry.value.kind === 'scalar' ? (entry.value.value === null ? '' : entry.value.plain ? entry.value.raw : String(entry.value.value)) : '',
    origin: generated(entry.value, via),
  }));
}

function mapOf(pairs: LabelPair[], origin: Origin): KMap {
  return { kind: 'map', entries: pairs.map((pair) => ({ key: pair.key, value: scalar(pair.value, [pair.origin]) })), origins: [origin] };
}

function booleanOf(node: KNode | undefined): boolean | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'boolean' ? node.value : undefined;
}

/**
 * Maps offsets in an inline patch (a string value of the kustomization) to offsets in the kustomization file:
 * for a block scalar, line by line past its indentation; for other scalars, to the scalar as a whole.
 */
function inlineOffsets(fileText: string, node: KScalar): ((offset: number) => number) | undefined {
  const span = node.origins[0]?.span;
  if (!span || !fileText) return undefined;
  const source = fileText.slice(span.start, span.end);
  if (!/^[|>]/.test(source)) return () => span.start;
  const contentStart = fileText.indexOf('\n', span.start) + 1;
  const lines = fileText.slice(contentStart, span.end).split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length));
  const lineStarts: number[] = [];
  let offset = contentStart;
  for (const line of lines) {
    lineStarts.push(offset);
    offset += line.length + 1;
  }
  const value = String(node.value);
  const valueLineStarts = [0];
  for (let i = 0; i < value.length; i++) if (value[i] === '\n') valueLineStarts.push(i + 1);
  return (position) => {
    let line = valueLineStarts.length - 1;
    while (line > 0 && valueLineStarts[line] > position) line--;
    return Math.min((lineStarts[line] ?? span.end) + indent + (position - valueLineStarts[line]), span.end);
  };
}
