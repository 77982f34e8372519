import * as assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine';
import { decodeText, encodeText, TextEncoding } from '../../server/src/engine/byteOrderMarks';
import { formatRange } from '../helpers';

const bytes = (...values: number[]) => Uint8Array.from(values);
/** `text` as UTF-16 or UTF-32 code units of the given size and byte order, without a mark. */
function units(text: string, size: 2 | 4, littleEndian: boolean): number[] {
  const codes = size === 2 ? Array.from({ length: text.length }, (_, i) => text.charCodeAt(i)) : Array.from(text, char => char.codePointAt(0)!);
  return codes.flatMap(code => {
    const be = size === 2 ? [code >> 8, code & 0xff] : [code >>> 24, (code >> 16) & 0xff, (code >> 8) & 0xff, code & 0xff];
    return littleEndian ? be.reverse() : be;
  });
}

describe('decodeText', () => {
  const table: { name: string; bytes: Uint8Array; text: string; encoding: TextEncoding }[] = [
    { name: 'UTF-8 without a mark', bytes: bytes(0x6b, 0x3a, 0x20, 0xc3, 0xa9), text: 'k: é', encoding: 'utf-8' },
    { name: 'UTF-8 with a mark, which is not text', bytes: bytes(0xef, 0xbb, 0xbf, 0x6b, 0x3a, 0x20, 0x76), text: 'k: v', encoding: 'utf-8 with BOM' },
    { name: 'UTF-8 with two marks: the second is text', bytes: bytes(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x6b), text: '\ufeffk', encoding: 'utf-8 with BOM' },
    { name: 'invalid UTF-8', bytes: bytes(0x6b, 0xc3, 0x28, 0xff), text: 'k\ufffd(\ufffd', encoding: 'utf-8' },
    { name: 'UTF-16LE', bytes: bytes(0xff, 0xfe, ...units('k: é😀', 2, true)), text: 'k: é😀', encoding: 'utf-16le' },
    { name: 'UTF-16BE', bytes: bytes(0xfe, 0xff, ...units('k: é😀', 2, false)), text: 'k: é😀', encoding: 'utf-16be' },
    { name: 'UTF-16LE of an odd length', bytes: bytes(0xff, 0xfe, 0x6b, 0x00, 0x3a), text: 'k\ufffd', encoding: 'utf-16le' },
    { name: 'UTF-16BE of an odd length', bytes: bytes(0xfe, 0xff, 0x00, 0x6b, 0x00), text: 'k\ufffd', encoding: 'utf-16be' },
    { name: 'UTF-16LE with a lone surrogate', bytes: bytes(0xff, 0xfe, 0x00, 0xd8, 0x6b, 0x00), text: '\ufffdk', encoding: 'utf-16le' },
    { name: 'UTF-32LE', bytes: bytes(0xff, 0xfe, 0x00, 0x00, ...units('k: é😀', 4, true)), text: 'k: é😀', encoding: 'utf-32le' },
    { name: 'UTF-32BE', bytes: bytes(0x00, 0x00, 0xfe, 0xff, ...units('k: é😀', 4, false)), text: 'k: é😀', encoding: 'utf-32be' },
    { name: 'UTF-32 with code points out of range and a short tail', bytes: bytes(0x00, 0x00, 0xfe, 0xff, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0xd8, 0x00, 0x00, 0x00, 0x00, 0x6b, 0x00, 0x00), text: '\ufffd\ufffdk\ufffd', encoding: 'utf-32be' },
    { name: 'UTF-16LE without a mark: NULs, as kubectl reads it', bytes: bytes(...units('k: v', 2, true)), text: 'k\0:\0 \0v\0', encoding: 'utf-8' },
    { name: 'an empty file', bytes: bytes(), text: '', encoding: 'utf-8' },
    { name: 'a mark alone', bytes: bytes(0xff, 0xfe), text: '', encoding: 'utf-16le' },
  ];
  for (const { name, bytes: input, text, encoding } of table) {
    it(name, () => assert.deepEqual(decodeText(input), { text, encoding }));
  }

  it('decodes 100,000 UTF-32 characters, more than one call takes', () => {
    const text = 'kind: Pod\n'.repeat(10_000);
    assert.deepEqual(decodeText(Uint8Array.from([0xff, 0xfe, 0x00, 0x00, ...units(text, 4, true)])), { text, encoding: 'utf-32le' });
  });

  it('leaves UTF-16 without a mark to the analysis, which reports binary data', () => {
    const { text } = decodeText(bytes(...units('apiVersion: v1\nkind: Pod\n', 2, true)));
    assert.deepEqual(analyzeText(text).findings.map(f => `${f.rule} ${formatRange(f.range)}`), ['parse-error 1:2-1:3']);
  });
});

describe('encodeText', () => {
  const encodings: TextEncoding[] = ['utf-8', 'utf-8 with BOM', 'utf-16le', 'utf-16be', 'utf-32le', 'utf-32be'];
  for (const encoding of encodings) {
    it(`writes ${encoding} back as it was read, mark and all`, () => {
      const text = 'metadata: {name: café} # 😀\r\n';
      const encoded = encodeText(text, encoding);
      assert.deepEqual(decodeText(encoded), { text, encoding });
    });
  }

  it('writes the marks kubectl and editors recognise', () => {
    assert.deepEqual([...encodeText('k', 'utf-8 with BOM')], [0xef, 0xbb, 0xbf, 0x6b]);
    assert.deepEqual([...encodeText('k', 'utf-16le')], [0xff, 0xfe, 0x6b, 0x00]);
    assert.deepEqual([...encodeText('k', 'utf-16be')], [0xfe, 0xff, 0x00, 0x6b]);
    assert.deepEqual([...encodeText('k', 'utf-32le')], [0xff, 0xfe, 0x00, 0x00, 0x6b, 0x00, 0x00, 0x00]);
    assert.deepEqual([...encodeText('k', 'utf-32be')], [0x00, 0x00, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x6b]);
  });
});
