// The engine's fixes, made where the rendered text came from. A fix is text edits on a rendered document; applied
// and parsed, the difference is a list of changes to the object (a key set, a key removed, items appended or
// removed), and each change is made with the engine's YAML editor under the node that an origin segment says
// wrote that part: the overlay's patch when it wrote the container, else the base resource. A change that has
// no written home (a value an `images:` entry generated) leaves the fix out rather than edit the wrong file.
import { Document, isMap, isScalar, isSeq, Node, Pair, parseDocument, stringify, YAMLMap, YAMLSeq } from 'yaml';
import { Fix } from '../engine';
import { applyOffsetEdits, applyTextEdits } from '../engine/fixes/apply';
import { flow, Value } from '../engine/fixes/render';
import { editorFor, Unfixable } from '../engine/fixes/yamlEdits';
import { OffsetEdit } from '../engine/rule';
import { innermostSegment, Origin, OriginSegment, RenderedDocument } from './origin';
import { parsedRendering } from './placement';
import { FileEdits, RenderedFinding, renderedFixes, SourceFinding, SourceFix } from './sourceFindings';
import { SourceNode, SourceTexts } from './sourceTexts';

export type { FileEdits, SourceFix } from './sourceFindings';

/** One change to the rendered object, on nodes of the document before the fix. */
export type Change =
  | { kind: 'set'; map: YAMLMap; key: string; value: Value; path: PathStep[] }
  | { kind: 'replace'; node: Node; value: Value; path: PathStep[] }
  | { kind: 'remove-pair'; map: YAMLMap; pair: Pair }
  | { kind: 'append'; seq: YAMLSeq; items: Value[]; path: PathStep[] }
  | { kind: 'remove-item'; seq: YAMLSeq; index: number };

/** A step from the document's root: a key, or an item of a sequence (with the node, for its merge key). */
export type PathStep = { key: string } | { item: Node };

export const json = (node: unknown): Value => (node && typeof node === 'object' && 'toJSON' in node ? (node as Node).toJSON() : node) as Value;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(json(a)) === JSON.stringify(json(b));
const keyOf = (pair: Pair): string | undefined => (isScalar(pair.key) ? String(pair.key.value) : undefined);

/** The changes that turn `before` into `after`, as precise as the shapes allow. */
function differences(before: unknown, after: unknown, path: PathStep[], changes: Change[]): void {
  if (isMap(before) && isMap(after)) {
    for (const pair of after.items) {
      const key = keyOf(pair);
      if (key === undefined) throw new Unfixable('a key that is not a scalar');
      const old = before.items.find(p => keyOf(p) === key);
      if (!old) changes.push({ kind: 'set', map: before, key, value: json(pair.value), path });
      else if (!same(old.value, pair.value)) {
        if ((isMap(old.value) && isMap(pair.value)) || (isSeq(old.value) && isSeq(pair.value))) differences(old.value, pair.value, [...path, { key }], changes);
        else changes.push({ kind: 'replace', node: old.value as Node, value: json(pair.value), path: [...path, { key }] });
      }
    }
    for (const pair of before.items) if (!after.items.some(p => keyOf(p) === keyOf(pair))) changes.push({ kind: 'remove-pair', map: before, pair });
    return;
  }
  if (isSeq(before) && isSeq(after)) {
    const [b, a] = [before.items, after.items];
    if (a.length === b.length) { b.forEach((item, i) => { if (!same(item, a[i])) differences(item, a[i], [...path, { item: item as Node }], changes); }); return; }
    if (a.length > b.length && b.every((item, i) => same(item, a[i]))) { changes.push({ kind: 'append', seq: before, items: a.slice(b.length).map(json), path }); return; }
    if (a.length < b.length) {
      // Items removed, the others unchanged and in order.
      const removed: number[] = [];
      let j = 0;
      b.forEach((item, i) => { if (j < a.length && same(item, a[j])) j++; else removed.push(i); });
      if (j === a.length) { for (const index of removed) changes.push({ kind: 'remove-item', seq: before, index }); return; }
    }
  }
  if (!same(before, after)) throw new Unfixable('a change of shape');
}

/** The segment that describes a rendered node: the largest that starts where it starts. */
function segmentOf(document: RenderedDocument, node: Node): OriginSegment | undefined {
  const [start, end] = node.range!;
  let found: OriginSegment | undefined;
  for (const segment of document.segments) if (segment.start === start && (!found || segment.end > found.end)) found = segment;
  return found ?? innermostSegment(document.segments, start, end);
}

/** The origins of a node that wrote it into a file, newest first. */
function writtenOrigins(document: RenderedDocument, node: Node): Origin[] {
  return [...(segmentOf(document, node)?.origins ?? [])].reverse().filter(origin => origin.kind !== 'generated');
}

/** The node a rendered node's newest written origin points at, or why there is none. */
function writtenNode(document: RenderedDocument, node: Node, sources: SourceTexts): SourceNode {
  const origins = segmentOf(document, node)?.origins ?? [];
  const newest = origins[origins.length - 1];
  if (!newest) throw new Unfixable('a node without an origin');
  if (newest.kind === 'generated') throw new Unfixable(`a value made by ${newest.via ?? 'the kustomization'}`);
  const written = sources.nodeAt(newest.span);
  if (!written) throw new Unfixable('an origin that cannot be read');
  return written;
}

/** A plain word: what a scalar written inside a block scalar (an inline patch) can be replaced by, as text. */
const PLAIN_WORD = /^[A-Za-z0-9_./-]+$/;

/**
 * A scalar written inside another file's string, such as the `value:` of a JSON 6902 patch inline in a
 * kustomization (`patch: |-`): no node of that file starts there, so the word itself is replaced.
 */
function embeddedScalar(document: RenderedDocument, node: Node, value: Value, sources: SourceTexts): { file: string; edit: OffsetEdit } | undefined {
  const origins = segmentOf(document, node)?.origins ?? [];
  const newest = origins[origins.length - 1];
  if (!newest || newest.kind === 'generated' || !isScalar(node) || typeof value === 'object' || sources.nodeAt(newest.span)) return undefined;
  const written = sources.get(newest.span.file)?.text.slice(newest.span.start, newest.span.end);
  const text = flow(value);
  if (!written || !PLAIN_WORD.test(written) || !PLAIN_WORD.test(text) || written !== String(node.source ?? node.value)) return undefined;
  return { file: newest.span.file, edit: { start: newest.span.start, end: newest.span.end, text } };
}

/** The pair or sequence holding a node of a source document. */
function parentOf(document: Document, target: Node): { map: YAMLMap; pair: Pair } | { seq: YAMLSeq; index: number } | undefined {
  let found: ReturnType<typeof parentOf>;
  const visit = (node: unknown): void => {
    if (found) return;
    if (isMap(node)) for (const pair of node.items) { if (pair.value === target) found = { map: node, pair }; else visit(pair.value); }
    else if (isSeq(node)) node.items.forEach((item, index) => { if (item === target) found = { seq: node, index }; else visit(item); });
  };
  visit(document.contents);
  return found;
}

/** Offset edits per source file. */
export class Edits {
  readonly byFile = new Map<string, OffsetEdit[]>();
  add(file: string, ...edits: OffsetEdit[]): void {
    const list = this.byFile.get(file) ?? [];
    list.push(...edits);
    this.byFile.set(file, list);
  }
}

function makeChange(change: Change, document: RenderedDocument, sources: SourceTexts, edits: Edits): void {
  const editorOf = (written: SourceNode) => editorFor(sources.get(fileOf(written, sources))!.text, written.document);
  switch (change.kind) {
    case 'set': {
      const written = writtenNode(document, change.map, sources);
      if (!isMap(written.node)) throw new Unfixable('a map written as something else');
      edits.add(fileOf(written, sources), ...editorOf(written).merge(written.node, { [change.key]: change.value }));
      return;
    }
    case 'replace': {
      const embedded = embeddedScalar(document, change.node, change.value, sources);
      if (embedded) { edits.add(embedded.file, embedded.edit); return; }
      const written = writtenNode(document, change.node, sources);
      const parent = parentOf(written.document, written.node);
      const editor = editorOf(written);
      if (parent && 'pair' in parent) edits.add(fileOf(written, sources), editor.replaceValue(parent.map, parent.pair, change.value));
      else if (isScalar(written.node) && typeof change.value !== 'object') edits.add(fileOf(written, sources), editor.editScalar(written.node, 0, written.node.range![1] - written.node.range![0], flow(change.value)));
      else throw new Unfixable('a replaced node that is not a value');
      return;
    }
    case 'remove-pair': {
      // Every file that writes the key removes it, or an older one would bring it back.
      const key = keyOf(change.pair)!;
      let removed = 0;
      for (const origin of writtenOrigins(document, change.map)) {
        const written = sources.nodeAt(origin.span);
        const pair = written && isMap(written.node) ? written.node.items.find(p => keyOf(p) === key) : undefined;
        if (!written || !pair || !isMap(written.node)) continue;
        edits.add(origin.span.file, editorOf(written).removePair(written.node, pair));
        removed++;
      }
      if (!removed) throw new Unfixable(`${key} is not written in any file`);
      return;
    }
    case 'append': {
      const written = writtenNode(document, change.seq, sources);
      if (!isSeq(written.node)) throw new Unfixable('a list written as something else');
      edits.add(fileOf(written, sources), editorOf(written).appendItems(written.node, change.items));
      return;
    }
    case 'remove-item': {
      const written = writtenNode(document, change.seq.items[change.index] as Node, sources);
      const parent = parentOf(written.document, written.node);
      if (!parent || !('seq' in parent)) throw new Unfixable('an item outside a list');
      edits.add(fileOf(written, sources), editorOf(written).removeItem(parent.seq, parent.index));
    }
  }
}

/** The file a source node was read from (the text cache knows each parsed document's file). */
function fileOf(written: SourceNode, sources: SourceTexts): string {
  return sources.fileOf(written.document)!;
}

/** The changes a fix makes to the rendered object. */
export function changesOf(document: RenderedDocument, fix: Fix): Change[] {
  const after = parseDocument(applyTextEdits(document.text, fix.edits), { uniqueKeys: false });
  if (after.errors.length) throw new Unfixable('the fixed text does not parse');
  const changes: Change[] = [];
  differences(parsedRendering(document).contents, after.contents, [], changes);
  return changes;
}

export function toFileEdits(edits: Edits, sources: SourceTexts): FileEdits[] {
  return [...edits.byFile].map(([file, offsets]) => {
    const text = sources.get(file)!.text;
    applyOffsetEdits(text, offsets); // throws on overlapping edits
    return { file, edits: offsets.map(edit => ({ range: sources.range({ file, start: edit.start, end: edit.end })!, newText: edit.text })) };
  });
}

/** The fix made in the files the rendered document came from, or undefined when it cannot be made there. */
export function projectFix(rendered: RenderedFinding, fix: Fix, sources: SourceTexts): SourceFix | undefined {
  try {
    const edits = new Edits();
    for (const change of changesOf(rendered.document, fix)) makeChange(change, rendered.document, sources, edits);
    const changes = toFileEdits(edits, sources);
    return changes.length ? { title: fix.title, isPreferred: fix.isPreferred, changes, creates: [] } : undefined;
  } catch (error) {
    if (error instanceof Unfixable) return undefined;
    throw error;
  }
}

/** Where Kubernetes' strategic merge finds an item of a pod-spec list again: its merge key. */
const MERGE_KEYS = ['name', 'mountPath', 'containerPort', 'devicePath'];

/** The part of the object a patch must repeat to reach a change: keys, and list items by their merge key. */
function skeleton(target: Record<string, unknown>, path: PathStep[]): Record<string, unknown> {
  let at = target;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if ('key' in step) {
      const next = path[i + 1];
      if (next && 'item' in next) {
        const list = (at[step.key] ??= []) as Record<string, unknown>[];
        const item = json(next.item) as Record<string, unknown>;
        const mergeKey = MERGE_KEYS.find(key => item && typeof item === 'object' && key in item);
        if (!mergeKey) throw new Unfixable('a list item without a merge key');
        let entry = list.find(e => e[mergeKey] === item[mergeKey]);
        if (!entry) { entry = { [mergeKey]: item[mergeKey] }; list.push(entry); }
        at = entry;
        i++;
      } else {
        at = (at[step.key] ??= {}) as Record<string, unknown>;
      }
    } else {
      throw new Unfixable('a list item without its key');
    }
  }
  return at;
}

/** The resource's name as its base wrote it (before prefixes and suffixes), which a patch in the overlay targets. */
function writtenName(document: RenderedDocument, sources: SourceTexts): string | undefined {
  const root = parsedRendering(document).contents;
  const metadata = isMap(root) ? root.items.find(p => keyOf(p) === 'metadata')?.value : undefined;
  const name = isMap(metadata) ? metadata.items.find(p => keyOf(p) === 'name')?.value : undefined;
  if (!isScalar(name)) return undefined;
  const oldest = segmentOf(document, name)?.origins.find(origin => origin.kind === 'literal');
  const written = oldest && sources.nodeAt(oldest.span);
  return written && isScalar(written.node) ? String(written.node.value) : String(name.value);
}

/** A file name beside the kustomization that does not exist yet. */
function freeName(dir: string, base: string, sources: SourceTexts): string {
  for (let n = 1; ; n++) {
    const file = `${dir}/${base}${n === 1 ? '' : `-${n}`}.yaml`;
    if (sources.fs.readFile(file) === undefined) return file;
  }
}

/**
 * The fix as a new strategic-merge patch in the overlay that rendered the document, and its `patches:` entry in
 * the overlay's kustomization: for a base shared with other overlays that should keep it as it is.
 */
export function overlayOnlyFix(rendered: RenderedFinding, fix: Fix, sources: SourceTexts): SourceFix | undefined {
  try {
    const object = json(parsedRendering(rendered.document).contents) as Record<string, unknown>;
    const name = writtenName(rendered.document, sources);
    if (typeof object?.kind !== 'string' || !name) return undefined;
    const patch: Record<string, unknown> = { apiVersion: object.apiVersion, kind: object.kind, metadata: { name } };
    for (const change of changesOf(rendered.document, fix)) {
      if (change.kind === 'set') skeleton(patch, change.path)[change.key] = change.value;
      else if (change.kind === 'replace') {
        const last = change.path[change.path.length - 1];
        if (!last || !('key' in last)) throw new Unfixable('a replaced list item');
        skeleton(patch, change.path.slice(0, -1))[last.key] = change.value;
      } else if (change.kind === 'append') {
        const last = change.path[change.path.length - 1];
        if (!last || !('key' in last)) throw new Unfixable('a list inside a list');
        // Strategic merge adds items of merged lists (volumes, volumeMounts) to those of the base.
        const parent = skeleton(patch, change.path.slice(0, -1));
        parent[last.key] = [...((parent[last.key] as Value[] | undefined) ?? []), ...change.items];
      } else {
        throw new Unfixable('a removal, which a patch would write as a directive');
      }
    }
    const rootFile = rendered.rendering.rootFile;
    const dir = rootFile.slice(0, rootFile.lastIndexOf('/'));
    const patchFile = freeName(dir, `${String(object.kind).toLowerCase()}-${name}-patch`, sources);
    const relative = patchFile.slice(dir.length + 1);
    const kustomization = sources.get(rootFile);
    const root = kustomization?.documents[0]?.contents;
    if (!kustomization || !isMap(root)) return undefined;
    const editor = editorFor(kustomization.text, kustomization.documents[0]);
    const entry: Value = { path: relative, target: { kind: object.kind as string, name } };
    const patches = root.items.find(p => keyOf(p) === 'patches');
    const edit = patches && isSeq(patches.value) && patches.value.items.length
      ? editor.appendItems(patches.value, [entry])
      : editor.insertPairs(root, [['patches', [entry]]]);
    const changes = toFileEdits(Object.assign(new Edits(), { byFile: new Map([[rootFile, [edit]]]) }), sources);
    return { title: `${fix.title} in ${rendered.rendering.label} only`, changes, creates: [{ file: patchFile, text: stringify(patch) }] };
  } catch (error) {
    if (error instanceof Unfixable) return undefined;
    throw error;
  }
}

/** Is a file outside the directory of the rendering's root (a base that other overlays may include too)? */
function outsideRoot(file: string, rendered: RenderedFinding): boolean {
  const rootDir = rendered.rendering.rootFile.slice(0, rendered.rendering.rootFile.lastIndexOf('/') + 1);
  return !file.startsWith(rootDir);
}

/**
 * The fixes of a placed finding in source files: each engine fix made where the finding's parts were written
 * (one edit for all the renderings that share it); when that is in a base, each overlay also gets the same fix
 * as its own patch, not preferred.
 */
export function sourceFixes(finding: SourceFinding, sources: SourceTexts): SourceFix[] {
  if (finding.directFixes) return finding.directFixes;
  const first = finding.renderedFrom[0];
  if (!first) return [];
  const fixes: SourceFix[] = [];
  const placer = first.rendering.placer;
  for (const fix of renderedFixes(first)) {
    const projected = placer ? placer.projectFix(first, fix, sources) : projectFix(first, fix, sources);
    // A fix that cannot be made where the value was written is not offered as a patch either: what wrote it
    // (an `images:` entry, a later transformer) would win over the patch.
    if (!projected) continue;
    fixes.push(projected);
    if (first.rendering.placer || !projected.changes.some(change => outsideRoot(change.file, first))) continue;
    for (const rendered of finding.renderedFrom) {
      const same = renderedFixes(rendered).find(f => f.title === fix.title);
      const own = same && overlayOnlyFix(rendered, same, sources);
      if (own && !fixes.some(f => f.title === own.title)) fixes.push(own);
    }
  }
  return fixes;
}
