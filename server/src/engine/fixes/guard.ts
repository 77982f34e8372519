// The check every fix passes before it is offered: its result parses as the analysis parses it, and differs
// from the text it was computed on exactly at the paths the fix names (see semanticCheck.ts), with no
// volumeMount left naming a volume its pod lacks. A fix that fails it is a bug, never the user's problem.
import { Document, isCollection, isMap, Node, visit, YAMLMap, YAMLSeq } from 'yaml';
import { parseBounded } from '../limits';
import { FixSpec } from '../rule';
import { FixChange, PathSegment } from '../types';
import { applyOffsetEdits } from './apply';
import { contentEnd, lineEnd, lineStart } from './layout';
import { danglingVolumeMounts, diffObjects, formatPath, sameValue, unexplainedDifferences } from './semanticCheck';

/** The documents of a text parsed as the analysis parses them, or why they cannot be. */
export function parseForCheck(text: string): Document[] | string {
  const docs = parseBounded(text, { version: '1.1' });
  if (!Array.isArray(docs)) return 'it nests too deeply';
  const broken = docs.find(doc => doc.errors.length);
  return broken ? `it is not valid YAML: ${broken.errors[0].message.split('\n')[0]}` : docs;
}

/**
 * A document as the plain object Kubernetes would receive. Aliases are expanded: analysis bounded them already.
 * A key that is a collection becomes its text, as `yaml` warns on stderr: the check needs no warning.
 */
export function documentValue(doc: Document): unknown {
  doc.options.logLevel = 'error';
  return doc.toJS({ maxAliasCount: -1 });
}

/** A document that does not parse, as a value: left to the parse-error rule, and not compared. */
export const BROKEN = Symbol('a document that does not parse');

/** The values of documents, BROKEN for those with a syntax error. */
export function documentValues(docs: readonly Document[]): unknown[] {
  return docs.map(doc => (doc.errors.length ? BROKEN : documentValue(doc)));
}

/**
 * What is wrong with `after` as the text of `before` (documents and their values) with `changesOf(i)` made to
 * its i-th document; empty when nothing is. `at` is where the documents sit when they are a part of one.
 */
export function resultProblems(before: readonly unknown[], after: string, changesOf: (index: number) => readonly FixChange[], at: PathSegment[] = []): string[] {
  const docs = parseBounded(after, { version: '1.1' });
  if (!Array.isArray(docs)) return ['the result does not parse: it nests too deeply'];
  if (docs.length !== before.length) return [`the result has ${docs.length} documents instead of ${before.length}`];
  return docs.flatMap((doc, i) => {
    if (before[i] === BROKEN) return [];
    if (doc.errors.length) return [`the result does not parse: it is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`];
    const value = documentValue(doc);
    const changes = changesOf(i);
    if (!changes.length) return diffObjects(before[i], value, at).map(d => `document ${i + 1} changed at ${formatPath(d.path)}`);
    const dangling = new Set(danglingVolumeMounts(before[i], at));
    return [
      ...unexplainedDifferences(before[i], value, changes, at),
      ...danglingVolumeMounts(value, at).filter(mount => !dangling.has(mount)).map(mount => `${mount} names no volume of its pod`),
    ];
  });
}

/**
 * Up to this many characters, a fix is checked on its whole document. In a larger one (a List of a thousand
 * Deployments) it is checked on the largest collection of at most this size that holds all its edits, so the check
 * costs the size of one object rather than the document's for every fix. A fix that no such part holds is not
 * offered (see TOO_LARGE): checking it would cost a parse of the whole large document per fix.
 */
const CHECKED_TEXT = 32_768;

/** A fix that a part of at most this size holds (most hold to one container) is checked on that part alone. */
const SMALL_PART = 4_096;

/**
 * The verdict on a fix that cannot be checked: no part of at most CHECKED_TEXT characters holds it, or its
 * document does not convert to a plain object (an alias before its anchor). Not offered, and no bug.
 */
export const UNCHECKED = 'cannot be checked';

/**
 * A collection whose text parses on its own: a block collection's lines with the dashes before its first line made
 * spaces, or a flow collection's brackets. From `start` to `end` of the text, `text` as parsed, and `dashes`
 * where those dashes end, if there are any.
 */
interface Region { start: number; end: number; text: string; path: PathSegment[]; value: unknown; dashes?: number }

/** A child of a collection with a range: its key or index, the node, and the node's range. */
interface Child { segment: PathSegment; node: Node; start: number; end: number }

/** Checks the fixes offered on one document of a chunk: `docs` are the chunk's documents, `index` the document's. */
export class FixGuard {
  private values?: unknown[];
  private readonly regions = new Map<Node, Region | undefined>();
  /** The children of each collection walked, in source order, for childHolding; made once per collection. */
  private readonly childrenOf = new Map<Node, Child[]>();
  /** The verdict on each fix, for a fix that several findings offer ("Harden container ...", computed once). */
  private readonly verdicts = new Map<FixSpec, string | undefined>();

  constructor(private readonly text: string, private readonly docs: readonly Document[], private readonly index: number) {}

  /** Why `fix` must not be offered (UNCHECKED when it cannot be checked), or undefined when it may be. */
  problem(fix: FixSpec): string | undefined {
    if (!this.verdicts.has(fix)) this.verdicts.set(fix, this.check(fix));
    return this.verdicts.get(fix);
  }

  private check(fix: FixSpec): string | undefined {
    const doc = this.docs[this.index];
    const size = doc.range ? doc.range[2] - doc.range[0] : 0;
    const small = size > SMALL_PART ? this.regionOf(fix, SMALL_PART) : undefined;
    const whole = !small && size <= CHECKED_TEXT;
    const region = small ?? (whole ? undefined : this.regionOf(fix, CHECKED_TEXT));
    if (!whole && !region) return UNCHECKED;
    if (whole && !this.values) {
      try { this.values = documentValues(this.docs); } catch { return UNCHECKED; }
    }
    let after: string;
    try {
      after = region
        ? applyOffsetEdits(region.text, fix.edits.map(edit => ({ ...edit, start: edit.start - region.start, end: edit.end - region.start })))
        : applyOffsetEdits(this.text, fix.edits);
    } catch (error) {
      return (error as Error).message;
    }
    let problems: string[];
    try {
      problems = region
        ? resultProblems([region.value], after, () => fix.changes, region.path)
        : resultProblems(this.values!, after, i => (i === this.index ? fix.changes : []));
    } catch (error) {
      // Aliases that expand beyond the stack are a limit of the check, as a document that does not convert is.
      if (error instanceof RangeError) return UNCHECKED;
      return `the result cannot be read: ${(error as Error).message}`;
    }
    return problems.length ? problems.join('; ') : undefined;
  }

  /** The largest part of at most `limit` characters that holds a fix's edits, or undefined when there is none. */
  private regionOf(fix: FixSpec, limit: number): Region | undefined {
    const [from, to] = [Math.min(...fix.edits.map(e => e.start)), Math.max(...fix.edits.map(e => e.end))];
    let node: unknown = this.docs[this.index].contents;
    const path: PathSegment[] = [];
    while (isCollection(node) && node.range) {
      const region = this.regionFor(node, path);
      if (region && region.end - region.start <= limit) {
        const inside = region.start <= from && to <= region.end;
        const named = fix.changes.every(change => path.every((segment, i) => change.path[i] === segment));
        const clearOfDashes = region.dashes === undefined || from >= region.dashes;
        return inside && named && clearOfDashes ? region : undefined;
      }
      const child = this.childHolding(node, from, to);
      if (!child) return undefined;
      path.push(child.segment);
      node = child.node;
    }
    return undefined;
  }

  /**
   * The child of `node` whose text holds [from, to): a value's range, to the end of its last line for a block
   * collection's child. Found by bisection, so that a fix in a sequence of a thousand containers does not walk them
   * all: the children of a collection do not overlap and come in the order of their text.
   */
  private childHolding(node: YAMLMap | YAMLSeq, from: number, to: number): Child | undefined {
    let children = this.childrenOf.get(node);
    if (!children) {
      const entries: [PathSegment, unknown][] = isMap(node)
        ? node.items.map(pair => [String((pair.key as { value?: unknown } | null)?.value), pair.value])
        : node.items.map((item, i) => [i, item]);
      children = entries.flatMap(([segment, value]) => {
        const range = (value as Node | null)?.range;
        return range ? [{ segment, node: value as Node, start: range[0], end: range[1] }] : [];
      });
      this.childrenOf.set(node, children);
    }
    // The last child that starts at or before `from`: no later one can hold it.
    let low = 0;
    let high = children.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (children[middle].start <= from) low = middle + 1;
      else high = middle;
    }
    const child = children[low - 1];
    if (!child) return undefined;
    const end = node.flow ? child.end : lineEnd(this.text, contentEnd(this.text, child.end));
    return to <= end ? child : undefined;
  }

  /** The lines of `node` as a text of their own, if they parse to the same value as the node; computed once per node. */
  private regionFor(node: Node, path: PathSegment[]): Region | undefined {
    if (this.regions.has(node)) return this.regions.get(node);
    const flow = isCollection(node) && node.flow;
    const start = flow ? node.range![0] : lineStart(this.text, node.range![0]);
    const end = flow ? node.range![1] : lineEnd(this.text, contentEnd(this.text, node.range![1]));
    const prefix = this.text.slice(start, node.range![0]);
    let region: Region | undefined;
    if (/^[ -]*$/.test(prefix) && end - start <= CHECKED_TEXT && !hasAnchor(node)) {
      const text = prefix.replace(/-/g, ' ') + this.text.slice(node.range![0], end);
      // A node that parses differently alone (an alias of an anchor outside it, a tag) is checked in its document,
      // and so is one holding an anchor: a change there could reach aliases outside it.
      const doc = this.docs[this.index];
      doc.options.logLevel = 'error';
      try {
        const docs = parseForCheck(text);
        const value = typeof docs !== 'string' && docs.length === 1 ? documentValue(docs[0]) : undefined;
        if (value !== undefined && sameValue(value, node.toJS(doc, { maxAliasCount: -1 }))) {
          region = { start, end, text, path: [...path], value, ...(prefix.includes('-') ? { dashes: node.range![0] } : {}) };
        }
      } catch {
        // Not convertible alone: no region.
      }
    }
    this.regions.set(node, region);
    return region;
  }
}



function hasAnchor(node: Node): boolean {
  let found = false;
  visit(node, {
    Node(_, inner) {
      if (!inner.anchor) return undefined;
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}
