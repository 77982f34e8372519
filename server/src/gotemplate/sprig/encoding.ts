// Sprig's encodings and checksums (strings.go, crypto.go): base64 and base32 (Go's standard, padded alphabets;
// a decoding error is returned as the text, as Sprig does), sha1/sha256/sha512 in hex, adler32 in decimal.
import { GoFunction } from '../values';
import { stringArg } from './convert';
import { trimTrailing } from '../text';
import { fromBase64, fromUtf8, toBase64, toHex, utf8 } from '../bytes';
import { sha1, sha256, sha512 } from './hashes';

const BASE64 = /^[A-Za-z0-9+/]$/;

/** base64.StdEncoding.DecodeString, with Go's `illegal base64 data at input byte N`. */
function decodeBase64(text: string): string {
  const data = text.replace(/[\r\n]/g, '');
  let end = data.length;
  while (end > 0 && data[end - 1] === '=' && data.length - end < 2) end--;
  for (let i = 0; i < end; i++) if (!BASE64.test(data[i])) return `illegal base64 data at input byte ${i}`;
  const padding = data.length - end;
  if (data.length % 4 !== 0 || (padding > 0 && (end % 4) + padding !== 4)) return `illegal base64 data at input byte ${Math.min(end, data.length - (data.length % 4 || 4))}`;
  return fromUtf8(fromBase64(data));
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 5) {
    const chunk = bytes.subarray(i, i + 5);
    let bits = 0n;
    for (let j = 0; j < 5; j++) bits = (bits << 8n) | BigInt(chunk[j] ?? 0);
    const chars = Math.ceil((chunk.length * 8) / 5);
    for (let j = 0; j < 8; j++) out += j < chars ? BASE32_ALPHABET[Number((bits >> BigInt(35 - 5 * j)) & 31n)] : '=';
  }
  return out;
}

function decodeBase32(text: string): string {
  const data = text.replace(/[\r\n]/g, '');
  if (data.length % 8 !== 0) return `illegal base32 data at input byte ${data.length - (data.length % 8)}`;
  const bytes: number[] = [];
  for (let i = 0; i < data.length; i += 8) {
    const block = data.slice(i, i + 8);
    const body = trimTrailing(block, '=');
    if (![0, 1, 3, 4, 6].includes(8 - body.length) && body.length !== 8) return `illegal base32 data at input byte ${i + body.length}`;
    let bits = 0n;
    for (let j = 0; j < 8; j++) {
      const value = j < body.length ? BASE32_ALPHABET.indexOf(body[j]) : 0;
      if (value < 0) return `illegal base32 data at input byte ${i + j}`;
      bits = (bits << 5n) | BigInt(value);
    }
    const count = Math.floor((body.length * 5) / 8);
    for (let j = 0; j < count; j++) bytes.push(Number((bits >> BigInt(32 - 8 * j)) & 0xffn));
    if (body.length < 8 && i + 8 < data.length) return `illegal base32 data at input byte ${i + body.length}`;
  }
  return fromUtf8(Uint8Array.from(bytes));
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const hash = (digest: (bytes: Uint8Array) => Uint8Array) => (text: unknown) => toHex(digest(utf8(stringArg(text))));

export function encodingFunctions(): Record<string, GoFunction> {
  return {
    b64enc: (text) => toBase64(utf8(stringArg(text))),
    b64dec: (text) => decodeBase64(stringArg(text)),
    b32enc: (text) => encodeBase32(utf8(stringArg(text))),
    b32dec: (text) => decodeBase32(stringArg(text)),
    sha1sum: hash(sha1),
    sha256sum: hash(sha256),
    sha512sum: hash(sha512),
    adler32sum: (text) => String(adler32(utf8(stringArg(text)))),
  };
}
