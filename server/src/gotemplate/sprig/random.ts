// Where Sprig's random functions (randAlphaNum, shuffle, randInt, uuidv4, randBytes, the salts and IVs of bcrypt and
// encryptAES) draw from: the system's cryptographic source, or a seeded one so tests and fuzzing are repeatable.

export interface Random {
  /** `count` bytes. */
  bytes(count: number): Uint8Array;
}

/** Most random output a single call may ask for; larger counts are refused rather than exhausting memory. */
const MAX_RANDOM_LENGTH = 1 << 20;

/** The Web Crypto source, a global in Node and in browsers alike; it fills at most 64 KiB a call. */
export const systemRandom: Random = {
  bytes: count => {
    const bytes = new Uint8Array(count);
    for (let at = 0; at < count; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
    return bytes;
  },
};

/** A repeatable source (mulberry32) for tests: the same seed gives the same bytes. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return {
    bytes(count) {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
      }
      return out;
    },
  };
}

function checkedCount(count: number): number {
  if (count < 0) throw new Error('negative count');
  if (count > MAX_RANDOM_LENGTH) throw new Error(`count ${count} is more than ${MAX_RANDOM_LENGTH}`);
  return count;
}

/** A uniform integer in [0, n), without modulo bias. */
export function randomBelow(random: Random, n: number): number {
  if (n <= 0) throw new Error('invalid argument to Intn');
  const limit = Math.floor(0x100000000 / n) * n;
  for (;;) {
    const [a, b, c, d] = random.bytes(4);
    const value = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
    if (value < limit) return value % n;
  }
}

/** `count` characters drawn from `alphabet`. */
export function randomString(random: Random, count: number, alphabet: string): string {
  let out = '';
  for (let i = checkedCount(count); i > 0; i--) out += alphabet[randomBelow(random, alphabet.length)];
  return out;
}

/** A shuffled copy (Fisher-Yates). */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomBelow(random, i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function randomBytesChecked(random: Random, count: number): Uint8Array {
  return random.bytes(checkedCount(count));
}
