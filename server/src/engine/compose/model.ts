// The Compose model: a service read the way `docker compose config` reads it: its own keys, then those its
// YAML merge keys (`<<: *defaults`) bring in, then its `extends` base (in the same file or, in a project,
// another), and in a project the same service of each older file of the chain (an override file over the base
// file), merged as the Compose Specification merges them (scalars and mappings from the nearest definition,
// sequences such as `cap_add` or `security_opt` appended, `!reset` and `!override` obeyed). Positions stay those
// of the nodes as written, in their own file, so a finding or a fix lands where a value is defined.
// Spec: https://github.com/compose-spec/compose-spec/blob/main/spec.md, /05-services.md#extends, /13-merge.md
import { Document, isMap, isScalar, isSeq, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { AnyNode, deref, findPair, getMap, keyName } from '../yamlNodes';

export interface ComposeFile {
  doc: Document;
  root: YAMLMap;
  /** The text the document was parsed from: fixes edit it. */
  text: string;
  /** The file's path in a Compose project (sources/compose); undefined for a text analysed on its own. */
  path?: string;
  /** The services it defines, by name: where `extends` and override files find them. */
  definitions: Map<string, ServiceDefinition>;
  /** Its services as it alone defines them (a project merges these across files). */
  services: ComposeService[];
}

/** A service as one file writes it: the `name:` pair under `services:` and its map. */
export interface ServiceDefinition {
  file: ComposeFile;
  name: string;
  pair: Pair<Scalar, unknown>;
  node: YAMLMap;
}

/** One definition a service is read from: its map followed by the maps its merge keys bring in, in its file. */
export interface ServiceLayer {
  maps: YAMLMap[];
  file: ComposeFile;
}

/** One place a key of a service is written, nearest first: the service, a merged anchor, a base it extends. */
export interface ServiceField {
  pair: Pair<Scalar, unknown>;
  /** The value with aliases followed. */
  value: AnyNode;
  /** The map that holds the pair: where a fix changes it. */
  owner: YAMLMap;
  /** The index of its layer: 0 for the nearest definition (with its merge keys), then each base and older file. */
  layer: number;
  /** The file that holds the pair. */
  file: ComposeFile;
}

export interface ComposeService {
  /** The file of its oldest definition (the base file of a project): a key the service lacks is added there. */
  file: ComposeFile;
  name: string;
  /** The `name:` pair under `services:` of its oldest definition. */
  pair: Pair<Scalar, unknown>;
  node: YAMLMap;
  /** The definitions the service is read from, nearest first: override files, then the base, each followed by what it extends. */
  layers: ServiceLayer[];
  /** The image when it is written without variables, else undefined. */
  image?: string;
  /**
   * It extends a service that cannot be read (another file, when analysed alone), or it has neither `image` nor
   * `build`, which a service that runs must have (it is then a part that an override file adds to a service of
   * another file): a key it lacks may be set there, so only the values it has are checked here.
   */
  partial: boolean;
}

const MERGE_KEY = '<<';

/** A value that depends on `${VAR}` or `$VAR` interpolation, which the engine does not evaluate (`$$` is a literal `$`). */
export function isInterpolated(value: string): boolean {
  return /\$[{A-Za-z_]/.test(value.replace(/\$\$/g, ''));
}

/** The map and, after it, every map its merge keys bring in, in the order YAML reads them (depth-first, left first). */
function withMerged(map: YAMLMap, doc: Document, seen = new Set<YAMLMap>()): YAMLMap[] {
  if (seen.has(map)) return [];
  seen.add(map);
  const maps = [map];
  // YAML 1.1 reads the key `<<` as a merge key, whose value is a symbol; its source is still `<<`.
  const merge = map.items.find(pair => isScalar(pair.key) && pair.key.source === MERGE_KEY);
  const value = deref(merge?.value, doc);
  const sources = isSeq(value) ? value.items.map(item => deref(item, doc)) : [value];
  for (const source of sources) if (isMap(source)) maps.push(...withMerged(source, doc, seen));
  return maps;
}

/** The first pair for `key` in the maps of one layer, as YAML merge keys resolve it. */
function pairIn(maps: readonly YAMLMap[], key: string): [Pair<Scalar, unknown>, YAMLMap] | undefined {
  for (const map of maps) {
    const pair = findPair(map, key);
    if (pair) return [pair, map];
  }
  return undefined;
}

/** What a service extends: `extends: base`, or `extends: {service: base, file: common.yaml}`. */
export interface ExtendsTarget {
  service: string;
  /** The file as written, relative to the file that names it; undefined for the same file. */
  file?: string;
  /** The `extends` pair, where a problem with it is reported. */
  pair: Pair<Scalar, unknown>;
}

/** The target of a layer's `extends`, `unreadable` when it is not written as the Compose Specification says (or with variables), undefined without one. */
function extendsTarget(maps: readonly YAMLMap[], doc: Document): ExtendsTarget | 'unreadable' | undefined {
  const found = pairIn(maps, 'extends');
  if (!found) return undefined;
  const pair = found[0];
  const value = deref(pair.value, doc);
  const name = (node: unknown) => {
    const text = literalString(deref(node, doc));
    return text === undefined || text === '' ? undefined : text;
  };
  if (isScalar(value)) { const service = name(value); return service ? { service, pair } : 'unreadable'; }
  if (!isMap(value)) return 'unreadable';
  const service = name(findPair(value, 'service')?.value);
  const filePair = findPair(value, 'file');
  const file = filePair ? name(filePair.value) : undefined;
  if (!service || (filePair && !file)) return 'unreadable';
  return file ? { service, file, pair } : { service, pair };
}

/**
 * Finds the definition an `extends` names in another file; undefined when it cannot be read (the caller says why).
 * A text analysed on its own has none: a service extending another file is then partial.
 */
export type ExtendsResolver = (from: ComposeFile, target: ExtendsTarget) => ServiceDefinition | undefined;

/** Why an `extends` chain stops early: a cycle, or a target that is not there (reported by a project, not by a file alone). */
export type ExtendsProblem = (file: ComposeFile, at: Pair<Scalar, unknown>, message: string) => void;

/** The layers of one definition: its own maps, then each base it extends (same file or, through `resolve`, another). */
export function definitionLayers(definition: ServiceDefinition, resolve: ExtendsResolver, problem?: ExtendsProblem): { layers: ServiceLayer[]; complete: boolean } {
  const layers: ServiceLayer[] = [];
  const visited = new Set<ServiceDefinition>();
  for (let current: ServiceDefinition | undefined = definition; current;) {
    if (visited.has(current)) {
      const last = layers[layers.length - 1];
      const at = pairIn(last.maps, 'extends')![0];
      problem?.(last.file, at, `extends makes a cycle (${[...visited].map(d => d.name).join(' -> ')} -> ${current.name}): docker compose refuses it, so the chain is read up to here.`);
      // Every definition of the chain is read: what they set is known, so the service is checked in full.
      return { layers, complete: true };
    }
    visited.add(current);
    const file: ComposeFile = current.file;
    const maps = withMerged(current.node, file.doc);
    layers.push({ maps, file });
    const target = extendsTarget(maps, file.doc);
    if (target === undefined) return { layers, complete: true };
    if (target === 'unreadable') return { layers, complete: false };
    const next: ServiceDefinition | undefined = target.file === undefined ? file.definitions.get(target.service) : resolve(file, target);
    if (!next && target.file === undefined) problem?.(file, target.pair, `extends names the service "${target.service}", which this file does not define.`);
    current = next;
    if (!current) return { layers, complete: false };
  }
  return { layers, complete: true };
}

/** A service read from its definitions, nearest first (an override file's before the base file's). */
export function mergedService(definitions: readonly ServiceDefinition[], resolve: ExtendsResolver, problem?: ExtendsProblem): ComposeService {
  const oldest = definitions[definitions.length - 1];
  const layers: ServiceLayer[] = [];
  let partial = false;
  for (const definition of definitions) {
    const read = definitionLayers(definition, resolve, problem);
    layers.push(...read.layers);
    partial ||= !read.complete;
  }
  const service: ComposeService = { file: oldest.file, name: oldest.name, pair: oldest.pair, node: oldest.node, layers, partial };
  if (!serviceField(service, 'image') && !serviceField(service, 'build')) service.partial = true;
  const image = serviceField(service, 'image')?.value;
  if (isScalar(image) && typeof image.value === 'string' && !isInterpolated(image.value)) service.image = image.value;
  return service;
}

/**
 * The Compose file a document is, if its root is a map without `apiVersion` or `kind` whose `services:` (when
 * there) maps names to maps. `services` holds each service as this file alone defines it. `strict` asks for a
 * `services:` map with at least one service, as a file must have to be taken for Compose by its content alone.
 */
export function readComposeFile(contents: unknown, doc: Document, text: string, path?: string, strict = false): ComposeFile | undefined {
  const root = deref(contents, doc);
  if (!isMap(root) || findPair(root, 'apiVersion') || findPair(root, 'kind')) return undefined;
  const servicesPair = findPair(root, 'services');
  const services = getMap(root, 'services', doc);
  if (strict ? !services : servicesPair && !services && !isNull(deref(servicesPair.value, doc))) return undefined;
  const entries = (services?.items ?? []).map(pair => [pair, deref(pair.value, doc)] as const);
  if (strict && !entries.length) return undefined;
  if (!entries.every(([, value]) => isMap(value) || isNull(value))) return undefined;
  const file: ComposeFile = { doc, root, text, path, definitions: new Map(), services: [] };
  for (const [pair, value] of entries) {
    const name = keyName(pair);
    if (name !== undefined && isMap(value)) file.definitions.set(name, { file, name, pair: pair as Pair<Scalar, unknown>, node: value });
  }
  file.services = [...file.definitions.values()].map(definition => mergedService([definition], () => undefined));
  return file;
}

const isNull = (value: unknown) => value === null || value === undefined || (isScalar(value) && value.value === null);

/** Is the document's root a Compose file: a `services:` map of service maps, and no `apiVersion` or `kind`? */
export function composeFile(contents: unknown, doc: Document, text: string): ComposeFile | undefined {
  return readComposeFile(contents, doc, text, undefined, true);
}

/**
 * Every place the service's `key` is written, nearest first (one per layer at most). A value tagged `!override`
 * replaces what older layers write, and `!reset` removes it, as in an override file.
 */
export function serviceFields(service: ComposeService, key: string): ServiceField[] {
  const fields: ServiceField[] = [];
  for (const [layer, { maps, file }] of service.layers.entries()) {
    const found = pairIn(maps, key);
    if (!found) continue;
    const value = deref(found[0].value, file.doc);
    const tag = (value as { tag?: string } | undefined)?.tag;
    if (tag === RESET) break;
    fields.push({ pair: found[0], owner: found[1], value, layer, file });
    if (tag === OVERRIDE) break;
  }
  return fields;
}

/** The `!reset` that removes the service's `key` before any layer sets it, if there is one: where a fix sets it again. */
export function serviceReset(service: ComposeService, key: string): ServiceField | undefined {
  for (const [layer, { maps, file }] of service.layers.entries()) {
    const found = pairIn(maps, key);
    if (!found) continue;
    const value = deref(found[0].value, file.doc);
    return (value as { tag?: string } | undefined)?.tag === RESET ? { pair: found[0], owner: found[1], value, layer, file } : undefined;
  }
  return undefined;
}

/** Where a missing key is reported: on its `!reset` when an override file removed it, else on the service's name. */
export function missingKeyAt(service: ComposeService, key: string): Node {
  return serviceReset(service, key)?.pair.key ?? service.pair.key;
}

/** Compose's merge tags: https://github.com/compose-spec/compose-spec/blob/main/13-merge.md#reset-value */
const RESET = '!reset';
const OVERRIDE = '!override';

/** Where the service's value of a scalar or mapping key comes from: its nearest definition. */
export function serviceField(service: ComposeService, key: string): ServiceField | undefined {
  return serviceFields(service, key)[0];
}

/** A scalar value as a string when it is written without variables; numbers as written. */
export function literalString(node: AnyNode): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  const text = typeof node.value === 'string' ? node.value : node.source ?? String(node.value);
  return isInterpolated(text) ? undefined : text;
}

/** The items of a sequence-valued key across every layer (the Compose merge appends them), with aliases followed. */
export function serviceListItems(service: ComposeService, key: string): { node: AnyNode; field: ServiceField }[] {
  return serviceFields(service, key).flatMap(field => (isSeq(field.value)
    ? field.value.items.map(item => ({ node: deref(item, field.file.doc), field }))
    : field.value ? [{ node: field.value, field }] : []));
}

/** `Service "web"`: how messages name a service. */
export function serviceLabel(service: ComposeService): string {
  return `Service "${service.name}"`;
}
