// Bounds on what one document may cost, so that no file (a hostile one included) can crash or hang the editor:
// nesting depth and alias expansion everywhere, size and time only in the editor (the CLI keeps going).
import { CST, Composer, Document, isAlias, isCollection, isMap, isPair, isScalar, isSeq, Node, Parser, YAMLParseError } from 'yaml';
import { composePlainBlockYaml } from './plainBlockYaml';
import { InternalError, Range, RawFinding } from './types';

type Token = CST.Token;

/**
 * Deepest nesting of collections let through to the `yaml` composer. The composer recurses once per level; with
 * Node's default stack it overflows at about 800 levels of `[` and 900 levels of block maps, and an overflow
 * inside V8's regular expression compiler then ends the process with a fatal error that no `catch` sees. The
 * deepest CustomResourceDefinition schemas nest well under a hundred levels.
 */
export const MAX_NESTING_DEPTH = 256;

/**
 * How many nodes aliases may add to a document. The engine follows aliases the way Kubernetes expands them, so
 * a "billion laughs" document of a few hundred bytes would cost billions of steps; Kubernetes itself rejects
 * such documents (its YAML reader refuses "excessive aliasing"). Ten thousand covers shared `env` lists or
 * container templates reused across a whole stream.
 */
export const MAX_ALIASED_NODES = 10_000;

/** What the editor spends on a stream at most; the CLI analyses everything. */
export interface DocumentLimits {
  /** A document (the text between two `---` lines) larger than this is not parsed. */
  maxDocumentBytes?: number;
  /** Rules stop running on a document once its analysis took this long. */
  timeBudgetMs?: number;
}

/**
 * The editor's limits. The `yaml` parser reads Kubernetes manifests at about 1 MB/s (less on a busy machine; plain
 * YAML, see plainBlockYaml.ts, is composed about ten times faster), and
 * a document's parse cannot be interrupted, so a 256 KB document holds the server up for about a quarter of a
 * second at most; documents that large are rare outside of big `List`s (and large CRDs and ConfigMaps are skipped
 * by kind before this limit applies). A stream is analysed a document at a time with requests answered in
 * between; the stream limit bounds the time to its diagnostics while keeping a 34,000-line install manifest
 * (2 MB) whole.
 */
export const EDITOR_LIMITS: Required<DocumentLimits> & { maxStreamBytes: number } = {
  maxDocumentBytes: 256 << 10,
  maxStreamBytes: 4 << 20,
  timeBudgetMs: 250,
};

/** The rule id of the information findings about what an analysis left out. */
export const ANALYSIS_LIMIT_RULE = 'analysis-limit';

const CONTINUE = /[ \t]/;
const BLOCK_SCALAR_HEADER = /^[|>][0-9+-]*[ \t]*(#.*)?$/;

/**
 * The offset at which a rough estimate of the nesting depth of `text` passes `limit`, or -1. It reads the text
 * alone, since the `yaml` parser takes seconds on a text nested a hundred thousand levels deep: open block
 * collections are counted from the indentation (twice each, since a map and a sequence may share one
 * indentation), compact `- `, `? ` and `: ` indicators twice each, flow brackets once each; quoted scalars,
 * comments and block scalar contents are skipped. The exact depth is checked on the parser's tokens.
 */
export function roughDepthExceeded(text: string, limit: number): number {
  const indents: number[] = [];
  let flow = 0;
  let quote = '';
  /** Indentation of the line that opened a block scalar, while its content lines follow. */
  let blockScalarOwner = -1;
  for (let lineStart = 0; lineStart <= text.length;) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    let i = lineStart;
    while (i < lineEnd && text[i] === ' ') i++;
    const indent = i - lineStart;
    const blank = !text.slice(i, lineEnd).trim();
    const inBlockScalar = blockScalarOwner >= 0 && (blank || indent > blockScalarOwner);
    if (!inBlockScalar && !blank) {
      blockScalarOwner = -1;
      if (!quote && flow === 0) {
        while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
      }
      let compact = 0;
      let nodeStart = !quote;
      for (; i < lineEnd; i++) {
        const c = text[i];
        if (quote) {
          if (quote === '"' && c === '\\') i++;
          else if (c === quote) {
            if (quote === "'" && text[i + 1] === "'") i++;
            else { quote = ''; nodeStart = false; }
          }
          continue;
        }
        if (c === ' ' || c === '\t' || c === '\r') continue;
        if (c === '#' && (i === lineStart || CONTINUE.test(text[i - 1]))) break;
        const next = i + 1 < lineEnd ? text[i + 1] : ' ';
        if (nodeStart && (c === '"' || c === "'")) { quote = c; continue; }
        if (c === '[' || c === '{') {
          if (flow || nodeStart) { flow++; nodeStart = true; }
        } else if (c === ']' || c === '}') {
          if (flow) flow--;
          nodeStart = false;
        } else if (flow && (c === ',' || ((c === ':' || c === '?') && (CONTINUE.test(next) || next === '\r')))) {
          nodeStart = true;
        } else if (!flow && (c === '-' || c === '?' || c === ':') && (CONTINUE.test(next) || next === '\r')) {
          if (nodeStart || c === ':') { compact++; nodeStart = true; } else nodeStart = false;
        } else if (nodeStart && (c === '&' || c === '!')) {
          while (i + 1 < lineEnd && !CONTINUE.test(text[i + 1])) i++;
        } else {
          if (!flow && (c === '|' || c === '>') && nodeStart && BLOCK_SCALAR_HEADER.test(text.slice(i, lineEnd).trimEnd())) {
            blockScalarOwner = indent;
            break;
          }
          nodeStart = false;
        }
        if (2 * (indents.length + compact) + flow > limit) return i;
      }
      if (2 * (indents.length + compact) + flow > limit) return lineStart + indent;
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return -1;
}

/** The offset of the first collection token nested deeper than `limit`, or -1; walks without recursion. */
export function tokenDepthExceeded(tokens: readonly Token[], limit: number = MAX_NESTING_DEPTH): number {
  const pending: [Token | null | undefined, number][] = tokens.map(token => [token, 0]);
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [token, depth] = next;
    if (!token) continue;
    if (token.type === 'document') pending.push([token.value, depth]);
    else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > limit) return token.offset;
      for (const item of token.items) pending.push(['key' in item ? item.key : undefined, depth + 1], [item.value, depth + 1]);
    }
  }
  return -1;
}

/**
 * `parseAllDocuments`, or the offset where the text nests too deeply for the composer to be called safely. Plain
 * block YAML (most manifests) is composed without the general parser, into the same nodes.
 * The rough check comes first and lets twice the depth (and one level) through, since it counts a block level
 * twice and a `key:` on the line as one more.
 */
export function parseBounded(text: string, options: { version: '1.1' | '1.2' }): Document[] | { tooDeepAt: number } {
  const plain = composePlainBlockYaml(text, options, MAX_NESTING_DEPTH);
  if (plain) return withDuplicateKeyErrors(plain);
  const roughly = roughDepthExceeded(text, 2 * (MAX_NESTING_DEPTH + 1));
  if (roughly >= 0) return { tooDeepAt: roughly };
  const tokens = Array.from(new Parser().parse(text));
  const exactly = tokenDepthExceeded(tokens);
  if (exactly >= 0) return { tooDeepAt: exactly };
  // The source tokens stay with the nodes: fixes read the positions of sequence dashes from them.
  return withDuplicateKeyErrors(Array.from(new Composer({ ...options, prettyErrors: false, uniqueKeys: false, keepSourceTokens: true }).compose(tokens)));
}

function withDuplicateKeyErrors(docs: Document[]): Document[] {
  for (const doc of docs) {
    const duplicates = duplicateKeyErrors(doc);
    if (duplicates.length) doc.errors = [...doc.errors, ...duplicates].sort((a, b) => a.pos[0] - b.pos[0]);
  }
  return docs;
}

/**
 * The errors of yaml's duplicate-key check, found in linear time: yaml compares each key with every earlier key
 * of its map, so that a map of 50,000 keys takes minutes to parse. Same rule: two keys are the same when they
 * are the same node or scalars of the same value.
 */
export function duplicateKeyErrors(doc: Document): YAMLParseError[] {
  const errors: YAMLParseError[] = [];
  const pending: unknown[] = [doc.contents];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const { key, value } of node.items) {
        const identity = isScalar(key) ? key.value : key;
        if (seen.has(identity)) {
          const start = (key as Node | null)?.range?.[0] ?? 0;
          errors.push(new YAMLParseError([start, start + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
        }
        seen.add(identity);
        pending.push(key, value);
      }
    } else if (isSeq(node)) {
      pending.push(...node.items);
    }
  }
  return errors;
}

/**
 * The alias at which the nodes added by following aliases pass `limit`, or undefined. An alias adds the nodes
 * of what it names, with the aliases in there followed too. Each node's size is counted once (anchors come
 * before their aliases), so this costs one walk of the document; an alias inside the node it names counts one.
 */
export function aliasExpansionExceeded(doc: Document, limit: number = MAX_ALIASED_NODES): Node | undefined {
  const sizes = new Map<unknown, number>();
  let added = 0;
  let exceededAt: Node | undefined;
  const sizeOf = (node: unknown): number => {
    if (exceededAt) return 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    sizes.set(node, 1);
    let size = 1;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      size = target ? sizeOf(target) : 1;
      added += size;
      if (added > limit && !exceededAt) exceededAt = node;
    } else if (isCollection(node)) {
      for (const item of node.items) size += isPair(item) ? 1 + sizeOf(item.key) + sizeOf(item.value) : sizeOf(item);
    } else if (!isScalar(node)) {
      size = node === null || node === undefined ? 0 : 1;
    }
    size = Math.min(size, limit + 1);
    sizes.set(node, size);
    return size;
  };
  sizeOf(doc.contents);
  return exceededAt;
}

/** The time left for a document's analysis; without a budget it never runs out. */
export class Deadline {
  private readonly end: number;

  constructor(budgetMs: number | undefined) {
    this.end = budgetMs === undefined ? Infinity : performance.now() + budgetMs;
  }

  get passed(): boolean {
    return this.end !== Infinity && performance.now() >= this.end;
  }
}

export function megabytes(length: number): string {
  return length < 1 << 20 ? `${Math.round(length / 1024)} KB` : `${(length / (1 << 20)).toFixed(1)} MB`;
}

const RUN_THE_CLI = 'Run the kube-immutable CLI on the file for every finding.';

export const LIMIT_MESSAGES = {
  tooDeep: () => `The YAML nests more than ${MAX_NESTING_DEPTH} levels deep, so this document was not analysed.`,
  aliasBomb: () => `Aliases expand this document by more than ${MAX_ALIASED_NODES.toLocaleString('en-US')} nodes (an alias bomb?), `
    + 'so it was not analysed. Kubernetes refuses such excessive aliasing too.',
  documentTooLarge: (length: number, maxBytes: number) =>
    `This document is ${megabytes(length)}; the editor analyses documents up to ${megabytes(maxBytes)}, so it was not analysed. ${RUN_THE_CLI}`,
  outOfTime: (budgetMs: number) => `The analysis of this document stopped after ${budgetMs} ms, so not every check ran on it. ${RUN_THE_CLI}`,
  streamTooLarge: (analysed: number, length: number, line: number) =>
    `Only the first ${megabytes(analysed)} of this ${megabytes(length)} file (up to line ${line}) were analysed: the editor stops `
    + `there to stay responsive. ${RUN_THE_CLI}`,
};

/** A limit's message id (`analysis-limit/<id>`) and its text. */
export interface LimitMessage { id: 'document-too-large' | 'out-of-time'; text: string }

/** An information finding about what was not analysed, on the line at offset `at`. */
export function limitFinding(message: LimitMessage, text: string, toRange: (span: readonly [number, number]) => Range, at = 0): RawFinding {
  const newline = text.indexOf('\n', at);
  const end = (newline < 0 ? text.length : newline) - (text[newline - 1] === '\r' ? 1 : 0);
  return { rule: ANALYSIS_LIMIT_RULE, messageId: `${ANALYSIS_LIMIT_RULE}/${message.id}`, severity: 'info', message: message.text, range: toRange([at, Math.max(at, end)]), documentIndex: 0 };
}

/** An exception caught in the analysis, for the caller to log. */
export function internalError(rule: string | undefined, error: unknown): InternalError {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? error.stack : undefined;
  return { ...(rule ? { rule } : {}), documentIndex: 0, message, ...(stack ? { stack } : {}) };
}
