// Minimal text edits on parsed YAML: every edit is computed from node offsets and touches only the text it
// changes, so comments, key order, quoting, flow or block style and everything around the edit stay as written.
// Each edit also says what it changes in the parsed document (its `changes`), for the check every fix passes.
import { Document, isAlias, isCollection, isMap, isScalar, isSeq, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { OffsetEdit } from '../rule';
import { PathSegment } from '../types';
import { findPair } from '../yamlNodes';
import { column, contentEnd, dashOffset, detectLayout, itemStyle, Layout, lineEnd, lineStart, nextLineStart } from './layout';
import { blockItems, blockPair, blockValue, flow, isValueMap, Value, ValueMap } from './render';

/** Thrown where no edit would be safe (e.g. the value to change is an alias); the fix is then not offered. */
export class Unfixable extends Error {}

function rangeOf(node: unknown): [number, number, number] {
  const range = (node as Node | null)?.range;
  if (!range) throw new Unfixable('a node without a position');
  return range;
}

/** Where the text of a pair ends: its value's end, or its key's when the value is empty. */
function pairEnd(pair: Pair): number {
  const value = pair.value as Node | null;
  return value?.range ? Math.max(value.range[1], rangeOf(pair.key)[1]) : rangeOf(pair.key)[1];
}

/** The key of a pair as the parsed object spells it; undefined for a key that is not a scalar, or a `<<` merge key (a symbol). */
function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) && typeof pair.key.value !== 'symbol' ? String(pair.key.value) : undefined;
}

/**
 * The path from the document's root to each collection and scalar of it. A node under a `<<` merge key or a key
 * that is not a scalar has no path of its own in the parsed object, and one with an anchor (or under one) may be
 * repeated by aliases elsewhere, so an edit there would change more than its path: these get none.
 */
function nodePaths(doc: Document): Map<unknown, PathSegment[]> {
  const paths = new Map<unknown, PathSegment[]>();
  const pending: [unknown, PathSegment[]][] = [[doc.contents, []]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, path] = next;
    if ((!isCollection(node) && !isScalar(node)) || node.anchor) continue;
    paths.set(node, path);
    if (isSeq(node)) node.items.forEach((item, i) => pending.push([item, [...path, i]]));
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyOf(pair);
        if (key !== undefined) pending.push([pair.value, [...path, key]]);
      }
    }
  }
  return paths;
}

export interface MergeOptions {
  /** Text the same fix removes: nothing is inserted inside it, so the fix's edits never overlap. */
  removed?: readonly OffsetEdit[];
}

export class YamlEditor {
  readonly layout: Layout;
  private paths?: Map<unknown, PathSegment[]>;

  constructor(readonly text: string, readonly doc: Document) {
    this.layout = detectLayout(text, doc);
  }

  /** Where `node` sits in the parsed document: the path a change to it names. */
  pathOf(node: Node): PathSegment[] {
    this.paths ??= nodePaths(this.doc);
    const path = this.paths.get(node);
    if (!path) throw new Unfixable('a node with no path of its own (anchored, or under an anchor or a merge key)');
    return path;
  }

  private pairPath(map: YAMLMap, pair: Pair): PathSegment[] {
    const key = keyOf(pair);
    if (key === undefined) throw new Unfixable('a key that is not a scalar');
    return [...this.pathOf(map), key];
  }

  /**
   * Makes `map` hold `desired`: missing keys are added after the last pair, nested maps merged, lists of words
   * completed, other values replaced. Edits nested deeper come first, so insertions at one offset nest right.
   */
  merge(map: YAMLMap, desired: ValueMap, options: MergeOptions = {}): OffsetEdit[] {
    const edits: OffsetEdit[] = [];
    const missing: [string, Value][] = [];
    for (const [key, value] of Object.entries(desired)) {
      const pair = findPair(map, key);
      if (!pair) { missing.push([key, value]); continue; }
      if (isAlias(pair.value)) throw new Unfixable(`${key} is an alias`);
      const node = pair.value as Node | null;
      if (isValueMap(value) && isMap(node)) edits.push(...this.merge(node, value, options));
      else if (Array.isArray(value) && isSeq(node)) edits.push(...this.appendMissing(node, value, options));
      else if (!(isScalar(node) && node.value === value)) edits.push(this.replaceValue(map, pair, value));
    }
    if (missing.length) edits.push(this.insertPairs(map, missing, options));
    return edits;
  }

  /** Adds the words of `desired` that the list lacks, and every map of it. */
  private appendMissing(seq: YAMLSeq, desired: Value[], options: MergeOptions): OffsetEdit[] {
    const present = new Set(seq.items.map(item => (isScalar(item) ? item.value : undefined)));
    const missing = desired.filter(item => typeof item === 'object' || !present.has(item));
    return missing.length ? [this.appendItems(seq, missing, options)] : [];
  }

  /** The end of the line where a node's text ends, moved above any text the fix removes. */
  private insertionPoint(end: number, options: MergeOptions): number {
    let at = lineEnd(this.text, contentEnd(this.text, end));
    for (;;) {
      const removal = options.removed?.find(r => r.start <= at && at < r.end);
      if (!removal) return at;
      const above = lineEnd(this.text, contentEnd(this.text, removal.start));
      if (above >= at) throw new Unfixable('no line outside the removed text');
      at = above;
    }
  }

  /** New pairs after the last pair of a map, in the map's own style. */
  insertPairs(map: YAMLMap, entries: [string, Value][], options: MergeOptions = {}): OffsetEdit {
    const path = this.pathOf(map);
    const changes = entries.map(([key, value]) => ({ path: [...path, key], kind: 'set' as const, value }));
    if (map.flow) {
      const last = map.items[map.items.length - 1];
      const text = entries.map(([key, value]) => `${key}: ${flow(value)}`).join(', ');
      if (!last) return { start: rangeOf(map)[0] + 1, end: rangeOf(map)[0] + 1, text, changes };
      const at = pairEnd(last);
      return { start: at, end: at, text: `, ${text}`, changes };
    }
    const last = map.items[map.items.length - 1];
    if (!last) throw new Unfixable('an empty block map');
    const keyColumn = column(this.text, rangeOf(map.items[0].key)[0]);
    const at = this.insertionPoint(pairEnd(last), options);
    if (at < rangeOf(map.items[0].key)[0]) throw new Unfixable('the fix removes the whole map');
    const { eol } = this.layout;
    const text = entries.map(([key, value]) => `${eol}${' '.repeat(keyColumn)}${blockPair(key, value, keyColumn, this.layout)}`).join('');
    return { start: at, end: at, text, changes };
  }

  /** Replaces the value of `pair` in `map`, keeping the key and what follows the value on its line. */
  replaceValue(map: YAMLMap, pair: Pair, value: Value): OffsetEdit {
    const node = pair.value as Node | null;
    const changes = [{ path: this.pairPath(map, pair), kind: 'set' as const, value }];
    const rendered = typeof value !== 'object' || map.flow;
    if (rendered && isScalar(node) && node.range && node.range[0] < node.range[1]) {
      return { start: node.range[0], end: node.range[1], text: flow(value), changes };
    }
    const keyStart = rangeOf(pair.key)[0];
    const colon = this.text.indexOf(':', rangeOf(pair.key)[1]);
    if (colon < 0) throw new Unfixable('no colon after the key');
    const end = Math.max(colon + 1, node?.range ? contentEnd(this.text, node.range[1]) : colon + 1);
    const text = map.flow ? ` ${flow(value)}` : blockValue(value, column(this.text, keyStart), this.layout);
    return { start: colon + 1, end, text, changes };
  }

  /** New items at the end of a sequence, in its own style and at its own indentation. */
  appendItems(seq: YAMLSeq, items: Value[], options: MergeOptions = {}): OffsetEdit {
    const path = this.pathOf(seq);
    const changes = items.map((value, i) => ({ path: [...path, seq.items.length + i], kind: 'set' as const, value }));
    const lastIndex = seq.items.length - 1;
    const last = seq.items[lastIndex];
    if (seq.flow) {
      const text = items.map(flow).join(', ');
      if (!last) return { start: rangeOf(seq)[0] + 1, end: rangeOf(seq)[0] + 1, text, changes };
      const at = rangeOf(last)[1];
      return { start: at, end: at, text: `, ${text}`, changes };
    }
    if (!last) throw new Unfixable('an empty block sequence');
    // New items copy the last one that has content (a dash alone may have none): its content on the dash's line or
    // below it; their dashes go at the last item's column.
    const style = seq.items.map((_, i) => itemStyle(this.text, seq, i)).filter(found => found).pop();
    if (!style) throw new Unfixable('a sequence of empty items');
    const at = this.insertionPoint(rangeOf(last)[1], options);
    const text = blockItems(items, column(this.text, dashOffset(seq, lastIndex)), style, this.layout);
    return { start: at, end: at, text, changes };
  }

  /** Replaces part of a scalar's text as written (quotes and escapes stay as they are around it). */
  editScalar(node: Scalar, from: number, to: number, text: string): OffsetEdit {
    const [start, end] = rangeOf(node);
    if (from < 0 || to > end - start || from > to) throw new Unfixable('an edit outside the scalar');
    return { start: start + from, end: start + to, text, changes: [{ path: this.pathOf(node), kind: 'edited' }] };
  }

  /** Removes a pair: its whole lines in a block map, the pair and one comma in a flow map. */
  removePair(map: YAMLMap, pair: Pair): OffsetEdit {
    const keyStart = rangeOf(pair.key)[0];
    const end = pairEnd(pair);
    const changes = [{ path: this.pairPath(map, pair), kind: 'removed' as const }];
    if (map.flow) {
      const index = map.items.indexOf(pair);
      if (index > 0) return { start: pairEnd(map.items[index - 1]), end, text: '', changes };
      const next = map.items[index + 1];
      return { start: keyStart, end: next ? rangeOf(next.key)[0] : end, text: '', changes };
    }
    return { ...this.removeLines(keyStart, end), changes };
  }

  /** Removes an item of a block or flow sequence. */
  removeItem(seq: YAMLSeq, index: number): OffsetEdit {
    const [start, end] = rangeOf(seq.items[index]);
    const changes = [{ path: [...this.pathOf(seq), index], kind: 'removed' as const }];
    if (seq.flow) {
      if (index > 0) return { start: rangeOf(seq.items[index - 1])[1], end, text: '', changes };
      const next = seq.items[index + 1];
      return { start, end: next ? rangeOf(next)[0] : end, text: '', changes };
    }
    return { ...this.removeLines(dashOffset(seq, index), end), changes };
  }

  /** Removes the lines from the one holding `start` to the one holding the content before `end`. */
  private removeLines(start: number, end: number): OffsetEdit {
    const first = lineStart(this.text, start);
    if (this.text.slice(first, start).trim()) throw new Unfixable('other content on the line');
    const after = nextLineStart(this.text, contentEnd(this.text, end));
    if (after < this.text.length || this.text.endsWith('\n') || first === 0) return { start: first, end: after, text: '' };
    // The removed lines end the file without a line break: the break before them goes, so none is added.
    return { start: first - (this.text[first - 2] === '\r' ? 2 : 1), end: after, text: '' };
  }
}

const EDITORS = new WeakMap<Document, YamlEditor>();

/** One editor per parsed document, so the layout is read once however many fixes it offers. */
export function editorFor(text: string, doc: Document): YamlEditor {
  let editor = EDITORS.get(doc);
  if (!editor) { editor = new YamlEditor(text, doc); EDITORS.set(doc, editor); }
  return editor;
}
