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

/** Salsa20/8's core on 16 words, in place; in local variables, as scrypt calls it millions of times. */
function salsa208(b: Uint32Array): void {
  let x0 = b[0], x1 = b[1], x2 = b[2], x3 = b[3], x4 = b[4], x5 = b[5], x6 = b[6], x7 = b[7];
  let x8 = b[8], x9 = b[9], x10 = b[10], x11 = b[11], x12 = b[12], x13 = b[13], x14 = b[14], x15 = b[15];
  let t: number;
  for (let i = 0; i < 8; i += 2) {
    // Columns, then rows; each line is `x ^= (a + b) <<< n`.
    t = (x0 + x12) | 0; x4 ^= (t << 7) | (t >>> 25); t = (x4 + x0) | 0; x8 ^= (t << 9) | (t >>> 23);
    t = (x8 + x4) | 0; x12 ^= (t << 13) | (t >>> 19); t = (x12 + x8) | 0; x0 ^= (t << 18) | (t >>> 14);
    t = (x5 + x1) | 0; x9 ^= (t << 7) | (t >>> 25); t = (x9 + x5) | 0; x13 ^= (t << 9) | (t >>> 23);
    t = (x13 + x9) | 0; x1 ^= (t << 13) | (t >>> 19); t = (x1 + x13) | 0; x5 ^= (t << 18) | (t >>> 14);
    t = (x10 + x6) | 0; x14 ^= (t << 7) | (t >>> 25); t = (x14 + x10) | 0; x2 ^= (t << 9) | (t >>> 23);
    t = (x2 + x14) | 0; x6 ^= (t << 13) | (t >>> 19); t = (x6 + x2) | 0; x10 ^= (t << 18) | (t >>> 14);
    t = (x15 + x11) | 0; x3 ^= (t << 7) | (t >>> 25); t = (x3 + x15) | 0; x7 ^= (t << 9) | (t >>> 23);
    t = (x7 + x3) | 0; x11 ^= (t << 13) | (t >>> 19); t = (x11 + x7) | 0; x15 ^= (t << 18) | (t >>> 14);
    t = (x0 + x3) | 0; x1 ^= (t << 7) | (t >>> 25); t = (x1 + x0) | 0; x2 ^= (t << 9) | (t >>> 23);
    t = (x2 + x1) | 0; x3 ^= (t << 13) | (t >>> 19); t = (x3 + x2) | 0; x0 ^= (t << 18) | (t >>> 14);
    t = (x5 + x4) | 0; x6 ^= (t << 7) | (t >>> 25); t = (x6 + x5) | 0; x7 ^= (t << 9) | (t >>> 23);
    t = (x7 + x6) | 0; x4 ^= (t << 13) | (t >>> 19); t = (x4 + x7) | 0; x5 ^= (t << 18) | (t >>> 14);
    t = (x10 + x9) | 0; x11 ^= (t << 7) | (t >>> 25); t = (x11 + x10) | 0; x8 ^= (t << 9) | (t >>> 23);
    t = (x8 + x11) | 0; x9 ^= (t << 13) | (t >>> 19); t = (x9 + x8) | 0; x10 ^= (t << 18) | (t >>> 14);
    t = (x15 + x14) | 0; x12 ^= (t << 7) | (t >>> 25); t = (x12 + x15) | 0; x13 ^= (t << 9) | (t >>> 23);
    t = (x13 + x12) | 0; x14 ^= (t << 13) | (t >>> 19); t = (x14 + x13) | 0; x15 ^= (t << 18) | (t >>> 14);
  }
  b[0] += x0; b[1] += x1; b[2] += x2; b[3] += x3; b[4] += x4; b[5] += x5; b[6] += x6; b[7] += x7;
  b[8] += x8; b[9] += x9; b[10] += x10; b[11] += x11; b[12] += x12; b[13] += x13; b[14] += x14; b[15] += x15;
}

/** scryptBlockMix with Salsa20/8: `input` (2r blocks of 16 words) into `output`. */
function blockMix(input: Uint32Array, output: Uint32Array, r: number, x: Uint32Array): void {
  x.set(input.subarray((2 * r - 1) * 16, 2 * r * 16));
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
  const scratch = new Uint32Array(16);
  for (let chunk = 0; chunk < p; chunk++) {
    const offset = chunk * 4 * words;
    for (let i = 0; i < words; i++) x[i] = view.getUint32(offset + i * 4, true);
    for (let i = 0; i < N; i++) { v.set(x, i * words); blockMix(x, y, r, scratch); x.set(y); }
    for (let i = 0; i < N; i++) {
      const j = x[(2 * r - 1) * 16] & (N - 1);
      for (let k = 0; k < words; k++) x[k] ^= v[j * words + k];
      blockMix(x, y, r, scratch);
      x.set(y);
    }
    for (let i = 0; i < words; i++) view.setUint32(offset + i * 4, x[i], true);
  }
  return pbkdf2Sha256(password, b, 1, length);
}
