// Reading YAML files into the renderer's nodes: the fast reader for the block YAML manifests are written in, and
// the full parser for everything else; either way every node gets a literal origin at its span in the file.
import { isAlias, isMap, isScalar, isSeq, Node as YamlNode, parseAllDocuments, Scalar } from 'yaml';
import { Origin, SourceSpan } from '../origin';
import { readBlockYaml } from './blockYaml';
import { KEntry, KNode, KScalar, literalOrigin, plainScalar, scalar } from './tree';

/**
 * Nodes a file may expand to before it is refused, a guard against "billion laughs" aliases: without aliases a
 * file has fewer nodes than characters, so only expansion can cross this.
 */
function maxExpandedNodes(text: string): number {
  return Math.max(10_000, text.length);
}

export class YamlLoadError extends Error {
  constructor(message: string, readonly span?: SourceSpan) {
    super(message);
  }
}

/** The documents of a YAML stream as nodes with literal origins in `file`; empty documents are left out. */
/**
 * Whether brackets or block indentation nest deeper than `limit` anywhere in the text. Brackets inside strings
 * count too, which can only overstate the depth of a real document, never let a deep one through.
 */
function nestsDeeperThan(text: string, limit: number): boolean {
  let brackets = 0;
  let lineStart = true;
  let spaces = 0;
  let dashes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      spaces = 0;
      dashes = 0;
    } else if (lineStart && (c === 32 || c === 45)) {
      // Every "-" and every two spaces that start a line open at most one level of block nesting.
      if (c === 45) dashes++;
      else spaces++;
      if (dashes + spaces / 2 > limit) return true;
    } else {
      lineStart = false;
      if (c === 91 || c === 123) {
        if (++brackets > limit) return true;
      } else if ((c === 93 || c === 125) && brackets > 0) brackets--;
    }
  }
  return false;
}

/** Deeper documents are refused: no manifest nests this far, and every later step walks the tree recursively. */
const MAX_DEPTH = 1000;

export function loadYamlDocuments(text: string, file: string, mapOffset: (offset: number) => number = (offset) => offset): KNode[] {
  // Checked before any parser runs: how deep a parser can go before its stack runs out depends on the caller.
  if (nestsDeeperThan(text, MAX_DEPTH)) throw new YamlLoadError(`YAML nested more than ${MAX_DEPTH} levels deep; not read`, { file, start: mapOffset(0), end: mapOffset(0) });
  return readBlockYaml(text, file, mapOffset) ?? loadWithFullParser(text, file, mapOffset);
}

/** The same as loadYamlDocuments, always with the full YAML parser (for what the fast reader leaves to it). */
export function loadWithFullParser(text: string, file: string, mapOffset: (offset: number) => number = (offset) => offset): KNode[] {
  const documents = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
  if (!Array.isArray(documents)) return [];
  const result: KNode[] = [];
  const maxNodes = maxExpandedNodes(text);
  let budget = maxNodes;
  for (const document of documents) {
    const error = document.errors[0];
    if (error) {
      throw new YamlLoadError(`Invalid YAML: ${error.message.split('\n')[0]}`, { file, start: mapOffset(error.pos[0]), end: mapOffset(error.pos[1]) });
    }
    // Empty documents (a stream ending in `---`, a lone comment) hold no object.
    if (document.contents === null || (isScalar(document.contents) && document.contents.value === null && !document.contents.source)) continue;
    const convert = (node: unknown, depth = 0): KNode => {
      if (depth > MAX_DEPTH) throw new YamlLoadError(`YAML nested more than ${MAX_DEPTH} levels deep; not read`, { file, start: 0, end: 0 });
      if (--budget < 0) throw new YamlLoadError(`More than ${maxNodes} YAML nodes once aliases are expanded; not read`, { file, start: 0, end: 0 });
      if (isAlias(node)) {
        const target = node.resolve(document);
        if (!target) throw new YamlLoadError(`Unresolved alias *${node.source}`, { file, start: mapOffset(rangeOf(node)[0]), end: mapOffset(rangeOf(node)[1]) });
        return convert(target, depth + 1);
      }
      const [start, end] = rangeOf(node as YamlNode);
      const origins = [literalOrigin(file, mapOffset(start), mapOffset(end))];
      if (isMap(node)) {
        const entries: KEntry[] = [];
        for (const pair of node.items) {
          const key = isScalar(pair.key) ? String(pair.key.value ?? '') : String(pair.key ?? '');
          if (key === '<<' && isAlias(pair.value)) {
            const merged = convert(pair.value, depth + 1);
            if (merged.kind === 'map') for (const entry of merged.entries) if (!entries.some((e) => e.key === entry.key)) entries.push(entry);
            continue;
          }
          const value = pair.value === null ? nullScalar(file, mapOffset(rangeOf(pair.key as YamlNode)[1])) : convert(pair.value, depth + 1);
          // Duplicate keys are accepted as Kustomize does: the last value wins, in the first key's place.
          const existing = entries.findIndex((e) => e.key === key);
          if (existing >= 0) entries[existing] = { key, value };
          else entries.push({ key, value });
        }
        return { kind: 'map', entries, origins };
      }
      if (isSeq(node)) return { kind: 'seq', items: node.items.map((item) => (item === null ? scalar(null, []) : convert(item, depth + 1))), origins };
      if (isScalar(node)) return fromYamlScalar(node, origins);
      throw new YamlLoadError('Unsupported YAML node', { file, start: mapOffset(start), end: mapOffset(end) });
    };
    result.push(convert(document.contents));
  }
  return result;
}

function fromYamlScalar(node: Scalar, origins: Origin[]): KScalar {
  const explicitString = node.tag === 'tag:yaml.org,2002:str' || node.tag === '!!str';
  if (node.type === 'PLAIN' && !explicitString && node.tag !== 'tag:yaml.org,2002:binary') return plainScalar(node.source ?? String(node.value), origins);
  const text = node.value === null || node.value === undefined ? '' : String(node.value);
  return { kind: 'scalar', plain: false, raw: text, value: text, origins };
}

function nullScalar(file: string, end: number): KScalar {
  return { kind: 'scalar', plain: true, raw: 'null', value: null, origins: [literalOrigin(file, end, end)] };
}

function rangeOf(node: YamlNode): [number, number] {
  const range = node?.range;
  return range ? [range[0], range[1]] : [0, 0];
}


