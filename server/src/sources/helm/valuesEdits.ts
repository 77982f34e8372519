// Fixes made in a values file: the field set under the key a template reads, with the file's comments kept. A
// values file often carries the fix already, commented out (`helm create` writes `securityContext: {}` over
// `# readOnlyRootFilesystem: true`): such a line is uncommented rather than written a second time.
import { Document, isMap, isScalar, isSeq, Node, Pair, YAMLMap } from 'yaml';
import { lineEnd } from '../../engine/fixes/layout';
import { blockPair, flow, isValueMap, Value, ValueMap } from '../../engine/fixes/render';
import { editorFor, Unfixable } from '../../engine/fixes/yamlEdits';
import { OffsetEdit } from '../../engine/rule';

const keyOf = (pair: Pair): string | undefined => (isScalar(pair.key) ? String(pair.key.value) : undefined);

/** A key of a values file: found with its map, or the deepest map on its path and the keys still missing. */
export type ValuesPlace =
  | { found: true; map: YAMLMap; pair: Pair }
  | { found: false; map: YAMLMap; missing: string[] };

/** Where `path` is in a values document. */
export function valuesPlace(document: Document, path: readonly string[]): ValuesPlace | undefined {
  if (!isMap(document.contents)) return undefined;
  let map: YAMLMap = document.contents;
  for (let i = 0; i < path.length; i++) {
    const pair: Pair | undefined = map.items.find(p => keyOf(p) === path[i]);
    if (!pair) return { found: false, map, missing: path.slice(i) };
    if (i === path.length - 1) return { found: true, map, pair };
    if (!isMap(pair.value)) return undefined;
    map = pair.value;
  }
  return undefined;
}

/** The lines after a pair's key line that comment it out further: `  # key: value`, deeper than the key. */
function commentedLines(text: string, keyStart: number): { start: number; hash: number; content: string }[] {
  const keyColumn = keyStart - (text.lastIndexOf('\n', keyStart - 1) + 1);
  const lines: { start: number; hash: number; content: string }[] = [];
  for (let start = text.indexOf('\n', keyStart) + 1; start > 0 && start < text.length; ) {
    const end = text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start);
    const line = text.slice(start, end).replace(/\r$/, '');
    const indent = line.length - line.trimStart().length;
    if (line.trim() && indent <= keyColumn) break;
    if (line.trimStart().startsWith('#')) lines.push({ start, hash: start + indent, content: line.trimStart().replace(/^#\s?/, '') });
    start = end + 1;
  }
  return lines;
}

/** The commented line that sets `key` to exactly `value`, at `column` when one is given. */
function commentedPair(lines: ReturnType<typeof commentedLines>, key: string, value: Value, column?: number) {
  if (typeof value === 'object') return undefined;
  return lines.find(line => (column === undefined || line.hash - line.start === column)
    && line.content.startsWith(`${key}:`) && line.content.slice(key.length + 1).trim() === flow(value));
}

/** Removes the `# ` of a commented line, leaving its text at the column of the `#`. */
function uncomment(text: string, line: { hash: number }): OffsetEdit {
  const after = text[line.hash + 1] === ' ' ? 2 : 1;
  return { start: line.hash, end: line.hash + after, text: '' };
}

/** Edits that make the value of `pair` (in `map`) hold `desired`: merged into a map, appended to a list. */
export function setValue(text: string, document: Document, map: YAMLMap, pair: Pair, desired: Value): OffsetEdit[] {
  const editor = editorFor(text, document);
  const node = pair.value as Node | null;
  const empty = (isMap(node) || isSeq(node)) && node.flow && !node.items.length;
  if (isValueMap(desired) && isMap(node) && !node.flow) return mergeWithComments(text, document, node, desired);
  if (isValueMap(desired) && isMap(node) && empty) return fillEmptyMap(text, document, pair, desired);
  if (Array.isArray(desired) && isSeq(node) && !empty) return editor.merge(map, { [keyOf(pair)!]: desired });
  return [editor.replaceValue(map, pair, desired)];
}

/** Keys added to a block map; each one commented out below it at the map's column is uncommented instead. */
function mergeWithComments(text: string, document: Document, node: YAMLMap, desired: ValueMap): OffsetEdit[] {
  const first = node.items[0]?.key as Node | undefined;
  if (!first?.range) throw new Unfixable('an empty block map');
  const column = first.range[0] - (text.lastIndexOf('\n', first.range[0] - 1) + 1);
  const lines = commentedLines(text, first.range[0]);
  const edits: OffsetEdit[] = [];
  const rest: ValueMap = {};
  for (const [key, value] of Object.entries(desired)) {
    const commented = node.items.some(p => keyOf(p) === key) ? undefined : commentedPair(lines, key, value, column);
    if (commented) edits.push(uncomment(text, commented)); else rest[key] = value;
  }
  if (Object.keys(rest).length) edits.push(...editorFor(text, document).merge(node, rest));
  return edits;
}

/**
 * `key: {}` made a block map: the commented-out lines below it that set a desired key are uncommented, the other
 * keys follow the last of them at the same column; without such lines the map is written as a new block.
 */
function fillEmptyMap(text: string, document: Document, pair: Pair, desired: ValueMap): OffsetEdit[] {
  const editor = editorFor(text, document);
  const node = pair.value as YAMLMap;
  const keyNode = pair.key as Node;
  const lines = commentedLines(text, keyNode.range![0]);
  const uncommented = Object.entries(desired).map(([key, value]) => ({ key, value, line: commentedPair(lines, key, value) }));
  const found = uncommented.filter(u => u.line);
  if (!found.length) {
    const parent = document.contents;
    const holder = findHolder(parent, pair);
    if (!holder) throw new Unfixable('a pair outside any map');
    return [editor.replaceValue(holder, pair, desired)];
  }
  const column = found[0].line!.hash - found[0].line!.start;
  if (found.some(u => u.line!.hash - u.line!.start !== column)) throw new Unfixable('commented lines at different columns');
  const colon = text.indexOf(':', keyNode.range![1]);
  const edits: OffsetEdit[] = [{ start: colon + 1, end: node.range![1], text: '' }];
  for (const u of found) edits.push(uncomment(text, u.line!));
  const last = found.map(u => u.line!).sort((a, b) => b.start - a.start)[0];
  const at = lineEnd(text, last.start);
  const added = uncommented.filter(u => !u.line)
    .map(u => `${editor.layout.eol}${' '.repeat(column)}${blockPair(u.key, u.value, column, editor.layout)}`).join('');
  if (added) edits.push({ start: at, end: at, text: added });
  return edits;
}

/** The map holding a pair. */
function findHolder(node: unknown, pair: Pair): YAMLMap | undefined {
  if (isMap(node)) {
    if (node.items.includes(pair)) return node;
    for (const p of node.items) { const found = findHolder(p.value, pair); if (found) return found; }
  } else if (isSeq(node)) {
    for (const item of node.items) { const found = findHolder(item, pair); if (found) return found; }
  }
  return undefined;
}

/** Edits that add a path missing from a values file, as nested maps under the deepest map that exists. */
export function addValue(text: string, document: Document, map: YAMLMap, missing: readonly string[], value: Value): OffsetEdit[] {
  let nested = value;
  for (const key of [...missing.slice(1)].reverse()) nested = { [key]: nested };
  return editorFor(text, document).merge(map, { [missing[0]]: nested });
}
