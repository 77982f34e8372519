// The Compose model: a Compose file's services, each read the way `docker compose config` would read it
// from one file: its own keys, then those its YAML merge keys (`<<: *defaults`) bring in, then its `extends`
// base in the same file, merged as the Compose Specification merges them (scalars and mappings from the
// nearest definition, sequences such as `cap_add` or `security_opt` appended). Positions stay those of the
// nodes as written, so a finding or a fix lands where a value is defined: in the anchor or the base.
// Spec: https://github.com/compose-spec/compose-spec/blob/main/spec.md, /05-services.md#extends, /13-merge.md
import { Document, isMap, isScalar, isSeq, Pair, Scalar, YAMLMap } from 'yaml';
import { AnyNode, deref, findPair, getMap, keyName } from '../yamlNodes';

export interface ComposeFile {
  doc: Document;
  root: YAMLMap;
  services: ComposeService[];
}

/** One place a key of a service is written, nearest first: the service, a merged anchor, a base it extends. */
export interface ServiceField {
  pair: Pair<Scalar, unknown>;
  /** The value with aliases followed. */
  value: AnyNode;
  /** The map that holds the pair: where a fix changes it. */
  owner: YAMLMap;
  /** 0 for the service itself (with its merge keys), 1 for its `extends` base, and so on. */
  layer: number;
}

export interface ComposeService {
  file: ComposeFile;
  name: string;
  /** The `name:` pair under `services:`. */
  pair: Pair<Scalar, unknown>;
  node: YAMLMap;
  /** The maps the service is read from, by layer: each layer is a map followed by the maps it merges. */
  layers: YAMLMap[][];
  /** The image when it is written without variables, else undefined. */
  image?: string;
  /**
   * It extends a service of another file (or one that is not there), or it has neither `image` nor `build`,
   * which a service that runs must have (it is then a part that an override file adds to a service of another
   * file): a key it lacks may be set there, so only the values it has are checked here.
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

/**
 * What a service extends: the name of a service of the same file (`extends: base`, `extends: {service: base}`),
 * `elsewhere` for one in another file (or not readable), or undefined when it extends nothing.
 */
function extended(maps: readonly YAMLMap[], doc: Document): string | typeof ELSEWHERE | undefined {
  const found = pairIn(maps, 'extends');
  if (!found) return undefined;
  const value = deref(found[0].value, doc);
  if (isScalar(value)) return typeof value.value === 'string' ? value.value : ELSEWHERE;
  if (!isMap(value) || findPair(value, 'file')) return ELSEWHERE;
  const service = deref(findPair(value, 'service')?.value, doc);
  return isScalar(service) && typeof service.value === 'string' ? service.value : ELSEWHERE;
}

const ELSEWHERE = Symbol('another file');

/** Is the document's root a Compose file: a `services:` map of service maps, and no `apiVersion` or `kind`? */
export function composeFile(contents: unknown, doc: Document): ComposeFile | undefined {
  const root = deref(contents, doc);
  if (!isMap(root) || findPair(root, 'apiVersion') || findPair(root, 'kind')) return undefined;
  const services = getMap(root, 'services', doc);
  if (!services) return undefined;
  const entries = services.items.map(pair => [pair, deref(pair.value, doc)] as const);
  if (!entries.length || !entries.every(([, value]) => isMap(value) || value === null || (isScalar(value) && value.value === null))) return undefined;
  const file: ComposeFile = { doc, root, services: [] };
  const byName = new Map(entries.flatMap(([pair, value]) => {
    const name = keyName(pair);
    return name !== undefined && isMap(value) ? [[name, { pair: pair as Pair<Scalar, unknown>, node: value }] as const] : [];
  }));
  for (const [name, { pair, node }] of byName) {
    const layers: YAMLMap[][] = [];
    const visited = new Set<string>();
    let partial = false;
    for (let current: YAMLMap | undefined = node, at = name; current && !visited.has(at);) {
      visited.add(at);
      const maps = withMerged(current, doc);
      layers.push(maps);
      const base = extended(maps, doc);
      if (base === undefined) break;
      current = base === ELSEWHERE ? undefined : byName.get(base)?.node;
      partial = !current;
      if (typeof base === 'string') at = base;
    }
    const service: ComposeService = { file, name, pair, node, layers, partial };
    if (!serviceField(service, 'image') && !serviceField(service, 'build')) service.partial = true;
    const image = serviceField(service, 'image')?.value;
    if (isScalar(image) && typeof image.value === 'string' && !isInterpolated(image.value)) service.image = image.value;
    file.services.push(service);
  }
  return file;
}

/** Every place the service's `key` is written, nearest first (one per layer at most). */
export function serviceFields(service: ComposeService, key: string): ServiceField[] {
  const { doc } = service.file;
  return service.layers.flatMap((maps, layer) => {
    const found = pairIn(maps, key);
    return found ? [{ pair: found[0], owner: found[1], value: deref(found[0].value, doc), layer }] : [];
  });
}

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
  const { doc } = service.file;
  return serviceFields(service, key).flatMap(field => (isSeq(field.value)
    ? field.value.items.map(item => ({ node: deref(item, doc), field }))
    : field.value ? [{ node: field.value, field }] : []));
}

/** `Service "web"`: how messages name a service. */
export function serviceLabel(service: ComposeService): string {
  return `Service "${service.name}"`;
}
