// Values files (`values.yaml`, `-f` files) read as Helm reads them: YAML 1.1 through JSON, so every number is a
// float64 (a JavaScript number), keys are strings, anchors and merge keys are resolved, and a duplicate key keeps
// its last value. Each map entry and list item remembers where it was written, for the source map.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument, Scalar } from 'yaml';
import { DataOrigin, GoMap, setEntryOrigin, setOrigin } from '../../gotemplate/values';

/** How many nodes aliases may expand to in one file before it is refused as an alias bomb. */
const MAX_EXPANDED_NODES = 200_000;

export class ValuesError extends Error {
  constructor(message: string, readonly origin?: DataOrigin) { super(message); }
}

/** Parses a values file; an empty file is an empty map. Throws a ValuesError on bad YAML or a non-map document. */
export function readValues(text: string, file: string): GoMap {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, merge: true, lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const error = doc.errors[0];
    const { line } = lineCounter.linePos(error.pos[0]);
    throw new ValuesError(`error converting YAML to JSON: yaml: line ${line}: ${error.message.split('\n')[0]}`, { file, start: error.pos[0], end: error.pos[1] });
  }
  if (doc.contents === null) return {};
  const budget = { nodes: MAX_EXPANDED_NODES };
  const value = toGo(doc.contents as Node, file, budget, doc, text);
  if (value === null) return {};
  if (!isGoObject(value)) throw new ValuesError('error unmarshaling JSON: json: cannot unmarshal into Go value of type map[string]interface {}', originOfNode(doc.contents as Node, file));
  return value;
}

function isGoObject(value: unknown): value is GoMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function originOfNode(node: Node, file: string): DataOrigin | undefined {
  return node.range ? { file, start: node.range[0], end: node.range[1] } : undefined;
}

type Document = ReturnType<typeof parseDocument>;

function isWhiteSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function toGo(node: Node | null, file: string, budget: { nodes: number }, doc: Document, text: string): unknown {
  if (--budget.nodes < 0) throw new ValuesError('too many nodes after expanding aliases (an alias bomb?)');
  if (node === null) return null;
  if (isAlias(node)) return toGo(node.resolve(doc) as Node, file, budget, doc, text);
  if (isScalar(node)) return scalar(node);
  if (isSeq(node)) {
    const list: unknown[] = [];
    for (const item of node.items) {
      const index = list.push(toGo(item as Node, file, budget, doc, text)) - 1;
      const origin = originOfNode(item as Node, file);
      if (origin) setEntryOrigin(list, index, origin);
    }
    const origin = originOfNode(node, file);
    if (origin) setOrigin(list, origin);
    return list;
  }
  if (isMap(node)) {
    const map: GoMap = {};
    const merged: GoMap[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && (typeof keyNode.value === 'symbol' || keyNode.value === '<<')) {
        const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const source of sources) {
          const value = toGo(source as Node, file, budget, doc, text);
          if (isGoObject(value)) merged.push(value);
        }
        continue;
      }
      const key = keyText(keyNode, file, budget, doc, text);
      map[key] = toGo(pair.value as Node | null, file, budget, doc, text);
      const start = keyNode?.range?.[0];
      let end = (pair.value as Node | null)?.range?.[1] ?? keyNode?.range?.[1];
      if (start !== undefined && end !== undefined) {
        // A block value's range runs over the line breaks after it; the entry ends where its text does.
        while (end > start && isWhiteSpace(text[end - 1])) end--;
        setEntryOrigin(map, key, { file, start, end });
      }
    }
    // Merged maps fill in only the keys the map does not set itself; earlier sources win over later ones.
    for (const source of merged) for (const key of Object.keys(source)) if (!(key in map)) map[key] = source[key];
    const origin = originOfNode(node, file);
    if (origin) setOrigin(map, origin);
    return map;
  }
  return null;
}

function keyText(key: Node | null, file: string, budget: { nodes: number }, doc: Document, text: string): string {
  const value = toGo(key, file, budget, doc, text);
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function scalar(node: Scalar): unknown {
  const value = node.value;
  if (typeof value === 'bigint') return Number(value);
  // YAML 1.1 timestamps stay the text they were written as, as they do through JSON.
  if (value instanceof Date) return node.source ?? value.toISOString();
  if (value instanceof Uint8Array) return node.source ?? '';
  return value;
}
