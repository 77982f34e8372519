// A fast reader for the YAML that Kubernetes manifests are written in: block maps and sequences, one-line plain,
// quoted and flow scalars, and literal blocks. It reads several times faster than the full parser, which the
// render of a large tree (argo-cd's CRDs are megabytes) needs. Anything outside that subset (anchors, aliases,
// tags, folded or multi-line scalars, multi-line flow collections, complex keys) returns undefined and the
// caller uses the full parser, so this reader never has to be right about what it does not know.
import { Origin } from '../origin';
import { KEntry, KNode, KScalar, literalOrigin, plainScalar } from './tree';
import { trimTrailing } from '../text';

class Unsupported extends Error {}

/** The documents of `text`, or undefined when it holds YAML this reader leaves to the full parser. */
export function readBlockYaml(text: string, file: string, mapOffset: (offset: number) => number): KNode[] | undefined {
  try {
    return new BlockReader(text, file, mapOffset).documents();
  } catch (error) {
    // Past the stack's depth, the full parser (which refuses deep documents with a clear message) takes over.
    if (error instanceof Unsupported || error instanceof RangeError) return undefined;
    throw error;
  }
}

/** Deeper nesting is left to the full parser, which refuses it with a clear message. */
const MAX_DEPTH = 1000;

const PLAIN_START_FORBIDDEN = /^[&*!|>%@`?{}[\],#'"]/;

class BlockReader {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string, private readonly file: string, private readonly mapOffset: (offset: number) => number) {
    if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) throw new Unsupported();
  }

  private origin(start: number, end: number): Origin[] {
    return [literalOrigin(this.file, this.mapOffset(start), this.mapOffset(end))];
  }

  documents(): KNode[] {
    const result: KNode[] = [];
    while (this.pos < this.text.length) {
      this.skipBlankLines();
      if (this.pos >= this.text.length) break;
      if (this.atDocumentMarker()) {
        const marker = this.text.slice(this.pos, this.pos + 3);
        const rest = this.text.slice(this.pos + 3, this.lineEnd(this.pos));
        if (rest.trim() !== '' && !/^\s+#/.test(rest)) throw new Unsupported();
        this.pos = this.nextLine(this.pos);
        if (marker === '...') continue;
        continue;
      }
      if (this.text[this.pos] === '%') throw new Unsupported();
      const indent = this.indentAt(this.pos);
      result.push(this.block(indent, this.pos + indent));
      this.skipBlankLines();
      if (this.pos < this.text.length && !this.atDocumentMarker()) throw new Unsupported();
    }
    return result;
  }

  private atDocumentMarker(): boolean {
    const three = this.text.slice(this.pos, this.pos + 3);
    if (three !== '---' && three !== '...') return false;
    const after = this.text[this.pos + 3];
    return after === undefined || after === ' ' || after === '\n';
  }

  private lineEnd(from: number): number {
    const end = this.text.indexOf('\n', from);
    return end < 0 ? this.text.length : end;
  }

  private nextLine(from: number): number {
    const end = this.text.indexOf('\n', from);
    return end < 0 ? this.text.length : end + 1;
  }

  private indentAt(lineStart: number): number {
    let i = lineStart;
    while (this.text[i] === ' ') i++;
    return i - lineStart;
  }

  /** Moves `pos` to the start of the next line holding content (not blank, not only a comment). */
  private skipBlankLines(): void {
    while (this.pos < this.text.length) {
      const indent = this.indentAt(this.pos);
      const c = this.text[this.pos + indent];
      if (c === '\n' || c === '#' || c === undefined) this.pos = this.nextLine(this.pos);
      else return;
    }
  }

  /** The block node whose first token is at `at`, on a line (or after a `- `) at column `column`. */
  private block(column: number, at: number): KNode {
    if (++this.depth > MAX_DEPTH) throw new Unsupported();
    try {
      return this.blockNode(column, at);
    } finally {
      this.depth--;
    }
  }

  private blockNode(column: number, at: number): KNode {
    if (this.text.startsWith('- ', at) || this.text.startsWith('-\n', at) || (this.text[at] === '-' && at + 1 === this.text.length)) return this.sequence(column, at);
    if (this.keyEnd(at) !== undefined) return this.map(column, at);
    const node = this.inlineValue(at, column);
    return node;
  }

  /** Where a mapping key starting at `at` ends (its `:`), or undefined when the line holds no key. */
  private keyEnd(at: number): number | undefined {
    const c = this.text[at];
    if (c === '{' || c === '[') return undefined;
    if (c === '"' || c === "'") {
      const close = this.quotedEnd(at, true);
      return this.text[close] === ':' && /[ \n]/.test(this.text[close + 1] ?? '\n') ? close : undefined;
    }
    if (c === '?' && /[ \n]/.test(this.text[at + 1] ?? '\n')) throw new Unsupported();
    const end = this.lineEnd(at);
    for (let i = at; i < end; i++) {
      if (this.text[i] === ':' && (i + 1 === end || this.text[i + 1] === ' ')) return i;
      if (this.text[i] === '#' && this.text[i - 1] === ' ') return undefined;
    }
    return undefined;
  }

  /** The offset after the quote closing the scalar opened at `at`; a key's must close on its own line. */
  private quotedEnd(at: number, sameLine = false): number {
    const quote = this.text[at];
    const end = sameLine ? this.lineEnd(at) : this.text.length;
    for (let i = at + 1; i < end; i++) {
      if (quote === '"' && this.text[i] === '\\') i++;
      else if (this.text[i] === quote) {
        if (quote === "'" && this.text[i + 1] === "'") i++;
        else return i + 1;
      }
    }
    throw new Unsupported();
  }

  private map(column: number, at: number): KNode {
    const entries: KEntry[] = [];
    const indexOfKey = new Map<string, number>();
    let keyStart = at;
    let end = at;
    for (;;) {
      const colon = this.keyEnd(keyStart);
      if (colon === undefined) throw new Unsupported();
      const key = this.key(keyStart, colon);
      if (key === '<<') throw new Unsupported();
      let valueAt = colon + 1;
      while (this.text[valueAt] === ' ') valueAt++;
      let value: KNode;
      if (this.text[valueAt] === '\n' || valueAt >= this.text.length || this.text[valueAt] === '#') {
        this.pos = this.nextLine(valueAt);
        this.skipBlankLines();
        const indent = this.indentAt(this.pos);
        const first = this.pos + indent;
        if (this.pos < this.text.length && !this.atDocumentMarker() && (indent > column || (indent === column && this.text.startsWith('-', first) && /[ \n]/.test(this.text[first + 1] ?? '\n')))) {
          value = this.block(indent, first);
        } else {
          value = { kind: 'scalar', plain: true, raw: 'null', value: null, origins: this.origin(colon + 1, colon + 1) };
        }
      } else {
        value = this.inlineValue(valueAt, column);
      }
      // Duplicate keys are accepted as Kustomize does: the last value wins, in the first key's place.
      const existing = indexOfKey.get(key);
      if (existing !== undefined) entries[existing] = { key, value };
      else {
        indexOfKey.set(key, entries.length);
        entries.push({ key, value });
      }
      end = Math.max(end, this.lastContentEnd(value));
      this.skipBlankLines();
      if (this.pos >= this.text.length || this.atDocumentMarker()) break;
      const indent = this.indentAt(this.pos);
      if (indent !== column) {
        if (indent > column) throw new Unsupported();
        break;
      }
      keyStart = this.pos + indent;
      if (this.text.startsWith('- ', keyStart) || this.text.startsWith('-\n', keyStart)) break;
    }
    return { kind: 'map', entries, origins: this.origin(at, end) };
  }

  private sequence(column: number, at: number): KNode {
    const items: KNode[] = [];
    let dash = at;
    let end = at;
    for (;;) {
      let itemAt = dash + 1;
      while (this.text[itemAt] === ' ') itemAt++;
      let item: KNode;
      if (this.text[itemAt] === '\n' || itemAt >= this.text.length || this.text[itemAt] === '#') {
        this.pos = this.nextLine(itemAt);
        this.skipBlankLines();
        const indent = this.indentAt(this.pos);
        if (this.pos < this.text.length && !this.atDocumentMarker() && indent > column) item = this.block(indent, this.pos + indent);
        else item = { kind: 'scalar', plain: true, raw: 'null', value: null, origins: this.origin(dash + 1, dash + 1) };
      } else {
        const itemColumn = itemAt - this.lineStartOf(itemAt);
        // A literal block's lines are indented relative to the sequence, not to the item.
        item = this.text[itemAt] === '|' ? this.literalBlock(itemAt, column) : this.block(itemColumn, itemAt);
      }
      items.push(item);
      end = Math.max(end, this.lastContentEnd(item));
      this.skipBlankLines();
      if (this.pos >= this.text.length || this.atDocumentMarker()) break;
      const indent = this.indentAt(this.pos);
      dash = this.pos + indent;
      if (indent !== column || !(this.text.startsWith('- ', dash) || this.text.startsWith('-\n', dash))) {
        if (indent > column) throw new Unsupported();
        break;
      }
    }
    return { kind: 'seq', items, origins: this.origin(at, end) };
  }

  private lineStartOf(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Where a block collection ending with `node` ends: after the line break of the line `node` ends on. */
  private lastContentEnd(node: KNode): number {
    const { start, end } = node.origins[0].span;
    // An empty value ends its collection right after the key's colon, and so does a nested collection ending so.
    if (start === end || this.text[end - 1] === '\n') return end;
    const flow = this.text[end - 1] === '}' || this.text[end - 1] === ']';
    return node.kind !== 'scalar' && !flow ? end : this.nextLine(end);
  }

  /** A key as the full parser names it (a plain `0755` key is the number 493, so "493"). */
  private key(start: number, colon: number): string {
    const c = this.text[start];
    if (c !== '"' && c !== "'") {
      const raw = trimTrailing(this.text.slice(start, colon), ' ');
      if (/^[A-Za-z_$][\w./$-]*$/.test(raw) && !/^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/.test(raw)) return raw;
    }
    const node = this.keyScalar(start, colon);
    return node.value === null ? 'null' : String(node.value);
  }

  private keyScalar(start: number, colon: number): KScalar {
    const c = this.text[start];
    if (c === '"' || c === "'") return this.quoted(start, colon);
    const raw = trimTrailing(this.text.slice(start, colon), ' ');
    if (PLAIN_START_FORBIDDEN.test(raw) || raw === '') throw new Unsupported();
    return plainScalar(raw, this.origin(start, start + raw.length));
  }

  /** A value that starts on the current line at `at`; sets `pos` to the line after it. */
  private inlineValue(at: number, parentColumn: number): KNode {
    const c = this.text[at];
    if (c === '|') return this.literalBlock(at, parentColumn);
    if (c === '>' || c === '&' || c === '*' || c === '!' || c === '%' || c === '@' || c === '`') throw new Unsupported();
    if (c === '[' || c === '{') {
      const flow = new FlowReader(this.text, at, this.lineEnd(at), (s, e) => this.origin(s, e));
      const node = flow.node();
      this.finishLine(flow.pos);
      return node;
    }
    if (c === '"' || c === "'") {
      const end = this.quotedEnd(at);
      const node = this.quoted(at, end);
      this.finishLine(end);
      return node;
    }
    const lineEnd = this.lineEnd(at);
    let end = lineEnd;
    for (let i = at; i < lineEnd; i++) {
      if (this.text[i] === '#' && this.text[i - 1] === ' ') {
        end = i;
        break;
      }
      if (this.text[i] === ':' && (this.text[i + 1] === ' ' || i + 1 === lineEnd)) throw new Unsupported();
    }
    let raw = trimTrailing(this.text.slice(at, end), ' ');
    if (c === '-' && /^-[ ]/.test(raw)) throw new Unsupported();
    let rawEnd = at + raw.length;
    const commentOnFirstLine = end !== lineEnd;
    this.pos = this.nextLine(at);
    // Lines indented deeper continue a plain scalar, folded into one line (as long descriptions of CRDs are).
    while (this.pos < this.text.length) {
      const indent = this.indentAt(this.pos);
      const first = this.pos + indent;
      const lineEnd = this.lineEnd(this.pos);
      if (first === lineEnd || this.text[first] === '#') {
        // A blank or comment line ends the scalar, unless deeper lines follow (a blank line would fold to a line break).
        const save = this.pos;
        this.skipBlankLines();
        const deeper = this.pos < this.text.length && this.indentAt(this.pos) > parentColumn;
        this.pos = save;
        if (deeper) throw new Unsupported();
        break;
      }
      if (indent <= parentColumn) break;
      const line = trimTrailing(this.text.slice(first, lineEnd), ' ');
      if (commentOnFirstLine || /: | #|:$/.test(line)) throw new Unsupported();
      raw += ` ${line}`;
      rawEnd = first + line.length;
      this.pos = this.nextLine(this.pos);
    }
    return plainScalar(raw, this.origin(at, rawEnd));
  }

  /** After a flow or quoted value: only a comment may follow on its line. */
  private finishLine(from: number): void {
    const rest = this.text.slice(from, this.lineEnd(from));
    if (rest.trim() !== '' && !/^\s+#/.test(rest)) throw new Unsupported();
    this.pos = this.nextLine(from);
  }

  private quoted(start: number, end: number): KScalar {
    let body = this.text.slice(start + 1, end - 1);
    if (body.includes('\n')) {
      // Folded as YAML folds flow scalars: each line break becomes a space, an empty line a line break.
      if (/\\\n/.test(body) || /\n(?:---|\.\.\.)(?:\s|$)/.test(body)) throw new Unsupported();
      const lines = body.split('\n').map((line, index, all) => (index === 0 ? trimTrailing(line, ' ') : index === all.length - 1 ? line.replace(/^[ ]+/, '') : line.trim()));
      body = lines[0];
      let pendingBreaks = 0;
      for (const line of lines.slice(1)) {
        if (line === '') pendingBreaks++;
        else {
          body += pendingBreaks > 0 ? '\n'.repeat(pendingBreaks) : ' ';
          body += line;
          pendingBreaks = 0;
        }
      }
      if (pendingBreaks > 0) body += '\n'.repeat(pendingBreaks);
    }
    let value: string;
    if (this.text[start] === "'") value = body.replace(/''/g, "'");
    else {
      try {
        value = JSON.parse(`"${body.replace(/\n/g, '\\n')}"`) as string;
      } catch {
        throw new Unsupported(); // YAML escapes JSON lacks (\x, \e, \0 ...)
      }
    }
    return { kind: 'scalar', plain: false, raw: value, value, origins: this.origin(start, end) };
  }

  private literalBlock(at: number, parentColumn: number): KScalar {
    const header = this.text.slice(at, this.lineEnd(at));
    // The comment runs to the line's end; only blanks may follow it (written so, the pattern backtracks linearly).
    const match = /^\|([+-]?)([1-9]?)([+-]?)(?:(\s+#.*)(?:[\n\r\u2028\u2029]\s*)?|\s*)$/.exec(header);
    if (!match) throw new Unsupported();
    const chomp = match[1] || match[3];
    let contentIndent = match[2] ? parentColumn + Number(match[2]) : -1;
    let line = this.nextLine(at);
    const lines: string[] = [];
    let end = this.lineEnd(at);
    while (line < this.text.length) {
      const lineEnd = this.lineEnd(line);
      const content = this.text.slice(line, lineEnd);
      if (content.trim() === '') {
        if (contentIndent >= 0 && content.length > contentIndent) lines.push(content.slice(contentIndent));
        else lines.push('');
        line = this.nextLine(line);
        continue;
      }
      const indent = this.indentAt(line);
      if (contentIndent < 0) {
        if (indent <= parentColumn) break;
        contentIndent = indent;
      }
      if (indent < contentIndent) break;
      if (lines.length === 0 && this.text.startsWith('---', line) && contentIndent === 0) break;
      lines.push(content.slice(contentIndent));
      end = Math.min(lineEnd + 1, this.text.length);
      line = this.nextLine(line);
    }
    // Trailing blank lines belong to the block only for chomping; the next node starts after them.
    let kept = lines.length;
    while (kept > 0 && lines[kept - 1] === '') kept--;
    const body = lines.slice(0, kept).join('\n');
    const trailing = lines.length - kept;
    let value: string;
    if (kept === 0) value = chomp === '+' ? '\n'.repeat(trailing) : '';
    else if (chomp === '-') value = body;
    else if (chomp === '+') value = `${body}\n${'\n'.repeat(trailing)}`;
    else value = `${body}\n`;
    // Kept trailing lines are part of the scalar, and of its span.
    if (chomp === '+' && trailing > 0) end = line;
    this.pos = line;
    return { kind: 'scalar', plain: false, raw: value, value, origins: this.origin(at, end) };
  }
}

/** One-line flow collections (`{a: b}`, `[x, "y"]`); anything spanning lines is left to the full parser. */
class FlowReader {
  private depth = 0;

  constructor(private readonly text: string, public pos: number, private readonly end: number, private readonly origin: (start: number, end: number) => Origin[]) {}

  node(): KNode {
    this.space();
    const c = this.text[this.pos];
    if (c === '{') return this.collection('}');
    if (c === '[') return this.collection(']');
    return this.scalar();
  }

  private space(): void {
    while (this.pos < this.end && this.text[this.pos] === ' ') this.pos++;
    if (this.pos >= this.end) throw new Unsupported();
  }

  private collection(close: '}' | ']'): KNode {
    if (++this.depth > MAX_DEPTH) throw new Unsupported();
    const start = this.pos++;
    const entries: KEntry[] = [];
    const items: KNode[] = [];
    this.space();
    while (this.text[this.pos] !== close) {
      if (close === '}') {
        const key = this.scalar(true);
        this.space();
        let value: KNode;
        if (this.text[this.pos] === ':') {
          this.pos++;
          this.space();
          value = this.text[this.pos] === ',' || this.text[this.pos] === '}' ? { kind: 'scalar', plain: true, raw: 'null', value: null, origins: this.origin(this.pos, this.pos) } : this.node();
        } else value = { kind: 'scalar', plain: true, raw: 'null', value: null, origins: this.origin(this.pos, this.pos) };
        const name = key.plain ? (key.value === null ? 'null' : String(key.value)) : String(key.value);
        const existing = entries.findIndex((e) => e.key === name);
        if (existing >= 0) entries[existing] = { key: name, value };
        else entries.push({ key: name, value });
      } else {
        const item = this.node();
        this.space();
        if (this.text[this.pos] === ':') throw new Unsupported(); // a single-pair map inside a flow sequence
        items.push(item);
      }
      this.space();
      if (this.text[this.pos] === ',') {
        this.pos++;
        this.space();
      } else if (this.text[this.pos] !== close) throw new Unsupported();
    }
    this.pos++;
    this.depth--;
    return close === '}' ? { kind: 'map', entries, origins: this.origin(start, this.pos) } : { kind: 'seq', items, origins: this.origin(start, this.pos) };
  }

  private scalar(isKey = false): KScalar {
    const start = this.pos;
    const c = this.text[start];
    if (c === '"' || c === "'") {
      let i = start + 1;
      for (; i < this.end; i++) {
        if (c === '"' && this.text[i] === '\\') i++;
        else if (this.text[i] === c) {
          if (c === "'" && this.text[i + 1] === "'") i++;
          else break;
        }
      }
      if (i >= this.end) throw new Unsupported();
      this.pos = i + 1;
      const body = this.text.slice(start + 1, i);
      let value: string;
      if (c === "'") value = body.replace(/''/g, "'");
      else {
        try {
          value = JSON.parse(`"${body}"`) as string;
        } catch {
          throw new Unsupported();
        }
      }
      return { kind: 'scalar', plain: false, raw: value, value, origins: this.origin(start, this.pos) };
    }
    if (PLAIN_START_FORBIDDEN.test(c) || c === '-' && this.text[start + 1] === ' ') throw new Unsupported();
    let i = start;
    while (i < this.end) {
      const ch = this.text[i];
      if (ch === ',' || ch === '}' || ch === ']' || ch === '[' || ch === '{') break;
      if (ch === ':' && (this.text[i + 1] === ' ' || this.text[i + 1] === ',' || this.text[i + 1] === '}' || this.text[i + 1] === ']' || isKey)) {
        if (isKey || this.text[i + 1] === ' ') break;
      }
      if (ch === '#' && this.text[i - 1] === ' ') throw new Unsupported();
      i++;
    }
    const raw = trimTrailing(this.text.slice(start, i), ' ');
    if (raw === '') throw new Unsupported();
    this.pos = start + raw.length;
    return plainScalar(raw, this.origin(start, this.pos));
  }
}
