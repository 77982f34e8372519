// scrypt (RFC 7914) over PBKDF2-HMAC-SHA-256, without Node's crypto, for Sprig's derivePassword in both hosts.
import { concatBytes, uint32BigEndian } from '../bytes';
import { hmacSha256 } from './hashes';

/** PBKDF2-HMAC-SHA-256 (RFC 8018) with `iterations` rounds, `length` bytes. */
export function pbkdf2Sha256(password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let block = 1, at = 0; at < length; block++, at += 32) {
    let u = hmacSha256(password, concatBytes(salt, uint32BigEndian(block)));
    const t = u.slice();
    for (let i = 1; i < iterations; i++) {
      u = hmacSha256(password, u);
      for (let j = 0; j < 32; j++) t[j] ^= u[j];
    }
    out.set(t.subarray(0, Math.min(32, length - at)), at);
  }
  return out;
}

/** Salsa20/8's core on 16 words, in place. */
function salsa208(b: Uint32Array): void {
  const x = b.slice();
  const r = (a: number, n: number) => (a << n) | (a >>> (32 - n));
  for (let i = 0; i < 8; i += 2) {
    x[4] ^= r(x[0] + x[12], 7); x[8] ^= r(x[4] + x[0], 9); x[12] ^= r(x[8] + x[4], 13); x[0] ^= r(x[12] + x[8], 18);
    x[9] ^= r(x[5] + x[1], 7); x[13] ^= r(x[9] + x[5], 9); x[1] ^= r(x[13] + x[9], 13); x[5] ^= r(x[1] + x[13], 18);
    x[14] ^= r(x[10] + x[6], 7); x[2] ^= r(x[14] + x[10], 9); x[6] ^= r(x[2] + x[14], 13); x[10] ^= r(x[6] + x[2], 18);
    x[3] ^= r(x[15] + x[11], 7); x[7] ^= r(x[3] + x[15], 9); x[11] ^= r(x[7] + x[3], 13); x[15] ^= r(x[11] + x[7], 18);
    x[1] ^= r(x[0] + x[3], 7); x[2] ^= r(x[1] + x[0], 9); x[3] ^= r(x[2] + x[1], 13); x[0] ^= r(x[3] + x[2], 18);
    x[6] ^= r(x[5] + x[4], 7); x[7] ^= r(x[6] + x[5], 9); x[4] ^= r(x[7] + x[6], 13); x[5] ^= r(x[4] + x[7], 18);
    x[11] ^= r(x[10] + x[9], 7); x[8] ^= r(x[11] + x[10], 9); x[9] ^= r(x[8] + x[11], 13); x[10] ^= r(x[9] + x[8], 18);
    x[12] ^= r(x[15] + x[14], 7); x[13] ^= r(x[12] + x[15], 9); x[14] ^= r(x[13] + x[12], 13); x[15] ^= r(x[14] + x[13], 18);
  }
  for (let i = 0; i < 16; i++) b[i] = (b[i] + x[i]) >>> 0;
}

/** scryptBlockMix with Salsa20/8: `input` (2r blocks of 16 words) into `output`. */
function blockMix(input: Uint32Array, output: Uint32Array, r: number): void {
  const x = input.slice((2 * r - 1) * 16, 2 * r * 16);
  for (let i = 0; i < 2 * r; i++) {
    for (let j = 0; j < 16; j++) x[j] ^= input[i * 16 + j];
    salsa208(x);
    // Even blocks to the first half, odd ones to the second.
    output.set(x, ((i % 2) * r + (i >> 1)) * 16);
  }
}

/** scrypt's key of `length` bytes; N a power of 2. Memory: 128 * r * N bytes. */
export function scrypt(password: Uint8Array, salt: Uint8Array, N: number, r: number, p: number, length: number): Uint8Array {
  const words = 32 * r;
  const b = pbkdf2Sha256(password, salt, 1, p * 4 * words);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const v = new Uint32Array(N * words);
  const x = new Uint32Array(words);
  const y = new Uint32Array(words);
  for (let chunk = 0; chunk < p; chunk++) {
    const offset = chunk * 4 * words;
    for (let i = 0; i < words; i++) x[i] = view.getUint32(offset + i * 4, true);
    for (let i = 0; i < N; i++) { v.set(x, i * words); blockMix(x, y, r); x.set(y); }
    for (let i = 0; i < N; i++) {
      const j = x[(2 * r - 1) * 16] & (N - 1);
      for (let k = 0; k < words; k++) x[k] ^= v[j * words + k];
      blockMix(x, y, r);
      x.set(y);
    }
    for (let i = 0; i < words; i++) view.setUint32(offset + i * 4, x[i], true);
  }
  return pbkdf2Sha256(password, b, 1, length);
}
