// A seeded pseudo-random source, so that every fuzz case can be rebuilt from its seed and number alone.

/** xorshift32 (Marsaglia, "Xorshift RNGs", 2003), seeded from (seed, case) through a 32-bit integer hash. */
export class Random {
  private state: number;

  constructor(seed: number, stream = 0) {
    this.state = mix(mix(seed ^ 0x9e3779b9) ^ stream) || 1;
  }

  /** A float in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    return (x >>> 0) / 0x100000000;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** An item picked with probability proportional to its weight. */
  weighted<T extends { weight: number }>(items: readonly T[]): T {
    let roll = this.next() * items.reduce((sum, item) => sum + item.weight, 0);
    for (const item of items) if ((roll -= item.weight) < 0) return item;
    return items[items.length - 1];
  }
}

/** A 32-bit integer hash (the finaliser of MurmurHash3), to spread nearby seeds apart. */
function mix(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
