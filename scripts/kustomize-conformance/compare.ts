// Compares two `kustomize build` outputs as parsed objects, document by document, and says where they differ.
import { parseAllDocuments } from 'yaml';

export function parseStream(text: string): unknown[] {
  const documents = parseAllDocuments(text, { uniqueKeys: false });
  if (!Array.isArray(documents)) return [];
  return documents.map((document) => document.toJS({ maxAliasCount: -1 }) as unknown).filter((object) => object !== null);
}

/** The first difference between the two streams, or undefined when they hold the same objects in the same order. */
export function firstDifference(actual: unknown[], expected: unknown[]): string | undefined {
  for (let index = 0; index < Math.max(actual.length, expected.length); index++) {
    if (index >= actual.length) return `missing document ${index + 1}: ${describe(expected[index])}`;
    if (index >= expected.length) return `extra document ${index + 1}: ${describe(actual[index])}`;
    const difference = diff(actual[index], expected[index], '');
    if (difference !== undefined) return `document ${index + 1} (${describe(expected[index])}) at ${difference}`;
  }
  return undefined;
}

function describe(object: unknown): string {
  const o = object as { kind?: string; metadata?: { name?: string } } | null;
  return `${o?.kind ?? '?'} ${o?.metadata?.name ?? '?'}`;
}

function diff(actual: unknown, expected: unknown, path: string): string | undefined {
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return `${path || '/'}: ${short(actual)} != ${short(expected)}`;
    if (actual.length !== expected.length) return `${path || '/'}: ${actual.length} items != ${expected.length}`;
    for (let i = 0; i < actual.length; i++) {
      const d = diff(actual[i], expected[i], `${path}/${i}`);
      if (d) return d;
    }
    return undefined;
  }
  if (isObject(expected) || isObject(actual)) {
    if (!isObject(expected) || !isObject(actual)) return `${path || '/'}: ${short(actual)} != ${short(expected)}`;
    for (const key of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
      if (!(key in actual)) return `${path}/${key}: missing (expected ${short(expected[key])})`;
      if (!(key in expected)) return `${path}/${key}: unexpected ${short(actual[key])}`;
      const d = diff(actual[key], expected[key], `${path}/${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(actual, expected) || (actual instanceof Uint8Array && expected instanceof Uint8Array && Buffer.compare(actual, expected) === 0) ? undefined : `${path || '/'}: ${short(actual)} != ${short(expected)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
