// YAML as Helm's template functions write and read it. `toYaml` is sigs.k8s.io/yaml's Marshal: the value goes
// through Go's encoding/json, is read back by go-yaml v2 (so numbers become ints where they can) and written by
// go-yaml v2's emitter (a port of libyaml): keys sorted in go-yaml's "natural" order, 2-space indentation, lists
// flush with their key, strings quoted only when a plain scalar would read back as something else, long lines
// folded at 80 columns, multi-line strings as literal blocks. `fromYaml` is sigs.k8s.io/yaml's Unmarshal: YAML 1.1
// read by go-yaml v2's rules, then decoded as JSON, so every number is a float64.
// Facts from gopkg.in/yaml.v2 (emitterc.go, encode.go, resolve.go, sorter.go) and sigs.k8s.io/yaml (yaml.go).
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument, Scalar } from 'yaml';
import { goJsonValue, marshalJson } from '../../../gotemplate/sprig/json';
import { formatGoFloat, parseGoInt } from '../../../gotemplate/sprig/strconv';

// ---- go-yaml v2's resolver: what a plain scalar means ----

type YamlTag = 'null' | 'bool' | 'int' | 'float' | 'str' | 'timestamp' | 'merge';

const resolveMap = new Map<string, [YamlTag, unknown]>();
for (const [value, tag, words] of [
  [true, 'bool', 'y Y yes Yes YES true True TRUE on On ON'],
  [false, 'bool', 'n N no No NO false False FALSE off Off OFF'],
  [null, 'null', '~ null Null NULL'],
  [NaN, 'float', '.nan .NaN .NAN'],
  [Infinity, 'float', '.inf .Inf .INF +.inf +.Inf +.INF'],
  [-Infinity, 'float', '-.inf -.Inf -.INF'],
  ['<<', 'merge', '<<'],
] as const) for (const word of words.split(' ')) resolveMap.set(word, [tag as YamlTag, value]);
resolveMap.set('', ['null', null]);

const yamlStyleFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const base60Float = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
/** A timestamp as go-yaml v2 recognises one (it decodes it as a string into interface{}, but quotes it on output). */
function isTimestamp(text: string): boolean {
  if (!/^[0-9]{4}-/.test(text)) return false;
  return /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/.test(text);
}

/** What go-yaml v2 makes of a plain scalar: its tag and Go value (ints as bigint, floats as number). */
function resolvePlain(text: string): [YamlTag, unknown] {
  const hint = text === '' ? 'N' : text[0];
  const known = resolveMap.get(text);
  if (known) return known;
  if (hint === '.') {
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) && Number.isFinite(Number(text))) return ['float', Number(text)];
  } else if (/[-+0-9]/.test(hint)) {
    if (isTimestamp(text)) return ['timestamp', text];
    const plain = text.replace(/_/g, '');
    const int = parseGoInt(plain, 0) ?? parseGoInt(plain, 0, true);
    if (int !== undefined) return ['int', int];
    if (yamlStyleFloat.test(plain) && Number.isFinite(Number(plain))) return ['float', Number(plain)];
  }
  return ['str', text];
}

// ---- Encoding: the JSON round trip of sigs.k8s.io/yaml ----

type YamlNode = { scalar: string; style: 'plain' | 'double' | 'literal' } | { map: [YamlNode, YamlNode][] } | { seq: YamlNode[] };

/** The value as go-yaml v2 sees it after Go's JSON encoding and its own decoding: ints where JSON wrote an integer. */
function toNode(value: unknown, viaJson: boolean): YamlNode {
  if (value === null || value === undefined) return { scalar: 'null', style: 'plain' };
  if (typeof value === 'boolean') return { scalar: String(value), style: 'plain' };
  if (typeof value === 'bigint') return { scalar: value.toString(), style: 'plain' };
  if (typeof value === 'number' && !viaJson) return { scalar: formatYamlFloat(value), style: 'plain' };
  if (typeof value === 'number') {
    // JSON wrote the number; go-yaml reads an integer back as int64 (or uint64), anything else as float64.
    const json = marshalJson(value, false);
    const [tag, resolved] = resolvePlain(json);
    if (tag === 'int') return { scalar: (resolved as bigint).toString(), style: 'plain' };
    return { scalar: formatYamlFloat(resolved as number), style: 'plain' };
  }
  if (typeof value === 'string') return stringNode(value);
  if (Array.isArray(value)) return { seq: value.map(item => toNode(item, viaJson)) };
  if (typeof value === 'object') {
    const keys = Object.keys(value as object).sort(compareKeys);
    return { map: keys.map(key => [stringNode(key), toNode((value as Record<string, unknown>)[key], viaJson)]) };
  }
  return { scalar: 'null', style: 'plain' };
}

function formatYamlFloat(value: number): string {
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  if (Number.isNaN(value)) return '.nan';
  return formatGoFloat(value, 'g', -1);
}

/** go-yaml v2's encoder choice for a string: literal when multi-line, plain when it reads back as the same string. */
function stringNode(text: string): YamlNode {
  if (text.includes('\n')) return { scalar: text, style: 'literal' };
  const [tag] = resolvePlain(text);
  return { scalar: text, style: tag === 'str' && !base60Float.test(text) ? 'plain' : 'double' };
}

/** go-yaml v2's key order (sorter.go): letters after other characters, runs of digits compared as numbers. */
function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return keyLess(a, b) ? -1 : 1;
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => /\p{Nd}/u.test(c);

function keyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai].codePointAt(0)! - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi].codePointAt(0)! - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
  }
  return ar.length < br.length;
}

// ---- The emitter (libyaml's block style as go-yaml v2 drives it) ----

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

interface ScalarAnalysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

const isSpace = (c: string | undefined) => c === ' ';
const isBreak = (c: string | undefined) => c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlankOrEnd = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || isBreak(c) || c === '\0';

/** libyaml's printable set: tab and most control characters are not, nor is anything beyond the BMP. */
function isPrintable(c: string): boolean {
  const code = c.codePointAt(0)!;
  return code === 0x0a || (code >= 0x20 && code <= 0x7e) || code === 0x85 || (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff);
}

function analyzeScalar(chars: string[]): ScalarAnalysis {
  if (chars.length === 0) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false;
  let precededByWhitespace = true;
  let previousSpace = false, previousBreak = false;
  const head = chars.slice(0, 3).join('');
  if (head === '---' || head === '...') blockIndicators = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const followedByWhitespace = isBlankOrEnd(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else if (c === ':' && followedByWhitespace) blockIndicators = true;
    else if (c === '#' && precededByWhitespace) blockIndicators = true;
    if (!isPrintable(c)) special = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankOrEnd(c);
  }
  const result: ScalarAnalysis = { multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) result.blockPlainAllowed = false;
  if (trailingSpace) result.blockAllowed = false;
  if (breakSpace) result.blockPlainAllowed = result.singleQuotedAllowed = false;
  if (spaceBreak || special) result.blockPlainAllowed = result.singleQuotedAllowed = result.blockAllowed = false;
  if (lineBreaks) result.blockPlainAllowed = false;
  if (blockIndicators) result.blockPlainAllowed = false;
  return result;
}

const doubleQuoteEscapes: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e', 0x22: '"', 0x5c: '\\',
  0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

class Emitter {
  out = '';
  column = 0;
  indent = -1;
  indents: number[] = [];
  whitespace = true;
  indention = true;
  openEnded = false;

  constructor(private readonly indentSequences: boolean) {}

  private put(text: string): void {
    this.out += text;
    this.column++;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private restoreIndent(): void {
    this.indent = this.indents.pop()!;
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const c of indicator) this.put(c);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  emitDocument(node: YamlNode): string {
    this.emitNode(node, { root: true, sequence: false, mapping: false, simpleKey: false });
    this.writeIndent();
    if (this.openEnded) {
      this.writeIndicator('...', true, false, false);
      this.writeIndent();
    }
    return this.out;
  }

  private emitNode(node: YamlNode, context: { root: boolean; sequence: boolean; mapping: boolean; simpleKey: boolean }): void {
    if ('scalar' in node) return this.emitScalar(node.scalar, node.style, context.root, context.simpleKey);
    if ('seq' in node) {
      if (node.seq.length === 0) return this.emitEmptyFlow('[]');
      this.increaseIndent(false, context.mapping && !this.indention && !this.indentSequences);
      for (const item of node.seq) {
        this.writeIndent();
        this.writeIndicator('-', true, false, true);
        this.emitNode(item, { root: false, sequence: true, mapping: false, simpleKey: false });
      }
      return this.restoreIndent();
    }
    if (node.map.length === 0) return this.emitEmptyFlow('{}');
    this.increaseIndent(false, false);
    for (const [key, value] of node.map) {
      this.writeIndent();
      if (this.isSimpleKey(key)) {
        this.emitNode(key, { root: false, sequence: false, mapping: true, simpleKey: true });
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.emitNode(key, { root: false, sequence: false, mapping: true, simpleKey: false });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.emitNode(value, { root: false, sequence: false, mapping: true, simpleKey: false });
    }
    this.restoreIndent();
  }

  private emitEmptyFlow(text: string): void {
    this.writeIndicator(text[0], true, true, false);
    this.writeIndicator(text[1], false, false, false);
  }

  /** libyaml's check_simple_key for a scalar key: short and on one line. */
  private isSimpleKey(key: YamlNode): boolean {
    if (!('scalar' in key)) return false;
    return Array.from(key.scalar).length <= 128 && !analyzeScalar(Array.from(key.scalar)).multiline;
  }

  private emitScalar(text: string, requested: 'plain' | 'double' | 'literal', root: boolean, simpleKey: boolean): void {
    const chars = Array.from(text);
    const analysis = analyzeScalar(chars);
    let style: 'plain' | 'single' | 'double' | 'literal' = requested;
    if (simpleKey && analysis.multiline) style = 'double';
    if (style === 'plain') {
      if (!analysis.blockPlainAllowed) style = 'single';
      if (chars.length === 0 && simpleKey) style = 'single';
    }
    if (style === 'single' && !analysis.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!analysis.blockAllowed || simpleKey)) style = 'double';
    this.increaseIndent(true, false);
    const allowBreaks = !simpleKey;
    if (style === 'plain') this.writePlain(chars, allowBreaks, root);
    else if (style === 'single') this.writeSingleQuoted(chars, allowBreaks);
    else if (style === 'double') this.writeDoubleQuoted(chars, allowBreaks);
    else this.writeLiteral(chars);
    this.restoreIndent();
  }

  private writePlain(chars: string[], allowBreaks: boolean, root: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && !isSpace(chars[i + 1])) this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    if (chars.length > 0) this.whitespace = false;
    this.indention = false;
    if (root) this.openEnded = true;
  }

  private writeBreak(c: string): void {
    if (c === '\n') this.putBreak();
    else {
      this.out += c;
      this.column = 0;
    }
  }

  private writeSingleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1 && !isSpace(chars[i + 1])) this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === "'") this.put("'");
        this.put(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      const code = c.codePointAt(0)!;
      if (!isPrintable(c) || code === 0xfeff || isBreak(c) || c === '"' || c === '\\') {
        this.put('\\');
        const escape = doubleQuoteEscapes[code];
        if (escape) this.put(escape);
        else {
          const [prefix, width] = code <= 0xff ? ['x', 2] : code <= 0xffff ? ['u', 4] : ['U', 8];
          this.put(prefix);
          for (const digit of code.toString(16).toUpperCase().padStart(width, '0')) this.put(digit);
        }
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.writeIndent();
          if (isSpace(chars[i + 1])) this.put('\\');
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(chars: string[]): void {
    this.writeIndicator('|', true, false, false);
    if (isSpace(chars[0]) || isBreak(chars[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    this.openEnded = false;
    const last = chars.length - 1;
    let chomp = '';
    if (chars.length === 0 || !isBreak(chars[last])) chomp = '-';
    else if (last === 0 || isBreak(chars[last - 1])) chomp = '+';
    // As in libyaml, writing the chomping indicator clears the open end again.
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/**
 * sigs.k8s.io/yaml's Marshal (Helm's toYaml), with its trailing newline. `pretty` is Helm's toYamlPretty instead:
 * go-yaml v3 with an indent of 2, which takes the value as it is (no JSON round trip, so a float64 stays a float)
 * and indents lists under their key.
 */
export function marshalGoYaml(value: unknown, options: { pretty?: boolean } = {}): string {
  const pretty = options.pretty ?? false;
  return new Emitter(pretty).emitDocument(toNode(goJsonValue(value), !pretty));
}

// ---- Decoding: sigs.k8s.io/yaml's Unmarshal into interface{} ----

export class GoYamlError extends Error {}

/** How many nodes aliases may expand to before a document is refused (an alias bomb). */
const MAX_DECODED_NODES = 1_000_000;

/**
 * Reads YAML as sigs.k8s.io/yaml does: go-yaml v2's YAML 1.1 rules (yes/no are booleans, 0777 is octal, merge keys),
 * keys turned into strings, then JSON semantics: every number is a float64. Throws GoYamlError with Go's wording.
 */
export function unmarshalGoYaml(text: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false, lineCounter, prettyErrors: false, strict: false });
  if (doc.errors.length) {
    const error = doc.errors[0];
    const { line } = lineCounter.linePos(error.pos[0]);
    throw new GoYamlError(`error converting YAML to JSON: yaml: line ${line}: ${error.message.split('\n')[0]}`);
  }
  const budget = { nodes: MAX_DECODED_NODES };
  return decodeNode(doc.contents as Node | null, doc, budget);
}

/** How deep collections may nest in a decoded document. */
const MAX_DECODED_DEPTH = 1000;

function decodeNode(node: Node | null, doc: ReturnType<typeof parseDocument>, budget: { nodes: number }, depth = 0): unknown {
  if (--budget.nodes < 0) throw new GoYamlError('error converting YAML to JSON: yaml: document expands to too many nodes');
  if (depth > MAX_DECODED_DEPTH) throw new GoYamlError('error converting YAML to JSON: yaml: exceeded max depth of 1000');
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return decodeNode(node.resolve(doc) as Node, doc, budget, depth + 1);
  if (isScalar(node)) return scalarValue(node);
  if (isSeq(node)) return node.items.map(item => decodeNode(item as Node, doc, budget, depth + 1));
  if (isMap(node)) {
    const map: Record<string, unknown> = {};
    const merged: Record<string, unknown>[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.source === '<<') {
        for (const source of isSeq(pair.value) ? pair.value.items : [pair.value]) {
          const value = decodeNode(source as Node, doc, budget, depth + 1);
          if (value !== null && typeof value === 'object' && !Array.isArray(value)) merged.push(value as Record<string, unknown>);
          else throw new GoYamlError('error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value');
        }
        continue;
      }
      map[keyString(decodeNode(keyNode, doc, budget, depth + 1))] = decodeNode(pair.value as Node | null, doc, budget, depth + 1);
    }
    for (const source of merged) for (const key of Object.keys(source)) if (!(key in map)) map[key] = source[key];
    return map;
  }
  return null;
}

function scalarValue(node: Scalar): unknown {
  const text = String(node.value);
  if (node.type !== 'PLAIN') return text;
  const tag = node.tag;
  if (tag === 'tag:yaml.org,2002:str') return text;
  const [resolvedTag, value] = resolvePlain(text);
  switch (resolvedTag) {
    case 'int': return Number(value as bigint);
    case 'float': {
      if (!Number.isFinite(value as number)) throw new GoYamlError(`error converting YAML to JSON: json: unsupported value: ${formatGoFloat(value as number, 'g', -1)}`);
      return value;
    }
    case 'timestamp': case 'merge': return text;
    default: return value;
  }
}

/** How sigs.k8s.io/yaml turns a map key into a JSON object key. */
function keyString(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'boolean') return String(key);
  if (typeof key === 'number') return Number.isInteger(key) ? String(key) : formatYamlFloat(key);
  if (key === null) throw new GoYamlError('error converting YAML to JSON: unsupported map key of type: <nil>, key: <nil>');
  throw new GoYamlError('error converting YAML to JSON: unsupported map key of type: ' + (Array.isArray(key) ? '[]interface {}' : 'map[interface {}]interface {}'));
}
