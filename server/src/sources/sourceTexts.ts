// The source files a rendering came from, parsed once: placement and fix projection both need, for an origin
// span, the YAML node written there and line/character positions in that file. And the rendered texts, parsed once
// for their analysis and the placement of their findings.
import { Document, isMap, isPair, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';
import { ChunkParse, parseChunk, Position, Range } from '../engine';
import { SourceFileSystem, SourceSpan } from './origin';

export interface ParsedSource {
  text: string;
  documents: Document.Parsed[];
  lineCounter: LineCounter;
}

/** The node of `source` written at a span, and the document holding it. */
export interface SourceNode {
  node: Node;
  document: Document.Parsed;
  documentIndex: number;
}

export class SourceTexts {
  private readonly parsed = new Map<string, ParsedSource | undefined>();
  private readonly files = new WeakMap<Document, string>();
  /** Rendered texts as the analysis parses them, by text: a render that prints a document again finds its parse. */
  private readonly rendered = new Map<string, ReturnType<ChunkParse>>();

  /** `parse`: how rendered texts are parsed, parseChunk but in tests that count the parses. */
  constructor(readonly fs: SourceFileSystem, private readonly parse: ChunkParse = parseChunk) {}

  /** A rendered text parsed as its analysis parses it (parseChunk), once: the analysis and placement share it. */
  readonly renderedParse: ChunkParse = text => {
    let parsed = this.rendered.get(text);
    if (!parsed) this.rendered.set(text, parsed = this.parse(text));
    return parsed;
  };

  /** Forgets the parses of rendered texts but `texts` (those of the renderings still in use). */
  keepRendered(texts: ReadonlySet<string>): void {
    for (const text of this.rendered.keys()) if (!texts.has(text)) this.rendered.delete(text);
  }

  get(file: string): ParsedSource | undefined {
    if (this.parsed.has(file)) return this.parsed.get(file);
    const text = this.fs.readFile(file);
    let source: ParsedSource | undefined;
    if (text !== undefined) {
      const lineCounter = new LineCounter();
      lineCounter.addNewLine(0);
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineCounter.addNewLine(at + 1);
      // Parsed on first use only: a chart's template has positions but is not YAML. Origins point only into files
      // the renderer parsed already, so the text is known to be within its limits.
      let documents: Document.Parsed[] | undefined;
      const files = this.files;
      source = {
        text, lineCounter,
        get documents() {
          if (!documents) {
            const parsed = parseAllDocuments(text, { uniqueKeys: false, keepSourceTokens: true });
            documents = Array.isArray(parsed) ? parsed : [];
            for (const document of documents) files.set(document, file);
          }
          return documents;
        },
      };
    }
    this.parsed.set(file, source);
    return source;
  }

  /** The file a document of `get` was parsed from. */
  fileOf(document: Document): string | undefined {
    return this.files.get(document);
  }

  /** Reads every file again on next use. */
  clear(): void {
    this.parsed.clear();
    this.rendered.clear();
  }

  /** Reads the file again on next use (its text changed). */
  forget(file: string): void {
    this.parsed.delete(file);
  }

  /** Line/character range of a span, or undefined when the file cannot be read. */
  range(span: SourceSpan): Range | undefined {
    const source = this.get(span.file);
    return source && { start: position(source, span.start), end: position(source, span.end) };
  }

  /** The innermost node that starts where the span starts (a map, a sequence, a scalar). */
  nodeAt(span: SourceSpan): SourceNode | undefined {
    const source = this.get(span.file);
    if (!source) return undefined;
    const documentIndex = source.documents.findIndex(doc => doc.range[0] <= span.start && span.start <= doc.range[2]);
    const document = source.documents[documentIndex];
    if (!document || !document.contents) return undefined;
    let found: Node | undefined;
    const visit = (node: unknown): void => {
      if (!node || typeof node !== 'object' || !('range' in node)) return;
      const range = (node as Node).range;
      // Only the start is compared: a renderer may or may not count the line break after a block node.
      if (!range || range[0] > span.start || range[1] < span.start) return;
      if (range[0] === span.start) found = node as Node;
      if (isMap(node)) for (const pair of node.items) { if (isPair(pair)) visit(pair.value); }
      else if (isSeq(node)) for (const item of node.items) visit(item);
    };
    visit(document.contents);
    return found && { node: found, document, documentIndex };
  }
}

function position(source: ParsedSource, offset: number): Position {
  const { line, col } = source.lineCounter.linePos(Math.min(offset, source.text.length));
  return { line: line - 1, character: col - 1 };
}

/** The end of the first line of a node's text, without trailing blanks: where a finding on a whole map goes. */
export function firstLineEnd(text: string, start: number, end: number): number {
  const lineBreak = text.indexOf('\n', start);
  let stop = lineBreak < 0 || lineBreak > end ? end : lineBreak;
  while (stop > start && /\s/.test(text[stop - 1])) stop--;
  return stop;
}
