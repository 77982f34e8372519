// Sprig's crypto functions (crypto.go): bcrypt and htpasswd, derivePassword (the Master Password algorithm),
// encryptAES/decryptAES (AES-256-CBC with the password as key, as Sprig does it), randBytes and uuidv4. Key and
// certificate generation is not supported: those functions fail with a message saying so.
import { GoFunction } from '../values';
import { intArg, stringArg } from './convert';
import { Random, randomBytesChecked } from './random';
import { trimTrailing } from '../text';
import { concatBytes, fromBase64, fromUtf8, toBase64, toHex, uint32BigEndian, utf8 } from '../bytes';
import { aes256CbcDecrypt, aes256CbcEncrypt } from './aes';
import { hmacSha256 } from './hashes';
import { scrypt } from './scrypt';

// ---- bcrypt (golang.org/x/crypto/bcrypt: version 2a, cost 10) ----
// Blowfish's initial subkeys are the hexadecimal digits of pi's fraction (Schneier, 1993): P is the first 18
// 32-bit words, the four S-boxes the next 1024. They are computed once, on first use, with Machin's formula
// pi = 16 atan(1/5) - 4 atan(1/239).

let piWords: Uint32Array | undefined;

function arctanInverse(x: bigint, scale: bigint): bigint {
  let power = scale / x;
  const square = x * x;
  let sum = 0n;
  for (let k = 1n, sign = 1n; power !== 0n; k += 2n, sign = -sign) {
    sum += (sign * power) / k;
    power /= square;
  }
  return sum;
}

function blowfishInitialWords(): Uint32Array {
  if (piWords) return piWords;
  const words = 18 + 4 * 256;
  const bits = BigInt(words * 32 + 64);
  const scale = 1n << bits;
  const pi = 16n * arctanInverse(5n, scale) - 4n * arctanInverse(239n, scale);
  const fraction = (pi % scale) >> 64n;
  piWords = new Uint32Array(words);
  for (let i = 0; i < words; i++) piWords[i] = Number((fraction >> BigInt((words - 1 - i) * 32)) & 0xffffffffn);
  return piWords;
}

class Blowfish {
  readonly p: Uint32Array;
  readonly s: Uint32Array;

  constructor() {
    const initial = blowfishInitialWords();
    this.p = initial.slice(0, 18);
    this.s = initial.slice(18);
  }

  private f(x: number): number {
    const s = this.s;
    return ((((s[x >>> 24] + s[256 + ((x >>> 16) & 0xff)]) >>> 0) ^ s[512 + ((x >>> 8) & 0xff)]) + s[768 + (x & 0xff)]) >>> 0;
  }

  encrypt(left: number, right: number): [number, number] {
    let l = (left ^ this.p[0]) >>> 0;
    let r = right;
    for (let i = 1; i <= 16; i += 2) {
      r = (r ^ this.f(l) ^ this.p[i]) >>> 0;
      l = (l ^ this.f(r) ^ this.p[i + 1]) >>> 0;
    }
    r = (r ^ this.p[17]) >>> 0;
    return [r, l];
  }

  /** Blowfish's key schedule, with bcrypt's salt mixed in when given (expandKeyWithSalt / ExpandKey). */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    const nextWord = (data: Uint8Array, pos: { i: number }): number => {
      let word = 0;
      for (let k = 0; k < 4; k++) {
        word = ((word << 8) | data[pos.i]) >>> 0;
        pos.i = (pos.i + 1) % data.length;
      }
      return word;
    };
    const keyCursor = { i: 0 };
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i] ^ nextWord(key, keyCursor)) >>> 0;
    const saltCursor = { i: 0 };
    let l = 0;
    let r = 0;
    const fill = (table: Uint32Array, offset: number, count: number) => {
      for (let i = 0; i < count; i += 2) {
        if (salt) {
          l = (l ^ nextWord(salt, saltCursor)) >>> 0;
          r = (r ^ nextWord(salt, saltCursor)) >>> 0;
        }
        [l, r] = this.encrypt(l, r);
        table[offset + i] = l;
        table[offset + i + 1] = r;
      }
    };
    fill(this.p, 0, 18);
    fill(this.s, 0, 1024);
  }
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function bcryptBase64(bytes: Uint8Array): string {
  const standard = trimTrailing(toBase64(bytes), '=');
  const from = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  return Array.from(standard, c => BCRYPT_ALPHABET[from.indexOf(c)]).join('');
}

/** bcrypt's hash of `password` with a 16-byte salt: `$2a$10$<salt><hash>`. */
export function bcryptHash(password: Uint8Array, salt: Uint8Array, cost = 10): string {
  if (password.length > 72) throw new Error('bcrypt: password length exceeds 72 bytes');
  const key = new Uint8Array(password.length + 1);
  key.set(password);
  const cipher = new Blowfish();
  cipher.expand(key, salt);
  for (let i = 0; i < 2 ** cost; i++) {
    cipher.expand(key);
    cipher.expand(salt);
  }
  const data = new DataView(utf8('OrpheanBeholderScryDoubt').buffer);
  const words = [0, 1, 2, 3, 4, 5].map(i => data.getUint32(i * 4));
  for (let block = 0; block < 6; block += 2) {
    for (let round = 0; round < 64; round++) [words[block], words[block + 1]] = cipher.encrypt(words[block], words[block + 1]);
  }
  const out = new Uint8Array(24);
  words.forEach((word, i) => new DataView(out.buffer).setUint32(i * 4, word));
  return `$2a$${String(cost).padStart(2, '0')}$${bcryptBase64(salt)}${bcryptBase64(out.subarray(0, 23))}`;
}

// ---- derivePassword (Master Password, as github.com/Masterminds/sprig's crypto.go) ----

const passwordTemplates: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: ['CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv',
    'CvccCvccCvcvno', 'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno'],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

const passwordCharacters: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function lengthPrefixed(text: string): Uint8Array {
  const bytes = utf8(text);
  return concatBytes(uint32BigEndian(bytes.length), bytes);
}

function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = passwordTemplates[type];
  if (!templates) return `cannot find password template ${type}`;
  const seedName = utf8('com.lyndir.masterpassword');
  const key = scrypt(utf8(password), concatBytes(seedName, lengthPrefixed(user)), 32768, 8, 2, 64);
  const seed = hmacSha256(key, concatBytes(seedName, lengthPrefixed(site), uint32BigEndian(counter)));
  const template = templates[seed[0] % templates.length];
  return Array.from(template, (kind, i) => {
    const characters = passwordCharacters[kind];
    return characters[seed[i + 1] % characters.length];
  }).join('');
}

// ---- AES (Sprig's encryptAES/decryptAES) ----

/** The password's first 32 bytes, zero-padded, as Sprig makes the key. */
function aesKey(password: string): Uint8Array {
  const key = new Uint8Array(32);
  key.set(utf8(password).subarray(0, 32));
  return key;
}

function encryptAes(random: Random, password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const content = utf8(plaintext);
  const padding = 16 - (content.length % 16);
  const iv = random.bytes(16);
  const encrypted = aes256CbcEncrypt(aesKey(password), iv, concatBytes(content, new Uint8Array(padding).fill(padding)));
  return toBase64(concatBytes(iv, encrypted));
}

function decryptAes(password: string, encoded: string): string {
  const data = fromBase64(encoded);
  if (data.length < 16) throw new Error('ciphertext too short');
  const body = data.subarray(16);
  if (body.length % 16 !== 0) throw new Error('crypto/cipher: input not full blocks');
  if (body.length === 0) return '';
  const decrypted = aes256CbcDecrypt(aesKey(password), data.subarray(0, 16), body);
  const padding = decrypted[decrypted.length - 1];
  if (padding > decrypted.length) throw new Error(`runtime error: slice bounds out of range [:${decrypted.length - padding}]`);
  return fromUtf8(decrypted.subarray(0, decrypted.length - padding));
}

function uuidv4(random: Random): string {
  const bytes = Uint8Array.from(random.bytes(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const KEY_AND_CERTIFICATE_FUNCTIONS = ['genPrivateKey', 'buildCustomCert', 'genCA', 'genCAWithKey', 'genSelfSignedCert', 'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey'];

export function cryptoFunctions(random: Random): Record<string, GoFunction> {
  const bcrypt = (text: string) => {
    try {
      return bcryptHash(utf8(text), random.bytes(16));
    } catch (error) {
      return `failed to encrypt string with bcrypt: ${(error as Error).message}`;
    }
  };
  const functions: Record<string, GoFunction> = {
    bcrypt: (text) => bcrypt(stringArg(text)),
    htpasswd: (user, password) => {
      const name = stringArg(user);
      if (name.includes(':')) return `invalid username: ${name}`;
      return `${name}:${bcrypt(stringArg(password))}`;
    },
    derivePassword: (counter, type, password, user, site) => derivePassword(intArg(counter), stringArg(type), stringArg(password), stringArg(user), stringArg(site)),
    encryptAES: (password, plaintext) => encryptAes(random, stringArg(password), stringArg(plaintext)),
    decryptAES: (password, encoded) => decryptAes(stringArg(password), stringArg(encoded)),
    randBytes: (count) => toBase64(randomBytesChecked(random, intArg(count))),
    uuidv4: () => uuidv4(random),
  };
  for (const name of KEY_AND_CERTIFICATE_FUNCTIONS) {
    functions[name] = () => {
      throw new Error(`${name} is not supported: kube-immutable does not generate keys or certificates`);
    };
  }
  return functions;
}
