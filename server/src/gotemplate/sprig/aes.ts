// AES-256 in CBC mode (FIPS 197, SP 800-38A) without Node's crypto, for Sprig's encryptAES and decryptAES in both
// hosts. Byte-oriented as the standard describes it: templates encrypt a few short strings.

const SBOX = new Uint8Array(256);
const INVERSE_SBOX = new Uint8Array(256);
const rotl8 = (x: number, n: number) => ((x << n) | (x >> (8 - n))) & 0xff;
// The S-box from its definition: the multiplicative inverse in GF(2^8), then the affine map. p walks the field
// by multiplying by 3 while q walks it dividing by 3, so q is p's inverse at each step.
for (let p = 1, q = 1; ;) {
  p = (p ^ (p << 1) ^ (p & 0x80 ? 0x1b : 0)) & 0xff;
  q ^= q << 1; q ^= q << 2; q ^= q << 4; q &= 0xff;
  if (q & 0x80) q ^= 0x09;
  SBOX[p] = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4) ^ 0x63;
  if (p === 1) break;
}
SBOX[0] = 0x63;
for (let i = 0; i < 256; i++) INVERSE_SBOX[SBOX[i]] = i;

const xtime = (b: number) => ((b << 1) ^ (b & 0x80 ? 0x1b : 0)) & 0xff;
function multiply(a: number, b: number): number {
  let product = 0;
  for (; b; b >>= 1, a = xtime(a)) if (b & 1) product ^= a;
  return product;
}

/** The 15 round keys of a 32-byte key, 240 bytes. */
function expandKey(key: Uint8Array): Uint8Array {
  if (key.length !== 32) throw new Error('AES-256 needs a 32-byte key');
  const w = new Uint8Array(240);
  w.set(key);
  let rcon = 1;
  for (let i = 8; i < 60; i++) {
    let t = w.slice((i - 1) * 4, i * 4);
    if (i % 8 === 0) {
      t = Uint8Array.of(SBOX[t[1]] ^ rcon, SBOX[t[2]], SBOX[t[3]], SBOX[t[0]]);
      rcon = xtime(rcon);
    } else if (i % 8 === 4) {
      t = t.map(b => SBOX[b]);
    }
    for (let j = 0; j < 4; j++) w[i * 4 + j] = w[(i - 8) * 4 + j] ^ t[j];
  }
  return w;
}

function addRoundKey(state: Uint8Array, keys: Uint8Array, round: number): void {
  for (let i = 0; i < 16; i++) state[i] ^= keys[round * 16 + i];
}

/** Row r of the state (column-major, state[r + 4c]) moves `shift(r)` columns to the left. */
function shiftRows(state: Uint8Array, inverse: boolean): void {
  const copy = state.slice();
  for (let r = 1; r < 4; r++) {
    for (let c = 0; c < 4; c++) state[r + 4 * c] = copy[r + 4 * ((inverse ? c - r + 4 : c + r) % 4)];
  }
}

function mixColumns(state: Uint8Array, factors: readonly number[]): void {
  for (let c = 0; c < 4; c++) {
    const column = state.slice(4 * c, 4 * c + 4);
    for (let r = 0; r < 4; r++) {
      let value = 0;
      for (let k = 0; k < 4; k++) value ^= multiply(column[k], factors[(k - r + 4) % 4]);
      state[4 * c + r] = value;
    }
  }
}

// Copies are made with `Uint8Array.from`: a Node Buffer passed in would answer `slice` with a view.
function encryptBlock(block: Uint8Array, keys: Uint8Array): Uint8Array {
  const state = Uint8Array.from(block);
  addRoundKey(state, keys, 0);
  for (let round = 1; round <= 14; round++) {
    for (let i = 0; i < 16; i++) state[i] = SBOX[state[i]];
    shiftRows(state, false);
    if (round < 14) mixColumns(state, [2, 3, 1, 1]);
    addRoundKey(state, keys, round);
  }
  return state;
}

function decryptBlock(block: Uint8Array, keys: Uint8Array): Uint8Array {
  const state = Uint8Array.from(block);
  addRoundKey(state, keys, 14);
  for (let round = 13; round >= 0; round--) {
    shiftRows(state, true);
    for (let i = 0; i < 16; i++) state[i] = INVERSE_SBOX[state[i]];
    addRoundKey(state, keys, round);
    if (round > 0) mixColumns(state, [14, 11, 13, 9]);
  }
  return state;
}

/** AES-256-CBC of whole blocks (the caller pads). */
export function aes256CbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length % 16) throw new Error('crypto/cipher: input not full blocks');
  const keys = expandKey(key);
  const out = new Uint8Array(data.length);
  let previous = iv;
  for (let at = 0; at < data.length; at += 16) {
    const block = Uint8Array.from(data.subarray(at, at + 16), (b, i) => b ^ previous[i]);
    previous = encryptBlock(block, keys);
    out.set(previous, at);
  }
  return out;
}

export function aes256CbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length % 16) throw new Error('crypto/cipher: input not full blocks');
  const keys = expandKey(key);
  const out = new Uint8Array(data.length);
  let previous = iv;
  for (let at = 0; at < data.length; at += 16) {
    const block = data.subarray(at, at + 16);
    out.set(Uint8Array.from(decryptBlock(block, keys), (b, i) => b ^ previous[i]), at);
    previous = block;
  }
  return out;
}
