// What Helm reads of a rendered manifest to sort it (pkg/releaseutil/manifest_sorter.go: a `SimpleHead`, of which
// the sort uses the kind and the `helm.sh/hook` annotation), read here without a YAML parser when the document
// keeps to the block YAML that templates render: maps and sequences by indentation, one-line plain and quoted
// scalars, block scalars, empty flow collections, comments. Helm parses every document in full and fails on one
// that is not YAML, so the scanner checks the whole document, not only its head: a head it returns promises that
// the full parse succeeds with the same kind and hook. Anything it is not sure of (tabs, anchors, tags, flow
// collections with content, multi-line scalars, odd indentation...) leaves the document to the full parse.

export interface ManifestHead {
  /** `kind` when it is a string, else ''. */
  kind: string;
  /** `metadata.annotations["helm.sh/hook"]` when it is a string. */
  hook?: string;
}

/** The head of a document of plain block YAML, or undefined when the document needs the full parse. */
export function scanManifestHead(content: string): ManifestHead | undefined {
  if (OUTSIDE_SUBSET_CHARACTERS.test(content)) return undefined;
  try {
    return new HeadScanner(content).scan();
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
}

/**
 * Characters whose meaning the scanner does not weigh: tabs and carriage returns (indentation and line breaks),
 * other control characters, the byte order mark, Unicode line separators (line breaks in YAML 1.1) and surrogates.
 */
const OUTSIDE_SUBSET_CHARACTERS = /[^\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;

/** Thrown inside the scanner when the document leaves the subset; never escapes it. */
const NOT_PLAIN = new Error('not plain block YAML');

/** Nesting deeper than this goes to the full parse, so that a hostile document cannot exhaust the stack here. */
const MAX_DEPTH = 64;
/** The `yaml` package refuses implicit keys of more than 1024 characters; long keys go to the full parse. */
const MAX_KEY_LENGTH = 1000;

const KIND_PATH = 'kind';
const HOOK_PATH = 'metadata\0annotations\0helm.sh/hook';

/** Words that YAML 1.1 reads as booleans or null (the `yaml` package's yaml-1.1 schema), not as strings. */
const NOT_STRING_WORDS = /^(?:[Yy]|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON|[Nn]|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF|[Nn]ull|NULL)$/;
/** Plain keys the scanner reads as written (a first character that is no indicator, no spaces, no flow characters). */
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*/;
/** First characters of a plain scalar that neither start something else (an indicator) nor need care. */
const PLAIN_START = /^(?:[A-Za-z0-9_./$(~=+^;<\\\u00a0-\uffff]|-[^ ])/;
const BLOCK_SCALAR_HEADER = /^[|>][+-]?(?: +(?:#.*)?)?$/;
const EMPTY_FLOW = /^(?:\{ *\}|\[ *\])(?: +(?:#.*)?)?$/;
/** What may follow a quoted scalar on its line: nothing, or a comment after white space. */
const AFTER_QUOTED = /^(?: +(?:#.*)?)?$/;

/** A scalar's value as far as the head needs it: a string, no string, or not known without the YAML schema. */
type Scalar = { string: string } | 'not a string' | 'unknown';

class HeadScanner {
  private readonly lines: string[];
  private at = 0;
  private kind: string | undefined;
  private hook: string | undefined;

  constructor(content: string) {
    this.lines = content.split('\n');
  }

  scan(): ManifestHead {
    this.blockNode(0, '', 0);
    if (this.nextLine() < this.lines.length) throw NOT_PLAIN;
    return this.hook === undefined ? { kind: this.kind ?? '' } : { kind: this.kind ?? '', hook: this.hook };
  }

  /** The index of the next line that holds more than white space or a comment (the lines length at the end). */
  private nextLine(): number {
    while (this.at < this.lines.length && /^ *(?:#|$)/.test(this.lines[this.at])) this.at++;
    return this.at;
  }

  /**
   * A node that starts on the next line, indented by at least `minIndent` (none there: null). `path` is the keys
   * that lead to it from the top through maps only, while it can still lead to the kind or the hook.
   */
  private blockNode(minIndent: number, path: string | undefined, depth: number): void {
    if (depth > MAX_DEPTH) throw NOT_PLAIN;
    const index = this.nextLine();
    if (index === this.lines.length || indentOf(this.lines[index]) < minIndent) { this.record(path, 'not a string'); return; }
    const line = this.lines[index];
    const indent = indentOf(line);
    const text = line.slice(indent);
    if (isSequenceEntry(text)) { this.record(path, 'not a string'); this.sequence(indent, depth); return; }
    if (readKey(text)) { this.record(path, 'not a string'); this.map(indent, path, depth); return; }
    const value = readValue(text);
    if (value === 'empty' || value === 'block scalar') throw NOT_PLAIN;
    this.at++;
    this.record(path, value);
    // A line after a scalar that is indented as its continuation would make it a multi-line scalar.
    const after = this.nextLine();
    if (after < this.lines.length && indentOf(this.lines[after]) >= minIndent) throw NOT_PLAIN;
  }

  /** The entries of a block map whose keys stand at `indent`. */
  private map(indent: number, path: string | undefined, depth: number): void {
    for (let index = this.nextLine(); index < this.lines.length; index = this.nextLine()) {
      const line = this.lines[index];
      const lineIndent = indentOf(line);
      if (lineIndent < indent) return;
      if (lineIndent > indent) throw NOT_PLAIN;
      const entry = readKey(line.slice(indent));
      if (!entry) throw NOT_PLAIN;
      const keyPath = path === undefined ? undefined : path === '' ? entry.key : `${path}\0${entry.key}`;
      const tracked = keyPath !== undefined && leadsToHead(keyPath) ? keyPath : undefined;
      // A key given again replaces its value (the later one wins), and what was read below it.
      if (tracked !== undefined && (HOOK_PATH === tracked || HOOK_PATH.startsWith(`${tracked}\0`))) this.hook = undefined;
      this.at++;
      const value = readValue(entry.rest);
      if (value === 'block scalar') {
        if (tracked === KIND_PATH || tracked === HOOK_PATH) throw NOT_PLAIN;
        this.blockScalar(indent);
      } else if (value !== 'empty') {
        this.record(tracked, value);
      } else {
        const next = this.nextLine();
        // A sequence may stand at its key's own indentation.
        if (next < this.lines.length && indentOf(this.lines[next]) === indent && isSequenceEntry(this.lines[next].slice(indent))) {
          this.record(tracked, 'not a string');
          this.sequence(indent, depth + 1);
        } else {
          this.blockNode(indent + 1, tracked, depth + 1);
        }
      }
    }
  }

  /** The entries of a block sequence whose dashes stand at `indent`. */
  private sequence(indent: number, depth: number): void {
    for (let index = this.nextLine(); index < this.lines.length; index = this.nextLine()) {
      const line = this.lines[index];
      const lineIndent = indentOf(line);
      if (lineIndent < indent) return;
      if (lineIndent > indent) throw NOT_PLAIN;
      if (!isSequenceEntry(line.slice(indent))) return;
      // The entry's node starts after the dash, as if the dash were a space: `- a: 1` opens a map at `a`'s column,
      // whose next keys stand under it; a dash alone leaves the node to the lines below.
      this.lines[index] = `${line.slice(0, indent)} ${line.slice(indent + 1)}`;
      this.blockNode(indent + 1, undefined, depth + 1);
    }
  }

  /** The lines of a block scalar whose key stands at `parentIndent`, up to the first line back at that level. */
  private blockScalar(parentIndent: number): void {
    let contentIndent: number | undefined;
    let leadingBlank = 0;
    for (; this.at < this.lines.length; this.at++) {
      const line = this.lines[this.at];
      if (/^ *$/.test(line)) {
        if (contentIndent === undefined) leadingBlank = Math.max(leadingBlank, line.length);
        continue;
      }
      const indent = indentOf(line);
      if (indent <= parentIndent) break;
      if (contentIndent === undefined) contentIndent = indent;
      // A line less indented than the content but more than the key, or leading blank lines longer than the
      // content's indentation, are errors or need the YAML rules on indentation.
      else if (indent < contentIndent) throw NOT_PLAIN;
    }
    if (leadingBlank > (contentIndent ?? parentIndent)) throw NOT_PLAIN;
  }

  private record(path: string | undefined, value: Scalar): void {
    if (path !== KIND_PATH && path !== HOOK_PATH) return;
    if (value === 'unknown') throw NOT_PLAIN;
    const text = value === 'not a string' ? undefined : value.string;
    if (path === KIND_PATH) this.kind = text;
    else this.hook = text;
  }
}

function leadsToHead(path: string): boolean {
  return path === KIND_PATH || path === HOOK_PATH || HOOK_PATH.startsWith(`${path}\0`);
}

function indentOf(line: string): number {
  let indent = 0;
  while (line.charCodeAt(indent) === 0x20) indent++;
  return indent;
}

function isSequenceEntry(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** A map entry's key and the text after its colon, or undefined when the text is not a key of the subset. */
function readKey(text: string): { key: string; rest: string } | undefined {
  let key: string;
  let end: number;
  if (text[0] === '"' || text[0] === "'") {
    const quoted = readQuoted(text);
    if (!quoted) return undefined;
    ({ value: key, end } = quoted);
  } else {
    const plain = PLAIN_KEY.exec(text);
    if (!plain) return undefined;
    key = plain[0];
    end = key.length;
  }
  if (text[end] !== ':' || (end + 1 < text.length && text[end + 1] !== ' ')) return undefined;
  if (end > MAX_KEY_LENGTH) throw NOT_PLAIN;
  return { key, rest: text.slice(end + 1) };
}

/** A one-line quoted scalar at the start of `text` and where it ends; double quotes only without escapes. */
function readQuoted(text: string): { value: string; end: number } | undefined {
  if (text[0] === '"') {
    const close = text.indexOf('"', 1);
    if (close < 0 || text.lastIndexOf('\\', close) > 0) return undefined;
    return { value: text.slice(1, close), end: close + 1 };
  }
  let value = '';
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== "'") { value += text[i]; continue; }
    if (text[i + 1] !== "'") return { value, end: i + 1 };
    value += "'";
    i++;
  }
  return undefined;
}

/**
 * What follows a key's colon (or stands alone on a line): nothing (the value, if any, is on the lines below), a
 * block scalar's header, or a one-line scalar. Text outside the subset throws.
 */
function readValue(rest: string): Scalar | 'empty' | 'block scalar' {
  const text = rest.replace(/^ +/, '');
  if (text === '' || text[0] === '#') return 'empty';
  if (text[0] === '"' || text[0] === "'") {
    const quoted = readQuoted(text);
    if (!quoted || !AFTER_QUOTED.test(text.slice(quoted.end))) throw NOT_PLAIN;
    return { string: quoted.value };
  }
  if (text[0] === '{' || text[0] === '[') {
    if (!EMPTY_FLOW.test(text)) throw NOT_PLAIN;
    return 'not a string';
  }
  if (text[0] === '|' || text[0] === '>') {
    if (!BLOCK_SCALAR_HEADER.test(text)) throw NOT_PLAIN;
    return 'block scalar';
  }
  if (!PLAIN_START.test(text)) throw NOT_PLAIN;
  const comment = text.indexOf(' #');
  const plain = (comment < 0 ? text : text.slice(0, comment)).trimEnd();
  // `a: b: c` and `a: b:` would be maps inside the value, which YAML refuses.
  if (plain.includes(': ') || plain.endsWith(':')) throw NOT_PLAIN;
  return /^[A-Za-z]/.test(plain) && !NOT_STRING_WORDS.test(plain) ? { string: plain } : 'unknown';
}
