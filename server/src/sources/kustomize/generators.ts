// configMapGenerator and secretGenerator: ConfigMaps and Secrets made from literals, files and env files, and the
// content hash Kustomize appends to their names.
import { Origin, SourceFileSystem } from '../origin';
import { sha256Hex } from '../../gotemplate/sprig/hashes';
import { toBase64 } from '../../gotemplate/bytes';
import { get, getString, KMap, KNode, KScalar, scalar } from './tree';

export interface GeneratorInput {
  /** The generator's entry in the kustomization. */
  entry: KMap;
  kind: 'ConfigMap' | 'Secret';
  /** The `generated` origin every made node carries. */
  origin: Origin;
  /** Resolves a path of the generator against the kustomization directory (undefined when it may not be read). */
  resolvePath(path: string): string;
  fs: SourceFileSystem;
  filesRead: string[];
}

export class GeneratorError extends Error {}

export interface GeneratedData {
  /** Key -> text value (for Secrets, already base64). */
  data: [string, string][];
  binaryData: [string, string][];
  dataOrigins: Map<string, Origin>;
}

/** The key-value pairs of a generator entry, in the order Kustomize adds them: env files, literals, then files. */
export function generatorData(input: GeneratorInput): GeneratedData {
  const result: GeneratedData = { data: [], binaryData: [], dataOrigins: new Map() };
  const add = (key: string, bytes: Uint8Array | string, origin: Origin): void => {
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) throw new GeneratorError(`"${key}" is not a valid ${input.kind} key (letters, digits, "-", "_" and "." only)`);
    if (result.data.some(([k]) => k === key) || result.binaryData.some(([k]) => k === key)) throw new GeneratorError(`the key "${key}" is given twice in ${input.kind} generator "${getString(input.entry, 'name') ?? ''}"`);
    const text = typeof bytes === 'string' ? bytes : decodeUtf8(bytes);
    if (input.kind === 'Secret') result.data.push([key, base64(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes)]);
    else if (text === undefined) result.binaryData.push([key, base64(bytes as Uint8Array)]);
    else result.data.push([key, text]);
    result.dataOrigins.set(key, origin);
  };
  // `env:` is the older, single form of `envs:`; Kustomize reads it after them.
  const env = get(input.entry, 'env');
  for (const item of listOf(get(input.entry, 'envs')).concat(env?.kind === 'scalar' && env.value !== null ? [env] : listOf(env))) {
    const path = input.resolvePath(String(item.value));
    const text = readText(input, path);
    text.split('\n').forEach((rawLine, index) => {
      const line = (index === 0 ? rawLine.replace(/^\ufeff/, '') : rawLine).replace(/\r$/, '').replace(/^\s+/, '');
      if (line === '' || line.startsWith('#')) return;
      const equals = line.indexOf('=');
      // A line without "=" asks for a value from the environment, which a pure build does not have: skipped.
      if (equals < 0) return;
      add(line.slice(0, equals), line.slice(equals + 1), origin(item, input));
    });
  }
  for (const item of listOf(get(input.entry, 'literals'))) {
    const literal = String(item.value);
    const equals = literal.indexOf('=');
    if (equals < 0) throw new GeneratorError(`literal "${literal}" of ${input.kind} generator "${getString(input.entry, 'name') ?? ''}" has no "=" (key=value)`);
    add(literal.slice(0, equals), unquote(literal.slice(equals + 1)), origin(item, input));
  }
  for (const item of listOf(get(input.entry, 'files'))) {
    const source = String(item.value);
    const equals = source.indexOf('=');
    const key = equals >= 0 ? source.slice(0, equals) : source.slice(source.lastIndexOf('/') + 1);
    const path = input.resolvePath(equals >= 0 ? source.slice(equals + 1) : source);
    const bytes = input.fs.readBytes?.(path) ?? encodeText(input.fs.readFile(path));
    if (!bytes) throw new GeneratorError(`file "${source}" of ${input.kind} generator "${getString(input.entry, 'name') ?? ''}" does not exist`);
    input.filesRead.push(path);
    add(key, bytes, origin(item, input));
  }
  return result;
}

function origin(item: KNode, input: GeneratorInput): Origin {
  return item.origins[0] ?? input.origin;
}

function listOf(node: KNode | undefined): KScalar[] {
  if (!node || node.kind !== 'seq') return [];
  return node.items.filter((item): item is KScalar => item.kind === 'scalar' && item.value !== null);
}

function readText(input: GeneratorInput, path: string): string {
  const text = input.fs.readFile(path);
  if (text === undefined) throw new GeneratorError(`env file "${path}" of ${input.kind} generator "${getString(input.entry, 'name') ?? ''}" does not exist`);
  input.filesRead.push(path);
  return text;
}

function encodeText(text: string | undefined): Uint8Array | undefined {
  return text === undefined ? undefined : new TextEncoder().encode(text);
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Base64 as Kustomize writes it (api/kv encodeBase64): past 70 characters, in lines of 70, each ended by a newline. */
function base64(bytes: Uint8Array): string {
  const encoded = toBase64(bytes);
  const lineLength = 70;
  if (encoded.length <= lineLength) return encoded;
  const lines: string[] = [];
  for (let at = 0; at < encoded.length; at += lineLength) lines.push(encoded.slice(at, at + lineLength));
  return `${lines.join('\n')}\n`;
}

/** Kustomize drops one pair of matching quotes around a literal's value. */
function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) return value.slice(1, -1);
  return value;
}

/** The data map of a generated object, as nodes. */
export function dataNode(pairs: [string, string][], origins: Map<string, Origin>, fallback: Origin): KMap {
  return { kind: 'map', entries: pairs.map(([key, value]) => ({ key, value: scalar(value, [origins.get(key) ?? fallback]) })), origins: [fallback] };
}

/**
 * The name suffix Kustomize gives a generated ConfigMap or Secret: the first ten hex digits of a SHA-256 over a
 * JSON encoding of the object, with vowel-like digits replaced (kustomize api/hasher/hasher.go; kubectl
 * pkg/util/hash). Kustomize v5 encodes the name as empty and an empty data map as "" (checked against
 * `kubectl kustomize` v1.32).
 */
export function contentHash(object: KMap): string {
  const kind = getString(object, 'kind');
  const encoded: Record<string, unknown> = { kind, name: '' };
  const data = get(object, 'data');
  encoded.data = data?.kind === 'map' && data.entries.length > 0 ? stringMap(data) : '';
  if (kind === 'ConfigMap') {
    const binary = get(object, 'binaryData');
    if (binary?.kind === 'map' && binary.entries.length > 0) encoded.binaryData = stringMap(binary);
  } else {
    encoded.type = getString(object, 'type') ?? '';
  }
  const immutable = get(object, 'immutable');
  if (immutable?.kind === 'scalar' && typeof immutable.value === 'boolean') encoded.immutable = immutable.value;
  const hex = sha256Hex(goJson(encoded));
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c]!);
}

function stringMap(map: KMap): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of map.entries) result[entry.key] = entry.value.kind === 'scalar' ? (entry.value.value === null ? '' : String(entry.value.plain ? entry.value.raw : entry.value.value)) : '';
  return result;
}

/** JSON as Go's encoding/json writes it: map keys sorted, and <, >, &, U+2028 and U+2029 escaped. */
export function goJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((key) => `${goJson(key)}:${goJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
