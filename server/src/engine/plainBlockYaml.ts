// A composer for the plain YAML most manifests are written in: block maps and sequences, and flow maps and
// sequences (JSON among them), of one-line plain or quoted scalars and literal block scalars (`|`, `|-`). It builds
// the same nodes as `yaml`'s Parser and Composer (the same classes, values, ranges, styles, comments and blank-line
// marks) at a fraction of their cost, since the general parser builds a token tree and resolves each token's
// properties first. It takes the comments whose place among the nodes is plain: after a scalar on its line, and
// comment lines right above a key at the key's column or above the document's content. Anything else (other
// comments, anchors, tags, folded and other block scalars, multi-line plain or quoted scalars, escapes, empty
// values, tabs, CR line breaks, directives, more than one document) makes it give up, and the caller parses with
// `yaml`. Tests compare its documents with `yaml`'s on every text it takes.
import { Document, Pair, Scalar, Schema, YAMLMap, YAMLSeq } from 'yaml';

/** The offsets of the dashes of block sequences composed here (they have no source tokens to read them from). */
export const composedDashes = new WeakMap<YAMLSeq, number[]>();

const NEWLINE = 10, SPACE = 32, TAB = 9, CR = 13, HASH = 35, COLON = 58, DASH = 45, DQUOTE = 34, SQUOTE = 39;
const COMMA = 44, PIPE = 124, BACKSLASH = 92, LBRACE = 123, RBRACE = 125, LBRACKET = 91, RBRACKET = 93, DOT = 46;

// Nodes are made from prototypes that carry yaml's node type (`isMap` and the like read it through the prototype
// chain): the classes' constructors define it on each node with `Object.defineProperty`, which cost more than
// all the rest of composing a node.
const NODE_TYPE = Symbol.for('yaml.node.type');
const typed = <T>(proto: T, type: string, schema?: Schema): T => Object.create(proto as object, {
  [NODE_TYPE]: { value: Symbol.for(type) },
  ...(schema ? { schema: { value: schema, writable: true, configurable: true } } : {}),
});
const SCALAR_PROTO = typed(Scalar.prototype, 'yaml.scalar');
const PAIR_PROTO = typed(Pair.prototype, 'yaml.pair');
const DOCUMENT_PROTO = typed(Document.prototype, 'yaml.document');

/**
 * The tests of the default scalar tags of yaml's `yaml-1.1` and `core` schemas. With these alone, a plain scalar
 * other than `<<` is a string unless it starts with a digit, a sign, a dot, `~`, `e` or `E`, or is a word of at
 * most five letters starting with one of `NnYyTtOoFf` (null, yes, true, on, no, false, off and their spellings).
 */
const KNOWN_TESTS = new Set([
  '^(?:~|[Nn]ull|NULL)?$', '^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$', '^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$',
  '^[-+]?0b[0-1_]+$', '^[-+]?0[0-7_]+$', '^[-+]?[0-9][0-9_]*$', '^[-+]?0x[0-9a-fA-F_]+$',
  '^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$', '^[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_]*)?[eE][-+]?[0-9]+$',
  '^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*$', '^<<$', '^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$',
  '^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*$',
  '^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \\t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$',
  '^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$', '^0o[0-7]+$', '^[-+]?[0-9]+$', '^0x[0-9a-fA-F]+$',
  '^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)[eE][-+]?[0-9]+$', '^[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*)$',
]);
const WORD_STARTS = new Set('NnYyTtOoFf');

/** Whether a plain scalar is a string under the known tests, without running them. */
function surelyString(source: string): boolean {
  const c = source.charCodeAt(0);
  // YAML 1.1's exponent float needs no digit before its `e`: `e3` is a float.
  if (c === 101 || c === 69) return false;
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return source.length > 5 || !WORD_STARTS.has(source[0]);
  return !(c >= 48 && c <= 57) && c !== 43 && c !== DASH && c !== DOT && c !== 126;
}

/** What the documents of a version share: the schema, the prototypes holding it, and the resolution of scalars. */
interface VersionNodes {
  template: Document;
  schema: Schema;
  map: YAMLMap;
  seq: YAMLSeq;
  /** The scalar tags in the order yaml tries them, and the string tag it falls back to. */
  tags: ScalarTag[];
  stringTag: ScalarTag;
  /** Whether every default test is a known one, so that surelyString may skip them. */
  knownTests: boolean;
}
const versions = new Map<string, VersionNodes | null>();
function versionNodes(version: '1.1' | '1.2'): VersionNodes | null {
  let nodes = versions.get(version);
  if (nodes === undefined) {
    const template = new Document(undefined, { version, prettyErrors: false, uniqueKeys: false, keepSourceTokens: true });
    const schema = template.schema;
    const tags = (schema.tags as unknown as ScalarTag[]).filter(tag => !(tag as { collection?: string }).collection);
    const stringTag = tags.find(tag => tag.tag === 'tag:yaml.org,2002:str');
    nodes = !stringTag || (schema as { compat?: unknown }).compat ? null : {
      template, schema, tags, stringTag,
      map: typed(YAMLMap.prototype, 'yaml.map', schema), seq: typed(YAMLSeq.prototype, 'yaml.seq', schema),
      knownTests: tags.every(tag => !tag.default || !tag.test || KNOWN_TESTS.has(tag.test.source)),
    };
    versions.set(version, nodes);
  }
  return nodes;
}

/** A document of the version's kind, with its properties in the order yaml's constructor sets them. */
function newDocument(nodes: VersionNodes): Document {
  const { template } = nodes;
  const doc: Document = Object.create(DOCUMENT_PROTO);
  doc.commentBefore = null;
  doc.comment = null;
  doc.errors = [];
  doc.warnings = [];
  doc.options = { ...template.options };
  const directives = template.directives!;
  const Directives = directives.constructor as new (yaml: unknown, tags: unknown) => NonNullable<Document['directives']>;
  doc.directives = new Directives(directives.yaml, directives.tags);
  doc.schema = nodes.schema;
  return doc;
}

/** Thrown where the text leaves the subset; never escapes composePlainBlockYaml. */
const OUTSIDE = new Error('outside plain block YAML');

/** How a plain scalar resolves: a schema's tags in the order `yaml` tries them. */
interface ScalarTag {
  default?: boolean | 'key';
  test?: RegExp;
  tag: string;
  format?: string;
  resolve: (value: string, onError: (message: string) => void, options: object) => unknown;
}

class Composition {
  private readonly text: string;
  private readonly doc: Document;
  private readonly maxDepth: number;
  private readonly nodes: VersionNodes;
  /** Whether blank lines came before the line the next node starts on. */
  private blankBefore = false;

  constructor(text: string, doc: Document, nodes: VersionNodes, maxDepth: number) {
    this.text = text;
    this.doc = doc;
    this.nodes = nodes;
    this.maxDepth = maxDepth;
  }

  /** The document's contents; `start` is where its first line begins. */
  compose(start: number): { contents: YAMLMap | YAMLSeq; blankBefore: boolean; lineStart: number } {
    const line = this.contentLine(start);
    if (line === undefined || this.commentBefore !== undefined) throw OUTSIDE;
    const blankBefore = this.blankBefore;
    const at = line.start + line.indent;
    const first = this.text.charCodeAt(at);
    const contents = first === LBRACE || first === LBRACKET
      ? this.inlineValue(at, this.lineEnd(at), -1, 0) as YAMLMap | YAMLSeq
      : this.blockNode(line.start, line.indent, 0);
    // Only blank lines may follow: a line that ended the top collection early was not composed.
    if (this.contentLine(this.next) !== undefined) throw OUTSIDE;
    return { contents, blankBefore, lineStart: line.start };
  }

  /** Offset of the line after the last one consumed. */
  private next = 0;

  /** The comment lines right above the line contentLine found last, or undefined. */
  private commentBefore: string | undefined;

  /**
   * The next line with content from `from` (a line start): its start and indent; blank lines are skipped and noted,
   * and comment lines kept in `commentBefore` when they sit at the content's indent with no blank line about them.
   */
  private contentLine(from: number): { start: number; indent: number } | undefined {
    const text = this.text;
    let at = from;
    this.blankBefore = false;
    this.commentBefore = undefined;
    let commentIndent = -1;
    while (at < text.length) {
      let i = at;
      while (text.charCodeAt(i) === SPACE) i++;
      const c = text.charCodeAt(i);
      if (c === NEWLINE) {
        if (this.commentBefore !== undefined) throw OUTSIDE;
        this.blankBefore = true;
        at = i + 1;
        continue;
      }
      if (i >= text.length) { if (this.commentBefore !== undefined) throw OUTSIDE; this.blankBefore = true; this.next = text.length; return undefined; }
      if (c === HASH) {
        const end = this.lineEnd(i);
        const comment = text.slice(i + 1, end);
        if (this.blankBefore || end >= text.length || !comment || (commentIndent >= 0 && commentIndent !== i - at) || /[\t\r]/.test(comment)) throw OUTSIDE;
        commentIndent = i - at;
        this.commentBefore = this.commentBefore === undefined ? comment : `${this.commentBefore}\n${comment}`;
        at = end + 1;
        continue;
      }
      if (commentIndent >= 0 && commentIndent !== i - at) throw OUTSIDE;
      if (c === TAB || c === CR) throw OUTSIDE;
      if (i === at && (c === DASH || c === DOT) && text.startsWith(c === DASH ? '---' : '...', at)) {
        const after = text.charCodeAt(at + 3);
        if (at + 3 >= text.length || after === NEWLINE || after === SPACE || after === TAB || after === CR) throw OUTSIDE;
      }
      return { start: at, indent: i - at };
    }
    if (this.commentBefore !== undefined) throw OUTSIDE;
    this.next = at;
    return undefined;
  }

  private lineEnd(at: number): number {
    const end = this.text.indexOf('\n', at);
    return end < 0 ? this.text.length : end;
  }

  /** A map or a sequence whose first item starts at `at`, column `indent`, on a line of its own. */
  private blockNode(lineStart: number, indent: number, depth: number): YAMLMap | YAMLSeq {
    const at = lineStart + indent;
    if (this.isSequenceItem(at)) return this.sequence(at, indent, depth + 1);
    if (this.keyColon(at, this.lineEnd(at)) >= 0) return this.map(at, indent, depth + 1);
    throw OUTSIDE;
  }

  private isSequenceItem(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const after = this.text.charCodeAt(at + 1);
    return after === SPACE || after === NEWLINE || at + 1 >= this.text.length;
  }

  /**
   * The offset of the `:` of an implicit key starting at `at`, or -1 where the line holds no key before its end or
   * a comment.
   */
  private keyColon(at: number, end: number): number {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (first === LBRACE || first === LBRACKET) return -1;
    if (first === DQUOTE || first === SQUOTE) {
      const close = this.closingQuote(at, end);
      return text.charCodeAt(close + 1) === COLON && (close + 2 >= end || text.charCodeAt(close + 2) === SPACE) ? close + 1 : -1;
    }
    for (let i = at; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON) {
        if (i + 1 >= end || text.charCodeAt(i + 1) === SPACE) return i;
      } else if (c === HASH && text.charCodeAt(i - 1) === SPACE) {
        return -1;
      } else if (c === TAB || c === CR) {
        throw OUTSIDE;
      }
    }
    return -1;
  }

  /** The offset of the quote closing the one-line quoted scalar opened at `at`. */
  private closingQuote(at: number, end: number): number {
    const text = this.text;
    const quote = text.charCodeAt(at);
    for (let i = at + 1; i < end; i++) {
      const c = text.charCodeAt(i);
      if ((c === BACKSLASH && quote === DQUOTE) || c === TAB || c === CR || c === NEWLINE) throw OUTSIDE;
      if (c === quote) {
        if (quote === SQUOTE && text.charCodeAt(i + 1) === SQUOTE) { i++; continue; }
        return i;
      }
    }
    throw OUTSIDE;
  }

  private map(at: number, indent: number, depth: number): YAMLMap {
    if (depth > this.maxDepth) throw OUTSIDE;
    const map = this.collection(this.nodes.map);
    let keyStart = at;
    let spaceBefore = false;
    let commentBefore: string | undefined;
    for (;;) {
      const end = this.lineEnd(keyStart);
      const colon = this.keyColon(keyStart, end);
      if (colon < 0) throw OUTSIDE;
      const key = this.key(keyStart, colon);
      if (spaceBefore) key.spaceBefore = true;
      if (commentBefore !== undefined) key.commentBefore = commentBefore;
      const value = this.value(colon + 1, end, indent, depth);
      const pair: Pair<Scalar, unknown> = Object.create(PAIR_PROTO);
      pair.key = key;
      pair.value = value;
      map.items.push(pair);
      const line = this.contentLine(this.next);
      if (line === undefined || line.indent < indent) break;
      if (line.indent > indent) throw OUTSIDE;
      keyStart = line.start + indent;
      if (this.isSequenceItem(keyStart)) throw OUTSIDE;
      spaceBefore = this.blankBefore;
      commentBefore = this.commentBefore;
    }
    const mapEnd = (map.items[map.items.length - 1].value as Scalar).range![2];
    map.range = [at, mapEnd, mapEnd];
    return map;
  }

  private sequence(at: number, indent: number, depth: number): YAMLSeq {
    if (depth > this.maxDepth) throw OUTSIDE;
    const text = this.text;
    const seq = this.collection(this.nodes.seq);
    const dashes: number[] = [];
    let dash = at;
    let spaceBefore = false;
    for (;;) {
      dashes.push(dash);
      const end = this.lineEnd(dash);
      let item = dash + 1;
      if (item >= end) throw OUTSIDE;
      while (text.charCodeAt(item) === SPACE) item++;
      if (item >= end || this.isSequenceItem(item)) throw OUTSIDE;
      const itemIndent = item - (dash - indent);
      const node = this.keyColon(item, end) >= 0 ? this.map(item, itemIndent, depth + 1) : this.inlineValue(item, end, indent, depth);
      if (spaceBefore) node.spaceBefore = true;
      seq.items.push(node);
      const line = this.contentLine(this.next);
      if (line === undefined || line.indent < indent) break;
      if (line.indent > indent) throw OUTSIDE;
      // A comment at the items' column belongs to the sequence in yaml, whatever follows it.
      if (this.commentBefore !== undefined) throw OUTSIDE;
      dash = line.start + indent;
      if (!this.isSequenceItem(dash)) break;
      spaceBefore = this.blankBefore;
    }
    const last = seq.items[seq.items.length - 1] as Scalar;
    const seqEnd = last.range![2];
    seq.range = [at, seqEnd, seqEnd];
    composedDashes.set(seq, dashes);
    return seq;
  }

  private key(at: number, colon: number): Scalar {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (first === DQUOTE || first === SQUOTE) return this.quoted(at, colon - 1, colon);
    if (text.charCodeAt(colon - 1) === SPACE || !plainStart(text, at)) throw OUTSIDE;
    const source = text.slice(at, colon);
    if (source === '<<') throw OUTSIDE;
    return this.plain(source, at, colon, colon, true);
  }

  /** The value after a key's `:` at `from` on a line ending at `end`; sets `next` to the line after it. */
  private value(from: number, end: number, indent: number, depth: number): Scalar | YAMLMap | YAMLSeq {
    const text = this.text;
    let at = from;
    while (text.charCodeAt(at) === SPACE) at++;
    if (at < end) return this.inlineValue(at, end, indent, depth);
    const line = this.contentLine(end + 1);
    if (line === undefined || this.commentBefore !== undefined) throw OUTSIDE;
    const spaceBefore = this.blankBefore;
    let node: YAMLMap | YAMLSeq;
    if (line.indent > indent) node = this.blockNode(line.start, line.indent, depth);
    else if (line.indent === indent && this.isSequenceItem(line.start + indent)) node = this.sequence(line.start + indent, indent, depth + 1);
    else throw OUTSIDE;
    if (spaceBefore) node.spaceBefore = true;
    return node;
  }

  /**
   * A scalar or a flow collection that fills the rest of its line from `at` (not a space), in a block collection at
   * column `indent`; a flow collection may go on over lines indented more than that.
   */
  private inlineValue(at: number, end: number, indent: number, depth: number): Scalar | YAMLMap | YAMLSeq {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (first === LBRACE || first === LBRACKET) {
      const node = this.flow(at, depth + 1, indent);
      const close = node.range![1];
      const lineEnd = this.lineEnd(close);
      for (let i = close; i < lineEnd; i++) if (text.charCodeAt(i) !== SPACE) throw OUTSIDE;
      this.next = lineEnd < text.length ? lineEnd + 1 : lineEnd;
      node.range![2] = this.next;
      return node;
    }
    if (first === PIPE) return this.literal(at, end, indent);
    const next = end < text.length ? end + 1 : end;
    this.next = next;
    if (first === DQUOTE || first === SQUOTE) {
      const close = this.closingQuote(at, end);
      let i = close + 1;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      const comment = i < end ? this.trailingComment(i, end) : undefined;
      return withComment(this.quoted(at, close, next), comment);
    }
    if (!plainStart(text, at)) throw OUTSIDE;
    let last = end;
    let comment: string | undefined;
    for (let i = at; i < last; i++) {
      const c = text.charCodeAt(i);
      if (c === HASH && text.charCodeAt(i - 1) === SPACE) {
        comment = this.trailingComment(i, end);
        last = i;
        break;
      }
      if (c === COLON ? i + 1 === end || text.charCodeAt(i + 1) === SPACE : c === TAB || c === CR) throw OUTSIDE;
    }
    while (text.charCodeAt(last - 1) === SPACE) last--;
    if (text.charCodeAt(last - 1) === COLON) throw OUTSIDE;
    return withComment(this.plain(text.slice(at, last), at, last, next, false), comment);
  }

  /**
   * A literal block scalar (`|` or `|-`, nothing else on its line) of a block collection at column `indent`: its lines
   * are those indented as its first one or more, with empty lines between them; the first line's indent is the
   * scalar's. Leading empty lines, `|+`, explicit indents and folded scalars (`>`) leave the subset. Trailing empty
   * lines are not the scalar's, as in yaml.
   */
  private literal(at: number, end: number, indent: number): Scalar {
    const text = this.text;
    const strip = text.charCodeAt(at + 1) === DASH;
    if (end !== at + (strip ? 2 : 1) || end >= text.length) throw OUTSIDE;
    let lineStart = end + 1;
    let own = -1;
    let contentEnd = lineStart;
    let value = '';
    let empty = 0;
    while (lineStart < text.length) {
      let i = lineStart;
      while (text.charCodeAt(i) === SPACE) i++;
      const lineEnd = this.lineEnd(lineStart);
      // A line of spaces is an empty line of the scalar, or its content where it holds more than the indent.
      if (i === lineEnd && (own < 0 || i - lineStart <= own)) {
        if (own < 0) throw OUTSIDE;
        empty++;
        lineStart = lineEnd + 1;
        continue;
      }
      if (own < 0) {
        own = i - lineStart;
        if (own <= indent) throw OUTSIDE;
      } else if (i - lineStart < own) {
        break;
      }
      const line = text.slice(lineStart + own, lineEnd);
      if (line.includes('\t') || line.includes('\r')) throw OUTSIDE;
      value = value === '' ? line : value + '\n'.repeat(empty + 1) + line;
      empty = 0;
      contentEnd = lineEnd < text.length ? lineEnd + 1 : lineEnd;
      lineStart = lineEnd + 1;
    }
    if (own < 0) throw OUTSIDE;
    this.next = contentEnd;
    return scalar(strip ? value : `${value}\n`, [at, contentEnd, contentEnd], strip ? value : `${value}\n`, Scalar.BLOCK_LITERAL, undefined);
  }

  /** The text of the comment that starts at `at` (a `#` after a space) and ends the line at `end`. */
  private trailingComment(at: number, end: number): string {
    const comment = this.text.slice(at + 1, end);
    if (this.text.charCodeAt(at) !== HASH || !comment || /[\t\r]/.test(comment)) throw OUTSIDE;
    return comment;
  }

  /**
   * The flow collection opened at `at`, its range ending at its closing bracket (a caller extends the last part).
   * Its lines after the first are indented more than `indent`; a trailing comma or an entry without `: ` leaves
   * the subset.
   */
  private flow(at: number, depth: number, indent: number): YAMLMap | YAMLSeq {
    if (depth > this.maxDepth) throw OUTSIDE;
    const text = this.text;
    const isMap = text.charCodeAt(at) === LBRACE;
    const closing = isMap ? RBRACE : RBRACKET;
    const node = this.collection<YAMLMap | YAMLSeq>(isMap ? this.nodes.map : this.nodes.seq);
    node.flow = true;
    let i = this.flowSpace(at + 1, indent);
    if (text.charCodeAt(i) !== closing) {
      for (;;) {
        if (isMap) {
          const key = this.flowScalar(i, indent, true);
          i = this.flowNext;
          const after = text.charCodeAt(i + 1);
          if (text.charCodeAt(i) !== COLON || (after !== SPACE && after !== NEWLINE)) throw OUTSIDE;
          if (key.source === '<<') throw OUTSIDE;
          const value = this.flowNode(this.flowSpace(i + 1, indent), depth, indent);
          const pair: Pair<Scalar, unknown> = Object.create(PAIR_PROTO);
          pair.key = key;
          pair.value = value;
          (node as YAMLMap).items.push(pair);
          i = value.range![2];
        } else {
          const item = this.flowNode(i, depth, indent);
          (node as YAMLSeq).items.push(item);
          i = item.range![2];
        }
        const c = text.charCodeAt(i);
        if (c === closing) break;
        if (c !== COMMA) throw OUTSIDE;
        i = this.flowSpace(i + 1, indent);
        if (text.charCodeAt(i) === closing) throw OUTSIDE;
      }
    }
    node.range = [at, i + 1, i + 1];
    return node;
  }

  /** A value in a flow collection; its range ends past the white space after it. */
  private flowNode(at: number, depth: number, indent: number): Scalar | YAMLMap | YAMLSeq {
    const c = this.text.charCodeAt(at);
    if (c !== LBRACE && c !== LBRACKET) return this.flowScalar(at, indent, false);
    const node = this.flow(at, depth + 1, indent);
    node.range![2] = this.flowSpace(node.range![1], indent);
    return node;
  }

  /** Where the scalar flowScalar read last is followed by something other than white space. */
  private flowNext = 0;

  /** A one-line scalar in a flow collection; a value's range ends past the white space after it, a key's does not. */
  private flowScalar(at: number, indent: number, atKey: boolean): Scalar {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (first === DQUOTE || first === SQUOTE) {
      const close = this.closingQuote(at, text.length);
      this.flowNext = this.flowSpace(close + 1, indent);
      return this.quoted(at, close, atKey ? close + 1 : this.flowNext);
    }
    if (!plainStart(text, at) || ((first === DASH || first === 63 || first === COLON) && isFlowIndicator(text.charCodeAt(at + 1)))) throw OUTSIDE;
    let i = at;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === NEWLINE || isFlowIndicator(c)) break;
      if (c === COLON) {
        const after = text.charCodeAt(i + 1);
        if (after === SPACE || after === NEWLINE || i + 1 >= text.length || isFlowIndicator(after)) break;
      } else if ((c === HASH && text.charCodeAt(i - 1) === SPACE) || c === TAB || c === CR) {
        throw OUTSIDE;
      }
    }
    let last = i;
    while (text.charCodeAt(last - 1) === SPACE) last--;
    const end = this.flowSpace(i, indent);
    // What follows must end the scalar: a plain scalar going on over lines leaves the subset.
    const next = text.charCodeAt(end);
    if (next !== COMMA && next !== COLON && next !== RBRACE && next !== RBRACKET) throw OUTSIDE;
    this.flowNext = end;
    return this.plain(text.slice(at, last), at, last, atKey ? last : end, atKey);
  }

  /** Past the spaces and line breaks from `at` inside a flow collection, each line indented more than `indent`. */
  private flowSpace(at: number, indent: number): number {
    const text = this.text;
    let i = at;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === SPACE) { i++; continue; }
      if (c !== NEWLINE) break;
      const lineStart = ++i;
      while (text.charCodeAt(i) === SPACE) i++;
      const next = text.charCodeAt(i);
      if (next !== NEWLINE && i - lineStart <= indent) throw OUTSIDE;
      if (i === lineStart && (next === DASH || next === DOT) && (text.startsWith('---', i) || text.startsWith('...', i))) throw OUTSIDE;
    }
    if (i >= text.length) throw OUTSIDE;
    const c = text.charCodeAt(i);
    if (c === TAB || c === CR || c === HASH) throw OUTSIDE;
    return i;
  }

  private collection<T extends YAMLMap | YAMLSeq>(proto: T): T {
    const collection: T = Object.create(proto);
    collection.items = [];
    return collection;
  }

  /** The tag a plain scalar resolves to, found as `yaml` finds it (the first default tag whose test matches). */
  private tagOf(source: string, atKey: boolean): ScalarTag {
    const { tags, stringTag, knownTests } = this.nodes;
    if (knownTests && surelyString(source)) return stringTag;
    for (const tag of tags) {
      if ((tag.default === true || (atKey && tag.default === 'key')) && tag.test?.test(source)) return tag;
    }
    return stringTag;
  }

  private plain(source: string, start: number, end: number, nodeEnd: number, atKey: boolean): Scalar {
    const tag = this.tagOf(source, atKey);
    let value: unknown = source;
    if (tag !== this.nodes.stringTag) {
      let failed = false;
      try {
        value = tag.resolve(source, () => { failed = true; }, this.doc.options);
      } catch {
        throw OUTSIDE;
      }
      if (failed) throw OUTSIDE;
      // Some tags (null and bool) resolve to a scalar node, which yaml then uses as the node.
      if (value instanceof Scalar) {
        if (Object.keys(value).length !== 1) throw OUTSIDE;
        value = value.value;
      }
    }
    return scalar(value, [start, end, nodeEnd], source, Scalar.PLAIN, tag.format);
  }

  /** A one-line quoted scalar from `at` to its closing quote `close`. */
  private quoted(at: number, close: number, nodeEnd: number): Scalar {
    const text = this.text;
    const double = text.charCodeAt(at) === DQUOTE;
    let value = text.slice(at + 1, close);
    if (!double && value.includes("''")) value = value.replace(/''/g, "'");
    return scalar(value, [at, close + 1, nodeEnd], value, double ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, undefined);
  }
}

/** The scalar with the comment that follows it on its line, set last as yaml's composer sets it. */
function withComment(node: Scalar, comment: string | undefined): Scalar {
  if (comment !== undefined) node.comment = comment;
  return node;
}

/** A scalar with its properties in the order `yaml`'s composer sets them. */
function scalar(value: unknown, range: [number, number, number], source: string, type: Scalar.Type, format: string | undefined): Scalar {
  const node: Scalar = Object.create(SCALAR_PROTO);
  node.value = value;
  node.range = range;
  node.source = source;
  node.type = type;
  if (format) node.format = format;
  return node;
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

/** Whether a plain scalar may start at `at`: not with an indicator, and `-`, `?`, `:` only before a non-space. */
function plainStart(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  switch (c) {
    case 44: case 91: case 93: case 123: case 125: case HASH: case 38: case 42: case 33: case 124: case 62:
    case SQUOTE: case DQUOTE: case 37: case 64: case 96:
      return false;
    case DASH: case 63: case COLON: {
      const after = text.charCodeAt(at + 1);
      return !(after === SPACE || after === NEWLINE || at + 1 >= text.length);
    }
    default:
      return true;
  }
}

/**
 * The document `text` holds, composed as `yaml` would with `keepSourceTokens` off and `uniqueKeys` off, or
 * undefined where the text is not plain block YAML of one document.
 */
export function composePlainBlockYaml(text: string, options: { version: '1.1' | '1.2' }, maxDepth: number): Document[] | undefined {
  let start = 0;
  let docStart = false;
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  if (text.startsWith('---')) {
    const after = text.charCodeAt(3);
    if (after !== NEWLINE) return undefined;
    docStart = true;
    start = 4;
  }
  // Comment lines right above the content (Helm writes `# Source: <template>` there) are the one place a comment
  // is taken: yaml gives them to the contents after `---`, else to the first key or item.
  let comment: string | undefined;
  while (text.charCodeAt(start) === HASH) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start + 1, end < 0 ? text.length : end);
    if (end < 0 || !line || line.includes('\r') || line.includes('\t')) return undefined;
    comment = comment === undefined ? line : `${comment}\n${line}`;
    start = end + 1;
  }
  const nodes = versionNodes(options.version);
  if (!nodes) return undefined;
  const doc = newDocument(nodes);
  try {
    const { contents, blankBefore, lineStart } = new Composition(text, doc, nodes, maxDepth).compose(start);
    if (docStart) {
      doc.directives!.docStart = true;
      if (blankBefore) contents.spaceBefore = true;
    }
    if (comment !== undefined) {
      if (blankBefore || contents.flow || lineStart !== start) return undefined;
      if (docStart) contents.commentBefore = comment;
      else {
        const first = contents.items[0];
        (first instanceof Pair ? first.key as Scalar : first as Scalar).commentBefore = comment;
      }
    }
    doc.contents = contents;
    doc.range = [docStart ? 0 : lineStart, contents.range![2], text.length];
    return [doc];
  } catch (error) {
    if (error === OUTSIDE) return undefined;
    throw error;
  }
}
