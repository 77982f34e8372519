// Writes a rendered object as `kustomize build` prints it (keys sorted, two-space indentation, sequences flush
// under their key, multi-line strings as literal blocks) and records an origin segment for every node it writes.
import { OriginSegment } from '../origin';
import { KMap, KNode, KScalar, KSeq } from './tree';
import { trimTrailing } from '../text';

export interface PrintedObject {
  text: string;
  segments: OriginSegment[];
}

export function printObject(node: KNode): PrintedObject {
  const printer = new Printer();
  printer.node(node, 0, 'top');
  // Outer segments before the ones they contain, as RenderedDocument asks.
  printer.segments.sort((a, b) => a.start - b.start || b.end - a.end);
  return { text: printer.chunks.join(''), segments: printer.segments };
}

/** Go's map ordering, which `kustomize build` output follows: by UTF-8 bytes (the same as UTF-16 order for BMP keys). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Position = 'top' | 'value' | 'item';

class Printer {
  // Chunks and a running length rather than one growing string: reading back from a string built by `+=` would
  // flatten it on every node of a large document.
  chunks: string[] = [];
  length = 0;
  segments: OriginSegment[] = [];

  private write(text: string): void {
    this.chunks.push(text);
    this.length += text.length;
  }

  /** Writes a node; every node's text ends with a line break, which its segment leaves out. */
  node(node: KNode, indent: number, position: Position): void {
    let start: number;
    if (node.kind === 'map' && node.entries.length > 0) start = this.map(node, indent, position);
    else if (node.kind === 'seq' && node.items.length > 0) start = this.seq(node, indent, position);
    else {
      if (position === 'value') this.write(' ');
      start = this.length;
      if (node.kind === 'scalar') this.scalar(node, indent, position);
      else this.write(node.kind === 'map' ? '{}\n' : '[]\n');
    }
    this.segments.push({ start, end: this.length - 1, origins: node.origins });
  }

  /** Writes a non-empty map and returns the offset of its first key. */
  private map(node: KMap, indent: number, position: Position): number {
    if (position === 'value') this.write('\n');
    let start = this.length;
    const entries = [...node.entries].sort((a, b) => compareKeys(a.key, b.key));
    entries.forEach((entry, index) => {
      if (!(index === 0 && position === 'item')) this.write(spaces(indent));
      if (index === 0) start = this.length;
      this.write(`${formatKey(entry.key)}:`);
      const value = entry.value;
      // Sequences stay flush with their key; maps and scalars go one level in.
      const childIndent = value.kind === 'seq' && value.items.length > 0 ? indent : indent + 2;
      this.node(value, childIndent, 'value');
    });
    return start;
  }

  /** Writes a non-empty sequence and returns the offset of its first dash. */
  private seq(node: KSeq, indent: number, position: Position): number {
    if (position === 'value') this.write('\n');
    let start = this.length;
    node.items.forEach((item, index) => {
      if (!(index === 0 && position === 'item')) this.write(spaces(indent));
      if (index === 0) start = this.length;
      this.write('- ');
      this.node(item, indent + 2, 'item');
    });
    return start;
  }

  private scalar(node: KScalar, indent: number, position: Position): void {
    if (node.plain) {
      this.write(`${node.raw}\n`);
      return;
    }
    const text = node.raw;
    if (text.includes('\n') && canBeLiteralBlock(text)) {
      const body = trimTrailing(text, '\n');
      const trailing = text.length - body.length;
      const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
      const indicator = /^[ \n]/.test(text) ? '2' : '';
      const blockIndent = position === 'top' ? 2 : indent;
      this.write(`|${indicator}${chomp}\n`);
      const lines = (trailing > 1 ? text.slice(0, -1) : body).split('\n');
      for (const line of lines) this.write(line === '' ? '\n' : `${spaces(blockIndent)}${line}\n`);
      return;
    }
    this.write(`${formatString(text)}\n`);
  }
}

function canBeLiteralBlock(text: string): boolean {
  // Tabs, control characters and spaces before a line break do not survive a literal block as go-yaml writes it.
  return !/[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(text) && !/ \n/.test(text) && !/ $/.test(text);
}

// Keys repeat across the objects of a build (`name`, `image`, the properties of a CRD's schema): each is
// formatted once. Bounded, as the keys of hostile input need not repeat.
const formattedKeys = new Map<string, string>();

function formatKey(key: string): string {
  let formatted = formattedKeys.get(key);
  if (formatted === undefined) {
    formatted = formatString(key);
    if (formattedKeys.size < 10_000) formattedKeys.set(key, formatted);
  }
  return formatted;
}

const indents: string[] = [];

function spaces(count: number): string {
  return (indents[count] ??= ' '.repeat(count));
}

// Words that YAML 1.1 readers take for booleans or nulls: go-yaml quotes them, and so do we.
const RESERVED_WORDS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;
const NUMBER_LIKE = /^[-+]?(?:\.?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|\.(?:inf|Inf|INF)|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$|^\.(?:nan|NaN|NAN)$/;

/** A string as a plain scalar when YAML reads it back as the same string, else double-quoted. */
export function formatString(text: string): string {
  if (isPlainSafe(text)) return text;
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isPlainSafe(text: string): boolean {
  if (text === '' || RESERVED_WORDS.test(text) || NUMBER_LIKE.test(text)) return false;
  if (/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(text) && !/^[-?:][^\s,[\]{}]/.test(text)) return false;
  if (/^[-?:]$/.test(text) || /^-{3}|^\.{3}/.test(text)) return false;
  if (/\s$/.test(text) || /: |:$| #|[\n\r\t]|[\x00-\x1f\x7f-\x9f\ufeff\u2028\u2029]/.test(text)) return false;
  return true;
}
