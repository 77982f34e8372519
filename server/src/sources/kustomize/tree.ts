// The renderer's object model: YAML nodes that remember where they came from. Every node read from a file carries
// a `literal` origin at its span there; patches append their own origins to the nodes they set or merge, and
// transformers append `generated` origins pointing at the kustomization field that asked for the change.
import { Origin } from '../origin';

export interface KMap {
  kind: 'map';
  entries: KEntry[];
  origins: Origin[];
}

export interface KEntry {
  key: string;
  value: KNode;
}

export interface KSeq {
  kind: 'seq';
  items: KNode[];
  origins: Origin[];
}

/**
 * A scalar. `plain` scalars keep their source text (`raw`) so numbers, booleans and nulls print as written;
 * the others are strings and print quoted as needed.
 */
export interface KScalar {
  kind: 'scalar';
  plain: boolean;
  raw: string;
  /** The value as the YAML core schema reads it (a string for non-plain scalars). */
  value: unknown;
  origins: Origin[];
}

export type KNode = KMap | KSeq | KScalar;

export function literalOrigin(file: string, start: number, end: number): Origin {
  return { kind: 'literal', span: { file, start, end } };
}

/** A plain scalar, its value read as the YAML 1.2 core schema reads it. */
export function plainScalar(raw: string, origins: Origin[]): KScalar {
  // Most scalars are words: only these first characters can start a null, a boolean or a number.
  if (!/^[-+.~0-9nNtTfF]/.test(raw) && raw !== '') return { kind: 'scalar', plain: true, raw, value: raw, origins };
  if (raw === '' || raw === '~' || /^(?:null|Null|NULL)$/.test(raw)) return { kind: 'scalar', plain: true, raw: 'null', value: null, origins };
  if (/^(?:true|True|TRUE)$/.test(raw)) return { kind: 'scalar', plain: true, raw, value: true, origins };
  if (/^(?:false|False|FALSE)$/.test(raw)) return { kind: 'scalar', plain: true, raw, value: false, origins };
  // Kustomize reads YAML 1.1 octals (`0755`, as in a volume's defaultMode) as numbers and writes them in decimal.
  const octal = /^([-+]?)0o?([0-7]+)$/.exec(raw);
  if (octal && raw !== '0') {
    const value = Number.parseInt(`${octal[1]}${octal[2]}`, 8);
    return { kind: 'scalar', plain: true, raw: String(value), value, origins };
  }
  if (/^[-+]?[0-9]+$/.test(raw) || /^0x[0-9a-fA-F]+$/.test(raw)) return { kind: 'scalar', plain: true, raw, value: Number(raw), origins };
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(raw)) return { kind: 'scalar', plain: true, raw, value: Number.parseFloat(raw), origins };
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(raw)) return { kind: 'scalar', plain: true, raw, value: raw.startsWith('-') ? -Infinity : Infinity, origins };
  if (/^\.(?:nan|NaN|NAN)$/.test(raw)) return { kind: 'scalar', plain: true, raw, value: NaN, origins };
  return { kind: 'scalar', plain: true, raw, value: raw, origins };
}

/** A scalar made by the renderer: strings stay strings, numbers and booleans print as such. */
export function scalar(value: string | number | boolean | null, origins: Origin[]): KScalar {
  if (typeof value === 'string') return { kind: 'scalar', plain: false, raw: value, value, origins };
  return { kind: 'scalar', plain: true, raw: value === null ? 'null' : String(value), value, origins };
}

export function emptyMap(origins: Origin[]): KMap {
  return { kind: 'map', entries: [], origins };
}

export function get(node: KNode | undefined, key: string): KNode | undefined {
  if (!node || node.kind !== 'map') return undefined;
  return node.entries.find((entry) => entry.key === key)?.value;
}

export function getPath(node: KNode | undefined, path: readonly string[]): KNode | undefined {
  let current = node;
  for (const key of path) current = get(current, key);
  return current;
}

export function getString(node: KNode | undefined, key: string): string | undefined {
  const value = get(node, key);
  return value?.kind === 'scalar' && value.value !== null ? String(value.value) : undefined;
}

export function set(map: KMap, key: string, value: KNode): void {
  const entry = map.entries.find((e) => e.key === key);
  if (entry) entry.value = value;
  else map.entries.push({ key, value });
}

export function remove(map: KMap, key: string): boolean {
  const index = map.entries.findIndex((e) => e.key === key);
  if (index < 0) return false;
  map.entries.splice(index, 1);
  return true;
}

/** The map at `key` of `map`, created (with `origins`) when absent or not a map. */
export function ensureMap(map: KMap, key: string, origins: Origin[]): KMap {
  const existing = get(map, key);
  if (existing?.kind === 'map') return existing;
  const created = emptyMap(origins);
  set(map, key, created);
  return created;
}

export function clone<T extends KNode>(node: T): T {
  if (node.kind === 'map') return { ...node, entries: node.entries.map((e) => ({ key: e.key, value: clone(e.value) })), origins: [...node.origins] } as T;
  if (node.kind === 'seq') return { ...node, items: node.items.map(clone), origins: [...node.origins] } as T;
  return { ...node, origins: [...node.origins] } as T;
}

/** The plain JavaScript value of a node (maps as objects, in key order). */
export function toJs(node: KNode): unknown {
  if (node.kind === 'map') {
    const result: Record<string, unknown> = {};
    for (const entry of node.entries) result[entry.key] = toJs(entry.value);
    return result;
  }
  if (node.kind === 'seq') return node.items.map(toJs);
  return node.value;
}

/** A node for a plain JavaScript value (from a JSON patch's value), every part with `origins`. */
export function fromJs(value: unknown, origins: Origin[]): KNode {
  if (Array.isArray(value)) return { kind: 'seq', items: value.map((v) => fromJs(v, origins)), origins };
  if (value !== null && typeof value === 'object') {
    return { kind: 'map', entries: Object.entries(value).map(([key, v]) => ({ key, value: fromJs(v, origins) })), origins };
  }
  return scalar(value as string | number | boolean | null, origins);
}

/** Appends `origin` to the node's origins unless it is already the last one. */
export function addOrigin(node: KNode, origin: Origin | undefined): void {
  if (!origin) return;
  const last = node.origins[node.origins.length - 1];
  if (last && last.kind === origin.kind && last.span.file === origin.span.file && last.span.start === origin.span.start && last.span.end === origin.span.end) return;
  node.origins.push(origin);
}
