// Where a finding on rendered text goes: the file and range a user would change. Rules run on what a source
// rendered; the innermost origin segment around a finding says which file wrote that part, and the newest of its
// origins is the one that decided it (an overlay's patch over the base it patches, an `images:` entry over the
// image the resource names).
import { Document, isMap, isPair, isScalar, isSeq, Node, parseDocument, YAMLMap } from 'yaml';
import { Finding, Position, Range } from '../engine';
import { innermostSegment, Origin, RenderedDocument, SourceSpan } from './origin';
import { firstLineEnd, SourceTexts } from './sourceTexts';

/** A place in a source file, with what it has to do with a finding. */
export interface SourceLocation { file: string; range: Range; message: string }

/** Where one finding of one rendered document sits in the source files. */
export interface Placement {
  file: string;
  range: Range;
  /** The index of the YAML document in `file` holding the range (0 for a file of one document). */
  documentIndex: number;
  /** The origin the range was taken from. */
  origin: Origin;
}

/** The offset of a line/character position in `text`. */
export function offsetOf(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const lineBreak = text.indexOf('\n', offset);
    if (lineBreak < 0) return text.length;
    offset = lineBreak + 1;
  }
  return Math.min(offset + position.character, text.length);
}

const parsedRenderings = new WeakMap<RenderedDocument, Document.Parsed>();

/** The rendered document parsed (once); the renderer printed it, so it is plain YAML of one document. */
export function parsedRendering(document: RenderedDocument): Document.Parsed {
  let parsed = parsedRenderings.get(document);
  if (!parsed) { parsed = parseDocument(document.text, { uniqueKeys: false }); parsedRenderings.set(document, parsed); }
  return parsed;
}

/** The innermost node of the rendered document that starts where a segment does. */
export function renderedNodeAt(document: RenderedDocument, start: number): Node | undefined {
  let found: Node | undefined;
  const visit = (node: unknown): void => {
    const range = (node as Node | null)?.range;
    if (!range || range[0] > start || range[1] < start) return;
    if (range[0] === start) found = node as Node;
    if (isMap(node)) { for (const pair of node.items) if (isPair(pair)) visit(pair.value); }
    else if (isSeq(node)) for (const item of node.items) visit(item);
  };
  visit(parsedRendering(document).contents);
  return found;
}

/** The key of the pair of `map` whose text holds `offset`, and whether [offset, end) reaches into its value. */
function pairAt(map: YAMLMap, offset: number, end: number): { key: string; withValue: boolean } | undefined {
  for (const pair of map.items) {
    const key = pair.key as Node | null;
    const value = pair.value as Node | null;
    if (!isScalar(key) || !key.range) continue;
    const pairEnd = value?.range?.[1] ?? key.range[1];
    if (key.range[0] <= offset && offset < Math.max(pairEnd, key.range[1])) return { key: String(key.value), withValue: end > key.range[1] };
  }
  return undefined;
}

/**
 * The source range of a finding's [start, end) in a rendered document:
 * - on a value, where the newest origin of that value wrote it (for a `generated` value, the kustomization field
 *   that produced it);
 * - on a key of a map (a missing field is reported on its parent's key or its container's `name:`), on the same
 *   key in the newest origin of that map when it has it, else on that origin's first line: an overlay's patch of
 *   the container when there is one, else the base resource.
 */
export function placeRange(document: RenderedDocument, start: number, end: number, sources: SourceTexts): Placement | undefined {
  const segment = innermostSegment(document.segments, start, end);
  const origin = segment?.origins[segment.origins.length - 1];
  if (!segment || !origin) return undefined;
  const at = (span: SourceSpan): Placement | undefined => {
    const range = sources.range(span);
    const sourceNode = sources.nodeAt(origin.span);
    return range && { file: span.file, range, documentIndex: sourceNode?.documentIndex ?? 0, origin };
  };
  if (origin.kind === 'generated' || (segment.start === start && segment.end === end)) return at(origin.span);
  const source = sources.get(origin.span.file);
  const written = sources.nodeAt(origin.span);
  if (!source || !written) return at(origin.span);
  const rendered = renderedNodeAt(document, segment.start);
  const pair = isMap(rendered) ? pairAt(rendered, start, end) : undefined;
  const writtenPair = pair && isMap(written.node) ? written.node.items.find(item => isScalar(item.key) && String(item.key.value) === pair.key) : undefined;
  const key = writtenPair?.key as Node | undefined;
  if (key?.range) {
    const valueEnd = (writtenPair!.value as Node | null)?.range?.[1] ?? key.range[1];
    return at({ file: origin.span.file, start: key.range[0], end: pair!.withValue ? valueEnd : key.range[1] });
  }
  const nodeStart = written.node.range![0];
  return at({ file: origin.span.file, start: nodeStart, end: firstLineEnd(source.text, nodeStart, written.node.range![1]) });
}

/** Places an engine finding made on `document`'s text. */
export function placeFinding(document: RenderedDocument, finding: Finding, sources: SourceTexts): Placement | undefined {
  return placeRange(document, offsetOf(document.text, finding.range.start), offsetOf(document.text, finding.range.end), sources);
}

/** How a rendered resource is named in related information: `Deployment prod-web` (`in namespace shop`). */
export function resourceLabel(finding: Finding): string {
  const { kind, name, namespace } = finding.resource ?? {};
  return `${kind ?? 'resource'} ${name ?? '(unnamed)'}${namespace ? ` in namespace ${namespace}` : ''}`;
}
