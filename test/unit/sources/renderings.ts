// Hand-made renderings for the tests of placement and fix projection: rendered text whose origin segments are
// derived the way a strategic merge makes them, so each test states its tree and its output and nothing else.
import { Document, isMap, isScalar, isSeq, Node, parseAllDocuments, parseDocument } from 'yaml';
import { Origin, OriginSegment, RenderedDocument, SourceFileSystem } from '../../../server/src/sources/origin';

/** A file system in memory: absolute paths to texts; directories are implied by the paths below them. */
export function memoryFs(files: Record<string, string>): SourceFileSystem & { files: Record<string, string> } {
  const dirs = (path: string) => Object.keys(files).filter(file => file.startsWith(`${path.replace(/\/$/, '')}/`));
  return {
    files,
    readFile: path => files[path],
    readDirectory: path => {
      const below = dirs(path);
      return below.length ? [...new Set(below.map(file => file.slice(path.replace(/\/$/, '').length + 1).split('/')[0]))].sort() : undefined;
    },
    isDirectory: path => dirs(path).length > 0,
  };
}

/** A node's path with list items named by their `name` (`spec.containers[web].image`), as a merge finds them again. */
function walk(node: unknown, path: string, visit: (path: string, node: Node) => void): void {
  if (!node || typeof node !== 'object' || !('range' in node)) return;
  visit(path, node as Node);
  if (isMap(node)) for (const pair of node.items) walk(pair.value, `${path}${path ? '.' : ''}${String((pair.key as { value: unknown }).value)}`, visit);
  if (isSeq(node)) node.items.forEach((item, index) => {
    const name = isMap(item) ? item.items.find(p => isScalar(p.key) && p.key.value === 'name')?.value : undefined;
    walk(item, `${path}[${isScalar(name) ? String(name.value) : index}]`, visit);
  });
}

function nodesByPath(document: Document): Map<string, Node> {
  const nodes = new Map<string, Node>();
  walk(document.contents, '', (path, node) => nodes.set(path, node));
  return nodes;
}

/** A layer of the rendering: a file (its `documentIndex`th document) whose nodes become origins where their paths match. */
export interface Layer { file: string; documentIndex?: number }

/**
 * The rendered document `text` with, for each node, the layers that have a node at the same path (oldest first),
 * plus `generated` origins by path.
 */
export function rendering(fs: SourceFileSystem, text: string, producedBy: string, layers: Layer[], generated: Record<string, Origin> = {}): RenderedDocument {
  const layerNodes = layers.map(layer => {
    const documents = parseAllDocuments(fs.readFile(layer.file)!) as Document[];
    return { file: layer.file, nodes: nodesByPath(documents[layer.documentIndex ?? 0]) };
  });
  const segments: OriginSegment[] = [];
  walk(parseDocument(text).contents, '', (path, node) => {
    const origins: Origin[] = layerNodes.flatMap(({ file, nodes }) => {
      const written = nodes.get(path);
      return written ? [{ kind: 'literal' as const, span: { file, start: written.range![0], end: written.range![1] } }] : [];
    });
    if (generated[path]) origins.push(generated[path]);
    segments.push({ start: node.range![0], end: node.range![1], origins });
  });
  segments.sort((a, b) => a.start - b.start || b.end - a.end);
  return { text, segments, producedBy };
}

/** The span of `needle` in a file (the first occurrence after `after`), for `generated` origins. */
export function spanOf(fs: SourceFileSystem, file: string, needle: string, after = ''): { file: string; start: number; end: number } {
  const text = fs.readFile(file)!;
  const start = text.indexOf(needle, after ? text.indexOf(after) : 0);
  if (start < 0) throw new Error(`${needle} not in ${file}`);
  return { file, start, end: start + needle.length };
}
