/**
 * A small seeded PRNG: xoshiro128** (Blackman & Vigna), seeded through
 * splitmix32 so that any (seed, stream) pair gives a well-mixed state. Pure
 * 32-bit integer arithmetic, so the sequence is the same on every platform and
 * Node version: a seed is a complete reproduction recipe.
 */

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Mix a seed and a stream number (e.g. a scenario index) into one 32-bit seed. */
export function mixSeed(seed: number, stream: number): number {
  const st = { s: (seed >>> 0) ^ Math.imul(stream >>> 0, 0x27d4eb2d) };
  splitmix32(st);
  st.s ^= Math.floor(seed / 2 ** 32) | 0;
  st.s ^= Math.imul(Math.floor(stream / 2 ** 32) | 0, 0x165667b1);
  return splitmix32(st);
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    const st = { s: mixSeed(seed, stream) };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  next32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A float in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.next32() >>> 5;
    const lo = this.next32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** An integer in [0, n) (n ≥ 1, up to 2^53). */
  int(n: number): number {
    if (n <= 0x100000000) {
      // Lemire-free simple rejection keeps it unbiased and reproducible.
      const limit = Math.floor(0x100000000 / n) * n;
      for (;;) {
        const x = this.next32();
        if (x < limit) return x % n;
      }
    }
    return Math.floor(this.float() * n);
  }

  /** An integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Pick by weight: `[[weight, value], ...]`. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of items) total += w;
    let x = this.float() * total;
    for (const [w, v] of items) {
      if (x < w) return v;
      x -= w;
    }
    return items[items.length - 1]![1];
  }

  /** A small integer skewed towards 0 (geometric-ish), at most max. */
  small(max: number): number {
    let n = 0;
    while (n < max && this.chance(0.5)) n++;
    return n;
  }
}
