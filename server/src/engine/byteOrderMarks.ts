// A byte order mark may start any document of a stream (YAML 1.2, section 5.2), as it does when files saved with
// one are joined by `---` lines; the yaml parser takes one only at the start of the stream and would read the
// others as part of the first key, so that the document silently stops being Kubernetes. They are dropped before
// parsing, and offsets in the parsed text are mapped back to the text as written.
const BOM_AT_LINE_START = /(?<=\n)\ufeff/g;

export interface WithoutMarks {
  text: string;
  /** The offset in the text as written of an offset in `text`. */
  toWritten(offset: number): number;
}

export function withoutByteOrderMarks(written: string): WithoutMarks {
  if (!written.includes('\ufeff')) return { text: written, toWritten: offset => offset };
  /** Offsets in the parsed text at which a mark was dropped, ascending. */
  const dropped: number[] = [];
  let text = '';
  let from = 0;
  for (const match of written.matchAll(BOM_AT_LINE_START)) {
    text += written.slice(from, match.index);
    dropped.push(text.length);
    from = match.index! + 1;
  }
  text += written.slice(from);
  return {
    text,
    toWritten: offset => {
      let low = 0, high = dropped.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (dropped[mid] <= offset) low = mid + 1; else high = mid;
      }
      return offset + low;
    },
  };
}

// Files are decoded as kubectl decodes them (k8s.io/cli-runtime resource.FileVisitor reads every file and standard
// input through golang.org/x/text's unicode.BOMOverride): UTF-8 unless a byte order mark says UTF-16, little or big
// endian, and the mark itself is not part of the text. UTF-32 with a mark is decoded too, as YAML 1.2 (section 5.2)
// requires of a parser, though kubectl would not read it. Without a mark, UTF-16 and UTF-32 stay bytes with NULs
// in them, which the analysis reports as binary data, as kubectl fails on them. Bytes that are not valid in their
// encoding become U+FFFD, as in any decoder that does not stop at the first error.

/** The encoding of a file, as its byte order mark says; written back the same way by `encodeText`. */
export type TextEncoding = 'utf-8' | 'utf-8 with BOM' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

export interface DecodedText { text: string; encoding: TextEncoding }

/** The marks, UTF-32LE before UTF-16LE, whose mark starts the same way. */
const MARKS: readonly [TextEncoding, readonly number[]][] = [
  ['utf-32le', [0xff, 0xfe, 0x00, 0x00]],
  ['utf-32be', [0x00, 0x00, 0xfe, 0xff]],
  ['utf-8 with BOM', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

function markOf(bytes: Uint8Array): [TextEncoding, number] {
  for (const [encoding, mark] of MARKS) {
    if (bytes.length >= mark.length && mark.every((byte, i) => bytes[i] === byte)) return [encoding, mark.length];
  }
  return ['utf-8', 0];
}

export function decodeText(bytes: Uint8Array): DecodedText {
  const [encoding, markLength] = markOf(bytes);
  const body = bytes.subarray(markLength);
  // ignoreBOM: a second mark is text (the engine drops marks where documents start), not part of this one.
  switch (encoding) {
    case 'utf-8': case 'utf-8 with BOM': return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(body), encoding };
    case 'utf-16le': return { text: new TextDecoder('utf-16le', { ignoreBOM: true }).decode(body), encoding };
    case 'utf-16be': return { text: new TextDecoder('utf-16le', { ignoreBOM: true }).decode(swapPairs(body)), encoding };
    case 'utf-32le': case 'utf-32be': return { text: decodeUtf32(body, encoding === 'utf-32le'), encoding };
  }
}

/** UTF-16BE as UTF-16LE (an odd last byte stays where it is, and becomes U+FFFD). */
function swapPairs(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes);
  for (let i = 0; i + 1 < swapped.length; i += 2) { swapped[i] = bytes[i + 1]; swapped[i + 1] = bytes[i]; }
  return swapped;
}

/** Code points per String.fromCodePoint call, well below the engine's limit on arguments. */
const CODE_POINTS_PER_CALL = 8192;

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let codePoints: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const codePoint = view.getUint32(i, littleEndian);
    codePoints.push(codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff) ? 0xfffd : codePoint);
    if (codePoints.length === CODE_POINTS_PER_CALL) { parts.push(String.fromCodePoint(...codePoints)); codePoints = []; }
  }
  if (bytes.length % 4) codePoints.push(0xfffd);
  parts.push(String.fromCodePoint(...codePoints));
  return parts.join('');
}

/** The bytes of `text` in `encoding`, with the byte order mark that `decodeText` took off. */
export function encodeText(text: string, encoding: TextEncoding): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  if (encoding === 'utf-8 with BOM') return new TextEncoder().encode(`\ufeff${text}`);
  const mark = MARKS.find(([name]) => name === encoding)![1];
  const littleEndian = encoding.endsWith('le');
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const bytes = new Uint8Array(mark.length + text.length * 2);
    bytes.set(mark);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < text.length; i++) view.setUint16(mark.length + i * 2, text.charCodeAt(i), littleEndian);
    return bytes;
  }
  const codePoints = Array.from(text, char => char.codePointAt(0)!);
  const bytes = new Uint8Array(mark.length + codePoints.length * 4);
  bytes.set(mark);
  const view = new DataView(bytes.buffer);
  codePoints.forEach((codePoint, i) => view.setUint32(mark.length + i * 4, codePoint >= 0xd800 && codePoint <= 0xdfff ? 0xfffd : codePoint, littleEndian));
  return bytes;
}
