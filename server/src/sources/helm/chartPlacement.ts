// Where a finding of a rendered chart goes, and where its fix is made. The renderer's source map is text: each
// piece of output comes from template text (`literal`), from a values node (`value`), or from an action. A value
// at fault goes where it was written. A missing field goes where the user adds it, which is where its fix goes:
// under the `X:` key of the values file when the template writes the block as `toYaml .Values.X` (even when the
// block did not render because `X` is `{}`), on the template line when the block is literal text there, on the
// container's `- name:` line when the template writes no block at all.
import { Document, isMap, isScalar, isSeq, Node, Pair, parseDocument, YAMLMap } from 'yaml';
import { Finding, Fix, FixChange } from '../../engine';
import { contentEnd, detectLayout } from '../../engine/fixes/layout';
import { blockPair, flow, Value } from '../../engine/fixes/render';
import { editorFor, Unfixable } from '../../engine/fixes/yamlEdits';
import { Change, changesOf, Edits, PathStep, toFileEdits } from '../fixProjection';
import { Origin, RenderedDocument, SourceSpan } from '../origin';
import { offsetOf, parsedRendering, Placement, SourceLocation } from '../placement';
import { RenderedFinding, SourceFix, SourcePlacer } from '../sourceFindings';
import { DirectiveAt } from '../sourceSuppressions';
import { firstLineEnd, SourceTexts } from '../sourceTexts';
import { TemplateBlock } from './templateBlocks';
import { templateSuppressors } from './templateSuppressions';
import { addValue, setValue, valuesPlace } from './valuesEdits';

/** What a placer of one rendering needs to know of the chart: its folder and the values files given (`-f`). */
export interface ChartFiles {
  chartDir: string;
  valuesFiles: readonly string[];
}

/** The origins of the smallest segments around [start, end), a value's first (it says more than the action). */
function originsAt(document: RenderedDocument, start: number, end: number): Origin[] {
  let size = Infinity;
  let origins: Origin[] = [];
  for (const segment of document.segments) {
    if (segment.start > start) break;
    if (segment.end < end) continue;
    const length = segment.end - segment.start;
    if (length < size) { size = length; origins = [...segment.origins]; } else if (length === size) origins.push(...segment.origins);
  }
  return origins.sort((a, b) => Number(b.kind === 'value') - Number(a.kind === 'value'));
}

/** The template offset of rendered [start, end) when template text wrote all of it. */
function literalAt(document: RenderedDocument, start: number, end: number): SourceSpan | undefined {
  for (const segment of document.segments) {
    if (segment.start > start) break;
    const origin = segment.origins[0];
    if (segment.end < end || origin?.kind !== 'literal' || segment.origins.length !== 1) continue;
    const at = origin.span.start + (start - segment.start);
    return { file: origin.span.file, start: at, end: at + (end - start) };
  }
  return undefined;
}

/** Where the nodes around a rendered offset start, innermost first: the keys of the pairs and the items that hold it. */
function startsAround(root: unknown, offset: number): number[] {
  const starts: number[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const end = (pair.value as Node | null)?.range?.[1] ?? key?.range?.[1];
        if (!key?.range || key.range[0] > offset || end === undefined || end < offset) continue;
        starts.push(key.range[0]);
        visit(pair.value);
        return;
      }
    } else if (isSeq(node)) {
      for (const item of node.items as Node[]) {
        if (!item?.range || item.range[0] > offset || item.range[1] < offset) continue;
        starts.push(item.range[0]);
        visit(item);
        return;
      }
    }
  };
  visit(root);
  return starts.reverse();
}

type Step = { key: string } | { index: number };

/** The rendered nodes from the root to `target`, each with the step that reaches it from its parent. */
function chainTo(root: unknown, target: Node): { node: Node; step?: Step }[] | undefined {
  const visit = (node: unknown, step?: Step): { node: Node; step?: Step }[] | undefined => {
    if (!node || typeof node !== 'object' || !('range' in node)) return undefined;
    if (node === target) return [{ node: target, step }];
    let below: { node: Node; step?: Step }[] | undefined;
    if (isMap(node)) for (const pair of node.items) { below ??= isScalar(pair.key) ? visit(pair.value, { key: String(pair.key.value) }) : undefined; }
    else if (isSeq(node)) node.items.forEach((item, index) => { below ??= visit(item, { index }); });
    return below && [{ node: node as Node, step }, ...below];
  };
  return visit(root);
}

/**
 * The rendered document's nodes as its analysis parsed them: placing a finding reads the parse the analysis made (a
 * text it parsed in chunks, or without its byte order marks, is parsed again).
 */
function analysedRoot(document: RenderedDocument, sources: SourceTexts): unknown {
  const docs = sources.renderedParse(document.text);
  return Array.isArray(docs) && docs.length === 1 ? docs[0].contents : parsedRendering(document).contents;
}

/** A node of a values file, with the pair that holds it when a key does. */
interface ValuesNode { file: string; document: Document.Parsed; text: string; node: Node; holder?: { map: YAMLMap; pair: Pair } }

/** The pair of a parsed file whose key or value starts at `offset` (a value origin names one or the other). */
function pairWithKeyAt(node: unknown, offset: number): { map: YAMLMap; pair: Pair } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if ((pair.key as Node | null)?.range?.[0] === offset || (pair.value as Node | null)?.range?.[0] === offset) return { map: node, pair };
      const below = pairWithKeyAt(pair.value, offset);
      if (below) return below;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) { const below = pairWithKeyAt(item, offset); if (below) return below; }
  }
  return undefined;
}

/**
 * The values node a rendered node (of the parse whose root is `root`) was printed from: the innermost value segment
 * around it came from a values node (its pair, as the source map records it) that printed an ancestor of the node,
 * or the node itself.
 */
function valuesNodeOf(document: RenderedDocument, root: unknown, node: Node, sources: SourceTexts): ValuesNode | undefined {
  // A block map's range runs past its last line break, which the value's segment does not hold.
  const [start, end] = [node.range![0], contentEnd(document.text, node.range![1])];
  const origin = originsAt(document, start, end)[0];
  if (origin?.kind !== 'value') return undefined;
  const segment = document.segments.find(s => s.origins.includes(origin))!;
  const chain = chainTo(root, node);
  const top = chain?.findIndex(link => link.node.range![0] >= segment.start && link.node.range![0] < segment.end) ?? -1;
  const source = sources.get(origin.span.file);
  if (!chain || top < 0 || !source) return undefined;
  const parsed = source.documents.find(d => d.range[0] <= origin.span.start && origin.span.start <= d.range[2]);
  if (!parsed) return undefined;
  const holder = pairWithKeyAt(parsed.contents, origin.span.start);
  let found: ValuesNode = { file: origin.span.file, document: parsed, text: source.text, node: holder ? holder.pair.value as Node : sources.nodeAt(origin.span)?.node as Node, holder };
  if (!found.node) return undefined;
  for (const { step } of chain.slice(top + 1)) {
    if (step && 'key' in step && isMap(found.node)) {
      const pair = found.node.items.find(p => isScalar(p.key) && String(p.key.value) === step.key);
      if (!pair?.value) return undefined;
      found = { ...found, node: pair.value as Node, holder: { map: found.node, pair } };
    } else if (step && 'index' in step && isSeq(found.node) && found.node.items[step.index]) {
      found = { ...found, node: found.node.items[step.index] as Node, holder: undefined };
    } else {
      return undefined;
    }
  }
  return found;
}

/** The template block that wrote a rendered map: found from any of its keys that is template text. */
function templateBlockOf(document: RenderedDocument, map: YAMLMap, sources: SourceTexts): { file: string; block: TemplateBlock } | undefined {
  for (const pair of map.items) {
    const key = pair.key as Node | null;
    if (!isScalar(key) || !key.range) continue;
    const span = literalAt(document, key.range[0], key.range[1]);
    const text = span && sources.get(span.file)?.text;
    const block = text !== undefined ? TemplateBlock.at(text, span!.start) : undefined;
    if (block) return { file: span!.file, block };
  }
  return undefined;
}

/** A change planned in the source files: where the user sees it, and the edits that make it. */
interface PlannedChange { anchor: SourceSpan; apply(edits: Edits): void }

const keySpan = (file: string, pair: Pair, withValue = false): SourceSpan => {
  const key = pair.key as Node;
  const value = pair.value as Node | null;
  return { file, start: key.range![0], end: withValue && value?.range ? value.range[1] : key.range![1] };
};

/** The changes of a fix to a rendered document, computed once: placement and the fix itself both need them. */
const changeCache = new WeakMap<RenderedDocument, Map<Fix, Change[]>>();
function changesOfFix(document: RenderedDocument, fix: Fix): Change[] {
  let byFix = changeCache.get(document);
  if (!byFix) changeCache.set(document, byFix = new Map());
  let changes = byFix.get(fix);
  if (!changes) byFix.set(fix, changes = changesOf(document, fix));
  return changes;
}

/**
 * A change a fix declares (a path and what happens there) on the nodes of the rendered document (`root`), without
 * applying the fix: the deepest node the path reaches is replaced, or gets the first key it lacks, or the items.
 */
function changeAt(root: unknown, declared: FixChange): Change | undefined {
  let node: unknown = root;
  const path: PathStep[] = [];
  for (let i = 0; i < declared.path.length; i++) {
    const step = declared.path[i];
    if (isMap(node) && typeof step === 'string') {
      const pair = node.items.find(p => isScalar(p.key) && String(p.key.value) === step);
      if (!pair) {
        if (declared.kind !== 'set') return undefined;
        let value = declared.value as Value;
        for (const key of declared.path.slice(i + 1).reverse()) value = typeof key === 'number' ? [value] : { [key]: value };
        return { kind: 'set', map: node, key: step, value, path };
      }
      if (i === declared.path.length - 1 && declared.kind === 'removed') return { kind: 'remove-pair', map: node, pair };
      path.push({ key: step });
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      if (step >= node.items.length) return declared.kind === 'set' ? { kind: 'append', seq: node, items: [declared.value as Value], path } : undefined;
      if (i === declared.path.length - 1 && declared.kind === 'removed') return { kind: 'remove-item', seq: node, index: step };
      path.push({ item: node.items[step] as Node });
      node = node.items[step];
    } else {
      return undefined;
    }
  }
  return node && typeof node === 'object' && 'range' in node ? { kind: 'replace', node: node as Node, value: (declared as { value?: Value }).value ?? '', path } : undefined;
}

/** Places and fixes for one rendering of a chart. */
export class ChartPlacer implements SourcePlacer {
  /** Each finding's placement, asked for again by `locations` (a finding of a text analysed once may serve several documents). */
  private readonly placed = new WeakMap<RenderedDocument, Map<Finding, Placement | undefined>>();
  private readonly withDirectives = new WeakMap<RenderedDocument, boolean>();

  constructor(private readonly chart: ChartFiles) {}

  /** The values files that can set a value a template of `templateFile` reads, the one that wins first. */
  private valuesFilesFor(templateFile: string): string[] {
    const cut = templateFile.lastIndexOf('/templates/');
    const dir = cut < 0 ? this.chart.chartDir : templateFile.slice(0, cut);
    return dir === this.chart.chartDir ? [...[...this.chart.valuesFiles].reverse(), `${dir}/values.yaml`] : [`${dir}/values.yaml`];
  }

  /** A change made where the node it changes (of the parse whose root is `root`) was written. */
  private plan(change: Change, document: RenderedDocument, root: unknown, sources: SourceTexts): PlannedChange {
    switch (change.kind) {
      case 'set': {
        const values = valuesNodeOf(document, root, change.map, sources);
        if (values) return this.inValues(values, change.key, change.value);
        const written = templateBlockOf(document, change.map, sources);
        if (!written) throw new Unfixable('a map that no template text or value wrote');
        return this.inTemplateBlock(written.file, written.block, change.key, change.value, document, sources);
      }
      case 'replace': {
        const values = valuesNodeOf(document, root, change.node, sources);
        if (values?.holder) {
          const { map, pair } = values.holder;
          return { anchor: keySpan(values.file, pair, true), apply: edits => edits.add(values.file, editorFor(values.text, values.document).replaceValue(map, pair, change.value)) };
        }
        const [start, end] = change.node.range!;
        const span = isScalar(change.node) && typeof change.value !== 'object' ? literalAt(document, start, end) : undefined;
        const text = span && sources.get(span.file)?.text;
        if (!span || text?.slice(span.start, span.end) !== document.text.slice(start, end)) throw new Unfixable('a value that is neither template text nor a value');
        return { anchor: span, apply: edits => edits.add(span.file, { start: span.start, end: span.end, text: flow(change.value) }) };
      }
      case 'append': {
        const values = valuesNodeOf(document, root, change.seq, sources);
        if (!values?.holder || !isSeq(values.node)) throw new Unfixable('a list that is not a value');
        return { anchor: keySpan(values.file, values.holder.pair), apply: edits => edits.add(values.file, editorFor(values.text, values.document).appendItems(values.node as never, change.items)) };
      }
      case 'remove-pair': {
        const values = valuesNodeOf(document, root, change.map, sources);
        const key = isScalar(change.pair.key) ? String(change.pair.key.value) : undefined;
        const pair = values && isMap(values.node) ? values.node.items.find(p => isScalar(p.key) && String(p.key.value) === key) : undefined;
        if (!values || !pair) throw new Unfixable('a key that is not a value');
        return { anchor: keySpan(values.file, pair, true), apply: edits => edits.add(values.file, editorFor(values.text, values.document).removePair(values.node as YAMLMap, pair)) };
      }
      case 'remove-item': {
        const values = valuesNodeOf(document, root, change.seq, sources);
        if (!values || !isSeq(values.node)) throw new Unfixable('a list that is not a value');
        const item = values.node.items[change.index] as Node | undefined;
        if (!item?.range) throw new Unfixable('an item that is not a value');
        return { anchor: { file: values.file, start: item.range[0], end: item.range[1] }, apply: edits => edits.add(values.file, editorFor(values.text, values.document).removeItem(values.node as never, change.index)) };
      }
    }
  }

  /** `key: value` set in a map that a values node printed. */
  private inValues(values: ValuesNode, key: string, value: Value): PlannedChange {
    if (!values.holder || !isMap(values.node)) throw new Unfixable('a map that is not a value of a key');
    const { map, pair } = values.holder;
    return { anchor: keySpan(values.file, pair), apply: edits => edits.add(values.file, ...setValue(values.text, values.document, map, pair, { [key]: value })) };
  }

  /** `key: value` set in a map written by a template block: in the values it prints, or as template text. */
  private inTemplateBlock(file: string, block: TemplateBlock, key: string, value: Value, document: RenderedDocument, sources: SourceTexts): PlannedChange {
    const binding = block.binding(key);
    if (binding?.kind === 'values') {
      const valuesFiles = this.valuesFilesFor(file);
      for (const valuesFile of valuesFiles) {
        const source = sources.get(valuesFile);
        const parsed = source?.documents[0];
        const place = parsed && valuesPlace(parsed, binding.path);
        if (!source || !parsed || !place) continue;
        if (place.found) {
          const { map, pair } = place;
          return { anchor: keySpan(valuesFile, pair), apply: edits => edits.add(valuesFile, ...setValue(source.text, parsed, map, pair, value)) };
        }
        if (valuesFile === valuesFiles[valuesFiles.length - 1]) {
          const { map, missing } = place;
          return { anchor: { file, start: binding.keyStart, end: binding.keyEnd }, apply: edits => edits.add(valuesFile, ...addValue(source.text, parsed, map, missing, value)) };
        }
      }
      throw new Unfixable('no values file to write the value in');
    }
    if (binding) throw new Unfixable(`${key} is written in the template but did not render`);
    const header = block.header();
    const at = block.insertionAfterFirstKey();
    if (!header || at === undefined) throw new Unfixable('no line to add the key after');
    return {
      anchor: { file, ...header },
      apply: edits => {
        // New template lines in the layout of what the template renders (its own text is not YAML); parsed only
        // for a fix, not for placing a finding.
        const layout = detectLayout(document.text, parseDocument(document.text, { keepSourceTokens: true, uniqueKeys: false }));
        edits.add(file, { start: at, end: at, text: `${layout.eol}${' '.repeat(block.column)}${blockPair(key, value, block.column, layout)}` });
      },
    };
  }

  /** The anchor of a fix's first change: where the user makes the fix (read from what the fix says it changes). */
  private fixAnchor(document: RenderedDocument, changes: readonly FixChange[], sources: SourceTexts): SourceSpan | undefined {
    try {
      const root = analysedRoot(document, sources);
      const first = changes[0] && changeAt(root, changes[0]);
      return first && this.plan(first, document, root, sources).anchor;
    } catch (error) {
      if (error instanceof Unfixable) return undefined;
      throw error;
    }
  }

  placeFinding(document: RenderedDocument, finding: Finding, sources: SourceTexts): Placement | undefined {
    let placed = this.placed.get(document);
    if (!placed) this.placed.set(document, placed = new Map());
    if (!placed.has(finding)) placed.set(finding, this.placeAnew(document, finding, sources));
    return placed.get(finding);
  }

  private placeAnew(document: RenderedDocument, finding: Finding, sources: SourceTexts): Placement | undefined {
    // The fix as planned by the analysis (unchecked), or as made when the analysis made them.
    const changes = finding.plannedChanges ?? (finding.fixes?.find(f => f.isPreferred) ?? finding.fixes?.[0])?.changes;
    const anchor = changes && this.fixAnchor(document, changes, sources);
    if (anchor) return this.placement(anchor, { kind: 'literal', span: anchor }, sources);
    return this.placeRange(document, offsetOf(document.text, finding.range.start), offsetOf(document.text, finding.range.end), sources);
  }

  /**
   * A rendered range in the chart's files: template text where it was written; a value on its line in the values
   * file; an action's output on the value it reads (`{{ .Values.image.tag | default ... }}`) or on the action.
   * A range printed by several pieces (an image `{{ .Values.repository }}:{{ .Values.tag }}`) goes on its last
   * piece that is not template text.
   */
  placeRange(document: RenderedDocument, start: number, end: number, sources: SourceTexts): Placement | undefined {
    const literal = literalAt(document, start, end);
    if (literal) return this.placement(literal, { kind: 'literal', span: literal }, sources);
    let origin = originsAt(document, start, end)[0];
    if (!origin) {
      const pieces = document.segments.filter(s => s.start < end && s.end > start && s.origins.some(o => o.kind !== 'literal'));
      const last = pieces[pieces.length - 1];
      origin = last && originsAt(document, last.start, last.end)[0];
    }
    if (!origin) return undefined;
    if (origin.kind === 'generated') {
      const read = this.valueReadBy(origin.span, sources);
      if (read) return this.placement(read, { kind: 'value', span: read }, sources);
    }
    const text = sources.get(origin.span.file)?.text;
    const span = origin.kind === 'value' && text !== undefined ? { ...origin.span, end: firstLineEnd(text, origin.span.start, origin.span.end) } : origin.span;
    return this.placement(span, origin, sources);
  }

  /** The pair of a values file that an action reads (`.Values.image.tag`), when it reads exactly one that exists. */
  private valueReadBy(action: SourceSpan, sources: SourceTexts): SourceSpan | undefined {
    const text = sources.get(action.file)?.text.slice(action.start, action.end) ?? '';
    const paths = [...new Set([...text.matchAll(/\.Values((?:\.\w+)+)/g)].map(m => m[1].slice(1)))];
    if (paths.length !== 1) return undefined;
    for (const file of this.valuesFilesFor(action.file)) {
      const parsed = sources.get(file)?.documents[0];
      const place = parsed && valuesPlace(parsed, paths[0].split('.'));
      if (place?.found) return keySpan(file, place.pair, true);
    }
    return undefined;
  }

  private placement(span: SourceSpan, origin: Origin, sources: SourceTexts): Placement | undefined {
    const range = sources.range(span);
    return range && { file: span.file, range, documentIndex: 0, origin };
  }

  /**
   * The directives in templates that suppress the finding: above the template line of the rendered node it is on,
   * or of a node around it (its container item, the resource), as template comments do not render.
   */
  suppressors(document: RenderedDocument, finding: Finding, sources: SourceTexts): DirectiveAt[] {
    if (!this.hasDirectives(document, sources)) return [];
    const start = offsetOf(document.text, finding.range.start);
    const found: DirectiveAt[] = [];
    for (const offset of [start, ...startsAround(analysedRoot(document, sources), start)]) {
      const at = literalAt(document, offset, offset);
      const line = at && sources.range(at)?.start.line;
      if (!at || line === undefined) continue;
      for (const directive of templateSuppressors(sources.get(at.file)!.text, finding.rule, line)) found.push({ file: at.file, line: directive });
    }
    return found;
  }

  /** Does a template that wrote part of the document hold a suppression directive? Most hold none. */
  private hasDirectives(document: RenderedDocument, sources: SourceTexts): boolean {
    let has = this.withDirectives.get(document);
    if (has === undefined) {
      const files = new Set(document.segments.flatMap(segment => segment.origins.filter(o => o.kind === 'literal').map(o => o.span.file)));
      this.withDirectives.set(document, has = [...files].some(file => sources.get(file)?.text.includes('kube-immutable-ignore')));
    }
    return has;
  }

  /** The template line of what the finding is about, when the finding itself went elsewhere (a values file). */
  locations(document: RenderedDocument, finding: Finding, sources: SourceTexts): SourceLocation[] {
    const start = offsetOf(document.text, finding.range.start);
    const literal = literalAt(document, start, start);
    const placed = this.placeFinding(document, finding, sources);
    if (!literal || !placed || placed.file === literal.file) return [];
    const range = sources.range(literal);
    return range ? [{ file: literal.file, range, message: `Written in ${document.producedBy}.` }] : [];
  }

  projectFix(rendered: RenderedFinding, fix: Fix, sources: SourceTexts): SourceFix | undefined {
    try {
      const edits = new Edits();
      // The changes are nodes of the parse a fix is compared with (see changesOf).
      const root = parsedRendering(rendered.document).contents;
      for (const change of changesOfFix(rendered.document, fix)) this.plan(change, rendered.document, root, sources).apply(edits);
      const changes = toFileEdits(edits, sources);
      return changes.length ? { title: fix.title, isPreferred: fix.isPreferred, changes, creates: [] } : undefined;
    } catch (error) {
      if (error instanceof Unfixable || (error instanceof Error && error.message.startsWith('overlapping edits'))) return undefined;
      throw error;
    }
  }
}
