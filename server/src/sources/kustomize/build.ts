// `kustomize build` in-process: walks a kustomization and everything it reaches (resources, bases, components,
// patches, generator inputs), applies its fields in Kustomize's order, and keeps every problem of the tree as a
// SourceProblem in the file and span at fault instead of stopping at the first one.
import * as posix from '../posixPath';
import { Origin, SourceFileSystem, SourceProblem, SourceSpan } from '../origin';
import { contentHash, dataNode, GeneratorError, generatorData } from './generators';
import { applyJsonPatch, readOperations } from './jsonPatch';
import { fixNameReferences, NameReferenceSpec, readNameReferences } from './references';
import { Resource, ResourceOrigin, groupVersionOf, kindOf, nameOf, namespaceOf, newResource, recordIdentity, sameNamespace } from './resource';
import { applyReplacement, ReplacementError } from './replacements';
import { applyPairsConfig, applyPrefixSuffixConfig } from './builtinTransformers';
import { annotateBuild, readBuildMetadata } from './buildMetadata';
import { selects } from './select';
import { mergeObject, PatchError } from './strategicMerge';
import { applyAnnotations, applyImages, applyLabels, applyNameAffixes, applyNamespace, applyReplicas, ImageRule, LabelPair } from './transformers';
import { loadYamlDocuments, YamlLoadError } from './load';
import { FieldSpec, readFieldSpecs } from './fieldSpecs';
import { DEFAULT_VAR_REFERENCES, readVars, VarError, VarSet } from './vars';
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
  'configMapGenerator', 'secretGenerator', 'generatorOptions', 'sortOptions', 'vars', 'configurations', 'replacements',
  'transformers', 'generators', 'buildMetadata',
]);

/** Fields Kustomize knows that this renderer does not apply, and why: each is reported, never silently dropped. */
const UNSUPPORTED_FIELDS: Record<string, string> = {
  helmCharts: 'Helm charts are not rendered inside Kustomize builds',
  helmChartInflationGenerator: 'Helm charts are not rendered inside Kustomize builds',
  helmGlobals: 'Helm charts are not rendered inside Kustomize builds',
  validators: 'validator plugins and KRM functions are not run',
  crds: 'CRD field specs are not read',
  openapi: 'custom OpenAPI schemas are not read',
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
  private readonly vars = new VarSet();
  /** The ids of each list of resources being accumulated, for append (see transformed). */
  private readonly ids = new WeakMap<Resource[], Set<string>>();
  /** The varReference field specs: Kustomize's defaults and those of every `configurations:` file of the build. */
  private readonly varReferences: FieldSpec[] = [...DEFAULT_VAR_REFERENCES];
  /** Field specs the `configurations:` files add to the other transformers' defaults. */
  private readonly configured = { nameReference: [] as NameReferenceSpec[], labels: [] as FieldSpec[], commonLabels: [] as FieldSpec[], templateLabels: [] as FieldSpec[], commonAnnotations: [] as FieldSpec[], images: [] as FieldSpec[] };

  constructor(private readonly fs: SourceFileSystem) {}

  build(root: string): BuildResult & { sortOptions?: KNode } {
    const dir = posix.normalize(root).replace(/(.)\/$/, '$1');
    const result = this.accumulate(dir, 'Kustomization', [], [], undefined);
    const resources = result?.resources ?? [];
    this.addHashSuffixes(resources);
    for (const message of fixNameReferences(resources, this.configured.nameReference)) this.problem(message, undefined);
    this.guard(() => this.vars.resolve(resources, this.varReferences));
    const buildMetadata = readBuildMetadata(result?.buildMetadata);
    annotateBuild(resources, dir, buildMetadata);
    const managedBy = buildMetadata.get('managedByLabel');
    // Its value is the version of the kustomize binary, which an in-process build does not have.
    if (managedBy) this.problem('buildMetadata managedByLabel: the app.kubernetes.io/managed-by label is not added; the build goes on without it', spanOf(managedBy), 'warning');
    // Objects marked as local configuration (a replacement's source, say) serve the build and are not printed.
    const printed = resources.filter((resource) => getString(get(get(resource.object, 'metadata'), 'annotations'), 'config.kubernetes.io/local-config') !== 'true');
    return { resources: printed, problems: this.problems, filesRead: [...this.filesRead], kustomizations: this.kustomizations, sortOptions: result?.sortOptions };
  }

  private problem(message: string, span: SourceSpan | undefined, severity: 'error' | 'warning' = 'error'): void {
    this.problems.push({ message, span, severity });
  }

  /** Runs a step whose VarError becomes a problem of the build. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (!(error instanceof VarError)) throw error;
      this.problem(error.message, error.span);
    }
  }

  private read(path: string): string | undefined {
    const text = this.fs.readFile(path);
    if (text !== undefined) this.filesRead.add(path);
    return text;
  }

  /** Runs the kustomization in `dir` over `into` (a component's parent resources, else empty). */
  private accumulate(dir: string, expected: 'Kustomization' | 'Component', into: Resource[], stack: string[], reachedFrom: SourceSpan | undefined): { resources: Resource[]; sortOptions?: KNode; buildMetadata?: KNode } | undefined {
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
    normaliseFieldNames(kustomization);
    const apiVersion = getString(kustomization, 'apiVersion');
    if (kind === 'Component' && apiVersion !== undefined && apiVersion !== 'kustomize.config.k8s.io/v1alpha1') {
      this.problem(`apiVersion for Component should be kustomize.config.k8s.io/v1alpha1, not ${apiVersion}`, spanOf(get(kustomization, 'apiVersion')));
      return undefined;
    }
    this.checkSortOptions(get(kustomization, 'sortOptions'));
    this.checkOpenApi(get(kustomization, 'openapi'), dir);
    for (const entry of kustomization.entries) {
      if (SUPPORTED_FIELDS.has(entry.key)) continue;
      const span = entry.value.origins[0]?.span;
      if (entry.key in UNSUPPORTED_FIELDS) this.problem(`${entry.key}: ${UNSUPPORTED_FIELDS[entry.key]}; the build goes on without it`, span, 'warning');
      // Kustomize itself ignores fields it does not know: said, not fatal.
      else this.problem(`Unknown kustomization field "${entry.key}" is ignored`, span, 'warning');
    }
    const context = new Context(dir, file, text, kustomization);
    const resources = into;
    const innerStack = [...stack, dir];
    for (const item of [...context.strings('resources'), ...context.strings('bases')]) this.addResource(resources, item, context, innerStack);
    this.readConfigurations(context);
    this.runGenerators(resources, context);
    for (const plugin of this.pluginConfigs(context, 'generators', innerStack)) this.runPlugin(resources, context, plugin);
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
    for (const plugin of this.pluginConfigs(context, 'transformers', innerStack)) {
      this.runPlugin(resources, context, plugin);
      for (const resource of resources) resource.transformations.push(configOrigin(plugin, context));
    }
    this.guard(() => this.vars.declare(readVars(get(kustomization, 'vars')), resources));
    return { resources, sortOptions: get(kustomization, 'sortOptions'), buildMetadata: get(kustomization, 'buildMetadata') };
  }

  /** Kustomize refuses sortOptions it cannot follow (api/types/kustomization.go). */
  private checkSortOptions(sortOptions: KNode | undefined): void {
    if (!sortOptions) return;
    const order = getString(sortOptions, 'order');
    if (order !== 'fifo' && order !== 'legacy') this.problem("the field 'sortOptions.order' must be one of [fifo, legacy]", spanOf(sortOptions));
    else if (order === 'fifo' && get(sortOptions, 'legacySortOptions')) this.problem("the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'", spanOf(get(sortOptions, 'legacySortOptions')));
  }

  /**
   * `openapi:` names a schema file or one of Kustomize's builtin Kubernetes versions (v1.21.2), not both; the
   * schema itself is not read (merge keys come from the builtin knowledge), but what Kustomize refuses is an error.
   */
  private checkOpenApi(openapi: KNode | undefined, dir: string): void {
    if (openapi?.kind !== 'map') return;
    const path = getString(openapi, 'path');
    const version = getString(openapi, 'version');
    if (path !== undefined && version !== undefined) this.problem('openapi: give either a path or a version, not both', spanOf(openapi));
    else if (path !== undefined && this.fs.readFile(posix.join(dir, path)) === undefined) this.problem(`openapi: ${path} does not exist`, spanOf(get(openapi, 'path')));
    else if (version !== undefined && version !== 'v1.21.2') this.problem(`openapi: ${version} is not a builtin Kubernetes version (v1.21.2)`, spanOf(get(openapi, 'version')));
  }

  /** `configurations:` files: field specs that extend Kustomize's defaults for the whole build. */
  private readConfigurations(context: Context): void {
    for (const item of context.strings('configurations')) {
      const path = posix.join(context.dir, item.value);
      const text = context.allows(path) ? this.read(path) : undefined;
      if (text === undefined) {
        this.problem(`Configuration file ${item.value} does not exist in the kustomization's directory`, item.span);
        continue;
      }
      try {
        const config = loadYamlDocuments(text, path)[0];
        this.varReferences.push(...readFieldSpecs(get(config, 'varReference')));
        this.configured.nameReference.push(...readNameReferences(get(config, 'nameReference')));
        for (const key of ['labels', 'commonLabels', 'templateLabels', 'commonAnnotations', 'images'] as const) this.configured[key].push(...readFieldSpecs(get(config, key)));
      } catch (error) {
        if (!(error instanceof YamlLoadError)) throw error;
        this.problem(error.message, error.span);
      }
    }
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
      for (const object of objectsOf(loadYamlDocuments(text, path), path)) {
        const resource = newResource(object);
        resource.origin = { path };
        this.append(resources, resource, item.span);
      }
    } catch (error) {
      this.problem(error instanceof YamlLoadError || error instanceof BuildFailure ? error.message : String(error), error instanceof YamlLoadError ? error.span : item.span);
    }
  }

  private append(resources: Resource[], resource: Resource, span: SourceSpan | undefined): void {
    let ids = this.ids.get(resources);
    if (!ids) this.ids.set(resources, ids = new Set(resources.map(idOf)));
    const id = idOf(resource);
    if (ids.has(id)) {
      this.problem(`${kindOf(resource.object)} ${nameOf(resource.object)} is included twice`, span);
      return;
    }
    resources.push(resource);
    ids.add(id);
  }

  /** Forgets the ids of `resources`, which a transformer may have changed (a prefix, a namespace, a deleting patch). */
  private transformed(resources: Resource[]): void {
    this.ids.delete(resources);
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
          this.generate(resources, context, entry, kind, origin, options, { configuredIn: context.file, configuredBy: { apiVersion: 'builtin', kind: `${kind}Generator` } });
        } catch (error) {
          if (!(error instanceof GeneratorError)) throw error;
          this.problem(error.message, origin.span);
        }
      }
    }
  }

  private generate(resources: Resource[], context: Context, entry: KMap, kind: 'ConfigMap' | 'Secret', origin: Origin, globalOptions: KNode | undefined, made: ResourceOrigin): void {
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
      resource.origin = made;
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
    // A replaced object is the new generator's; a merged one stays the first generator's (as Kustomize's origin annotation says).
    if (behavior === 'replace') existing.origin = made;
  }

  private runTransformers(resources: Resource[], context: Context): void {
    try { this.runBuiltinTransformers(resources, context); }
    finally { this.transformed(resources); }
  }

  private runBuiltinTransformers(resources: Resource[], context: Context): void {
    const k = context.kustomization;
    const ran = (kind: string) => {
      for (const resource of resources) resource.transformations.push({ configuredIn: context.file, configuredBy: { apiVersion: 'builtin', kind } });
    };
    if (context.list('patchesStrategicMerge').length) ran('PatchStrategicMergeTransformer');
    for (const item of context.list('patchesStrategicMerge')) {
      if (item.kind !== 'scalar') continue;
      const value = String(item.value);
      const inline = value.includes('\n') || /^\s*[\w$"'-]+\s*:/.test(value);
      this.applyPatch(resources, context, inline ? { inline: item } : { path: item }, undefined, undefined, false, true);
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
      ran('PatchTransformer');
    }
    const namespace = get(k, 'namespace');
    if (namespace?.kind === 'scalar' && namespace.value) {
      applyNamespace(resources, String(namespace.value), generated(namespace, 'namespace'));
      ran('NamespaceTransformer');
    }
    applyNameAffixes(resources, affix(get(k, 'namePrefix'), 'namePrefix'), affix(get(k, 'nameSuffix'), 'nameSuffix'));
    if (getString(k, 'namePrefix')) ran('PrefixTransformer');
    if (getString(k, 'nameSuffix')) ran('SuffixTransformer');
    applyLabels(resources, { pairs: pairsOf(get(k, 'commonLabels'), 'commonLabels'), includeSelectors: true, includeTemplates: true }, this.configured.commonLabels);
    if (pairsOf(get(k, 'commonLabels')).length) ran('LabelTransformer');
    for (const item of context.list('labels')) {
      ran('LabelTransformer');
      const includeSelectors = booleanOf(get(item, 'includeSelectors')) ?? false;
      const includeTemplates = booleanOf(get(item, 'includeTemplates')) ?? false;
      // Kustomize's `labels` take the configured `labels` specs and the entry's own `fields`, with the selectors' or the templates' when asked.
      const extra = [...this.configured.labels, ...readFieldSpecs(get(item, 'fields')), ...(includeSelectors ? this.configured.commonLabels : includeTemplates ? this.configured.templateLabels : [])];
      // `includeVolumeClaimTemplates` (Kustomize after v5.5) labels the claims a StatefulSet makes too.
      if (booleanOf(get(item, 'includeVolumeClaimTemplates'))) extra.push({ kind: 'StatefulSet', path: 'spec/volumeClaimTemplates/metadata/labels', create: true });
      applyLabels(resources, { pairs: pairsOf(get(item, 'pairs'), 'labels'), includeSelectors, includeTemplates }, extra);
    }
    applyAnnotations(resources, pairsOf(get(k, 'commonAnnotations'), 'commonAnnotations'), this.configured.commonAnnotations);
    if (pairsOf(get(k, 'commonAnnotations')).length) ran('AnnotationsTransformer');
    for (const item of context.list('patchesJson6902')) {
      if (item.kind !== 'map') continue;
      ran('PatchJson6902Transformer');
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
      ran('ReplicaCountTransformer');
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
    applyImages(resources, images, this.configured.images);
    images.forEach(() => ran('ImageTagTransformer'));
    for (const item of context.list('replacements')) this.applyReplacements(resources, context, item);
    if (context.list('replacements').length) ran('ReplacementTransformer');
  }

  /**
   * The configs a `transformers:` or `generators:` field names: inline YAML, files, or kustomization directories
   * whose build output are the configs (as Kustomize reads them).
   */
  private pluginConfigs(context: Context, field: 'transformers' | 'generators', stack: string[]): KMap[] {
    const configs: KMap[] = [];
    for (const item of context.list(field)) {
      if (item.kind !== 'scalar' || item.value === null) continue;
      const value = String(item.value);
      const span = spanOf(item);
      try {
        if (value.includes('\n') || /^\s*[\w$"'-]+\s*:/.test(value)) {
          configs.push(...mapsOf(loadYamlDocuments(value, context.file, inlineOffsets(context.text, item))));
          continue;
        }
        const path = posix.join(context.dir, value);
        if (this.fs.isDirectory(path)) {
          const sub = this.accumulate(path, 'Kustomization', [], stack, span);
          configs.push(...(sub?.resources ?? []).map((resource) => resource.object));
          continue;
        }
        const text = context.allows(path) ? this.read(path) : undefined;
        if (text === undefined) this.problem(`${field} entry ${value} does not exist in the kustomization's directory`, span);
        else configs.push(...mapsOf(loadYamlDocuments(text, path)));
      } catch (error) {
        if (!(error instanceof YamlLoadError)) throw error;
        this.problem(error.message, error.span);
      }
    }
    return configs;
  }

  /** Runs a generator or transformer config: a transformer may change the ids of the resources. */
  private runPlugin(resources: Resource[], context: Context, config: KMap): void {
    try { this.runPluginConfig(resources, context, config); }
    finally { this.transformed(resources); }
  }

  /** One builtin transformer or generator config; other kinds are plugins, which are not run. */
  private runPluginConfig(resources: Resource[], context: Context, config: KMap): void {
    const kind = getString(config, 'kind') ?? '';
    const span = spanOf(get(config, 'kind')) ?? spanOf(config);
    const origin: Origin = { kind: 'generated', span: span ?? { file: context.file, start: 0, end: 0 }, via: kind };
    const metadata = get(config, 'metadata');
    const text = (key: string) => get(config, key) as KScalar | undefined;
    const stringItems = (key: string): KScalar[] => {
      const node = get(config, key);
      return node?.kind === 'seq' ? node.items.filter((n): n is KScalar => n.kind === 'scalar') : [];
    };
    switch (kind) {
      case 'PrefixSuffixTransformer': return applyPrefixSuffixConfig(resources, config, origin);
      case 'LabelTransformer': return applyPairsConfig(resources, config, 'labels', origin);
      case 'AnnotationsTransformer': return applyPairsConfig(resources, config, 'annotations', origin);
      case 'NamespaceTransformer': {
        const namespace = getString(metadata, 'namespace');
        if (namespace) applyNamespace(resources, namespace, origin);
        return;
      }
      case 'ImageTagTransformer': {
        const tag = get(config, 'imageTag');
        const name = getString(tag, 'name');
        if (name) applyImages(resources, [{ name, newName: getString(tag, 'newName'), newTag: getString(tag, 'newTag'), digest: getString(tag, 'digest'), origins: [origin] }]);
        return;
      }
      case 'ReplicaCountTransformer': {
        const replica = get(config, 'replica');
        const name = getString(replica, 'name');
        const count = get(replica, 'count');
        if (name && count?.kind === 'scalar' && typeof count.value === 'number') applyReplicas(resources, name, count.value, origin);
        return;
      }
      case 'PatchTransformer':
        if (text('path') || text('patch')) this.applyPatch(resources, context, text('path') ? { path: text('path') } : { inline: text('patch') }, get(config, 'target'), get(config, 'options'));
        return;
      case 'PatchStrategicMergeTransformer':
        for (const path of stringItems('paths')) this.applyPatch(resources, context, { path }, undefined, undefined);
        if (text('patches')) this.applyPatch(resources, context, { inline: text('patches') }, undefined, undefined);
        return;
      case 'PatchJson6902Transformer':
        if (text('path') || text('jsonOp')) this.applyPatch(resources, context, text('path') ? { path: text('path') } : { inline: text('jsonOp') }, get(config, 'target'), undefined, true);
        return;
      case 'ReplacementTransformer': {
        const list = get(config, 'replacements');
        for (const item of list?.kind === 'seq' ? list.items : []) this.applyReplacements(resources, context, item);
        return;
      }
      case 'ConfigMapGenerator':
      case 'SecretGenerator': {
        // The generator entry's fields sit at the top of the config, its name and namespace in metadata.
        const entry: KMap = { ...config, entries: [...config.entries.filter((e) => e.key !== 'metadata'), ...(metadata?.kind === 'map' ? metadata.entries.filter((e) => e.key === 'name' || e.key === 'namespace') : [])] };
        try {
          this.generate(resources, context, entry, kind === 'ConfigMapGenerator' ? 'ConfigMap' : 'Secret', origin, undefined, configOrigin(config, context));
        } catch (error) {
          if (!(error instanceof GeneratorError)) throw error;
          this.problem(error.message, span);
        }
        return;
      }
      case 'IAMPolicyGenerator': {
        const account = newResource(iamServiceAccount(config, origin), true);
        account.origin = configOrigin(config, context);
        return this.append(resources, account, span);
      }
      case 'SortOrderTransformer':
        // The order is the root kustomization's `sortOptions`; Kustomize cannot load this one as a transformer.
        return this.problem('SortOrderTransformer cannot be named in transformers; set sortOptions in the kustomization', span);
      // The content hash is given to generated names once the whole build is done.
      case 'HashTransformer': return;
      default:
        this.problem(`${kind || 'A config without a kind'} is a plugin or KRM function, which is not run; the build goes on without it`, span, 'warning');
    }
  }

  /** A `replacements:` entry: inline, or a `path:` to a file holding one replacement or a list of them. */
  private applyReplacements(resources: Resource[], context: Context, item: KNode): void {
    const path = get(item, 'path');
    let replacements: KNode[] = [item];
    if (path?.kind === 'scalar') {
      const file = posix.join(context.dir, String(path.value));
      const text = context.allows(file) ? this.read(file) : undefined;
      if (text === undefined) {
        this.problem(`Replacement file ${String(path.value)} does not exist in the kustomization's directory`, spanOf(path));
        return;
      }
      try {
        replacements = loadYamlDocuments(text, file).flatMap((document) => (document.kind === 'seq' ? document.items : [document]));
      } catch (error) {
        if (!(error instanceof YamlLoadError)) throw error;
        this.problem(error.message, error.span);
        return;
      }
    }
    for (const replacement of replacements) {
      try {
        applyReplacement(resources, replacement, generated(item, 'replacements'));
      } catch (error) {
        if (!(error instanceof ReplacementError)) throw error;
        this.problem(error.message, error.span);
      }
    }
  }

  private applyPatch(resources: Resource[], context: Context, source: { path?: KScalar; inline?: KScalar }, target: KNode | undefined, options: KNode | undefined, json6902 = false, emptyIsError = false): void {
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
        const span = node.origins[0]?.span;
        documents = span && span.file !== context.file ? loadYamlDocuments(String(node.value), span.file, () => span.start) : loadYamlDocuments(String(node.value), context.file, inlineOffsets(context.text, node));
      }
    } catch (error) {
      this.problem(error instanceof YamlLoadError ? `Malformed patch: ${error.message}` : String(error), error instanceof YamlLoadError && error.span ? error.span : where);
      return;
    }
    if (documents.length === 0) {
      // A `patchesStrategicMerge` entry must hold a patch; under `patches:` an empty file is passed over.
      if (emptyIsError) this.problem('The patch appears to be empty', where);
      return;
    }
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
        if (!selector && matched.length > 1) {
          this.problem(`${matched.length} resources match the patch for ${getString(document, 'kind') ?? '?'} ${getString(get(document, 'metadata'), 'name') ?? '?'}; it must match one (give it a target)`, spanOf(get(get(document, 'metadata'), 'name')) ?? where);
          continue;
        }
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
    const matched = inNamespace.length > 0 || namespace ? inNamespace : candidates.length === 1 ? candidates : [];
    if (matched.length < 2) return matched;
    // Several of one kind and name: the one whose group and version the patch names.
    const version = groupVersionOf(patch).version;
    const exact = matched.filter((r) => groupVersionOf(r.object).group === group && groupVersionOf(r.object).version === version);
    return exact.length > 0 ? exact : matched;
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

const KNOWN_FIELDS_BY_LOWER_CASE = new Map([...SUPPORTED_FIELDS, ...Object.keys(UNSUPPORTED_FIELDS)].map((field) => [field.toLowerCase(), field]));

/**
 * Kustomize reads a kustomization through Go's JSON decoding, which matches field names regardless of case
 * (`nameprefix:` is `namePrefix:`), a later key winning over an earlier one.
 */
function normaliseFieldNames(kustomization: KMap): void {
  const entries: KMap['entries'] = [];
  for (const entry of kustomization.entries) {
    const key = KNOWN_FIELDS_BY_LOWER_CASE.get(entry.key.toLowerCase()) ?? entry.key;
    const earlier = entries.findIndex((e) => e.key === key);
    if (earlier >= 0) entries.splice(earlier, 1);
    entries.push({ key, value: entry.value });
  }
  kustomization.entries = entries;
}

/** A generator's or transformer's config as buildMetadata names it: the file it is written in, and its identity. */
function configOrigin(config: KMap, context: Context): ResourceOrigin {
  const metadata = get(config, 'metadata');
  return {
    configuredIn: config.origins[0]?.span.file || context.file,
    configuredBy: { apiVersion: getString(config, 'apiVersion') ?? '', kind: getString(config, 'kind') ?? '', name: getString(metadata, 'name'), namespace: getString(metadata, 'namespace') },
  };
}

function mapsOf(documents: KNode[]): KMap[] {
  return documents.filter((document): document is KMap => document.kind === 'map');
}

/**
 * IAMPolicyGenerator (GKE workload identity): a ServiceAccount annotated with the Google service account it acts as
 * (https://kubectl.docs.kubernetes.io/references/kustomize/builtins/#_iampolicygenerator_).
 */
function iamServiceAccount(config: KMap, origin: Origin): KMap {
  const service = get(config, 'kubernetesService');
  const account = get(config, 'serviceAccount');
  const metadata: KMap = { kind: 'map', entries: [], origins: [origin] };
  const email = `${getString(account, 'name') ?? ''}@${getString(account, 'projectId') ?? ''}.iam.gserviceaccount.com`;
  metadata.entries.push({ key: 'annotations', value: { kind: 'map', entries: [{ key: 'iam.gke.io/gcp-service-account', value: scalar(email, [origin]) }], origins: [origin] } });
  metadata.entries.push({ key: 'name', value: scalar(getString(service, 'name') ?? '', [origin]) });
  const namespace = getString(service, 'namespace');
  if (namespace) metadata.entries.push({ key: 'namespace', value: scalar(namespace, [origin]) });
  return { kind: 'map', entries: [{ key: 'apiVersion', value: scalar('v1', [origin]) }, { key: 'kind', value: scalar('ServiceAccount', [origin]) }, { key: 'metadata', value: metadata }], origins: [origin] };
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

/** What tells resources apart in a build: kind, API group, name and namespace (an absent one is `default`). */
function idOf({ object }: Resource): string {
  return JSON.stringify([kindOf(object), groupVersionOf(object).group, nameOf(object), namespaceOf(object) || 'default']);
}

/** Keeps the resource's name and kind when a patch names others, unless the patch's options allow the change. */
function keepIdentity(patch: KMap, allowNameChange: boolean, allowKindChange: boolean): void {
  const metadata = get(patch, 'metadata');
  if (!allowNameChange && metadata?.kind === 'map') metadata.entries = metadata.entries.filter((e) => e.key !== 'name');
  if (!allowKindChange) patch.entries = patch.entries.filter((e) => e.key !== 'kind' && e.key !== 'apiVersion');
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
