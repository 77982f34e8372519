// Small typed accessors over the `yaml` package's document nodes. Aliases are followed, so a rule reads
// `*anchor` the way Kubernetes would after expansion, while positions still come from the source nodes.
import { Document, isAlias, isMap, isPair, isScalar, isSeq, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

export type AnyNode = Node | null | undefined;

/** Follows an alias to the node its anchor names; at most `depth` hops, so a self-referencing alias ends. */
export function deref(node: unknown, doc: Document, depth = 8): AnyNode {
  let current = node;
  for (let i = 0; i < depth && isAlias(current); i++) current = current.resolve(doc);
  return isAlias(current) ? undefined : (current as AnyNode);
}

export function keyName(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

export function findPair(map: AnyNode, key: string): Pair<Scalar, unknown> | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (isScalar(item.key) && String(item.key.value) === key) return item as Pair<Scalar, unknown>;
  }
  return undefined;
}

export function getNode(map: AnyNode, key: string, doc: Document): AnyNode {
  return deref(findPair(map, key)?.value, doc);
}

export function getMap(map: AnyNode, key: string, doc: Document): YAMLMap | undefined {
  const node = getNode(map, key, doc);
  return isMap(node) ? node : undefined;
}

export function getSeq(map: AnyNode, key: string, doc: Document): YAMLSeq | undefined {
  const node = getNode(map, key, doc);
  return isSeq(node) ? node : undefined;
}

/** The scalar's value, or undefined when the node is not a scalar. */
export function scalarValue(node: AnyNode): unknown {
  return isScalar(node) ? node.value : undefined;
}

export function getScalar(map: AnyNode, key: string, doc: Document): unknown {
  return scalarValue(getNode(map, key, doc));
}

export function getString(map: AnyNode, key: string, doc: Document): string | undefined {
  const value = getScalar(map, key, doc);
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** Items of a sequence with aliases followed. */
export function seqItems(seq: YAMLSeq | undefined, doc: Document): AnyNode[] {
  return seq ? seq.items.map(item => deref(item, doc)) : [];
}

/** [start, end) offsets of a node or a whole `key: value` pair in the text that was parsed. */
export function spanOf(target: Node | Pair): [number, number] {
  if (isPair(target)) {
    const key = target.key as Node | null;
    const value = target.value as Node | null;
    const start = key?.range?.[0] ?? value?.range?.[0] ?? 0;
    const end = value?.range?.[1] ?? key?.range?.[1] ?? start;
    return [start, end];
  }
  const range = target.range;
  return range ? [range[0], range[1]] : [0, 0];
}
