import { invariant } from '@tskern/assert';

/**
 * A 64-bit signal set (Linux `sigset_t` with _NSIG 64): bit `sig - 1` stands
 * for signal `sig`. It is kept as two unsigned 32-bit halves so every
 * operation is a couple of integer ops (no BigInt on the delivery path).
 * Immutable: operations return a new set (or the same one when unchanged).
 */
export class SignalSet {
  private constructor(
    /** Signals 1..32 (bit 0 is signal 1). */
    readonly lo: number,
    /** Signals 33..64 (bit 0 is signal 33). */
    readonly hi: number,
  ) {}

  static readonly EMPTY = new SignalSet(0, 0);
  static readonly FULL = new SignalSet(0xffffffff, 0xffffffff);

  /** The set from its two 32-bit words, as sigset_t stores them (word 0 = signals 1..32). */
  static fromWords(lo: number, hi: number): SignalSet {
    lo >>>= 0;
    hi >>>= 0;
    return lo === 0 && hi === 0 ? SignalSet.EMPTY : new SignalSet(lo, hi);
  }

  /** The set holding exactly `sigs`. */
  static of(...sigs: number[]): SignalSet {
    let set = SignalSet.EMPTY;
    for (const s of sigs) set = set.add(s);
    return set;
  }

  has(sig: number): boolean {
    const bit = sig - 1;
    return bit < 32 ? ((this.lo >>> bit) & 1) === 1 : ((this.hi >>> (bit - 32)) & 1) === 1;
  }

  add(sig: number): SignalSet {
    invariant(sig >= 1 && sig <= 64, () => `SignalSet.add: signal ${sig} out of range`);
    const bit = sig - 1;
    return bit < 32
      ? SignalSet.fromWords(this.lo | (1 << bit), this.hi)
      : SignalSet.fromWords(this.lo, this.hi | (1 << (bit - 32)));
  }

  remove(sig: number): SignalSet {
    const bit = sig - 1;
    return bit < 32
      ? SignalSet.fromWords(this.lo & ~(1 << bit), this.hi)
      : SignalSet.fromWords(this.lo, this.hi & ~(1 << (bit - 32)));
  }

  union(other: SignalSet): SignalSet {
    return SignalSet.fromWords(this.lo | other.lo, this.hi | other.hi);
  }

  intersect(other: SignalSet): SignalSet {
    return SignalSet.fromWords(this.lo & other.lo, this.hi & other.hi);
  }

  /** The signals of this set not in `other` (sigandnsets). */
  minus(other: SignalSet): SignalSet {
    return SignalSet.fromWords(this.lo & ~other.lo, this.hi & ~other.hi);
  }

  isEmpty(): boolean {
    return this.lo === 0 && this.hi === 0;
  }

  equals(other: SignalSet): boolean {
    return this.lo === other.lo && this.hi === other.hi;
  }

  /** The lowest signal in the set, or 0 when empty (ffz(~x) + 1). */
  lowest(): number {
    if (this.lo !== 0) return 32 - Math.clz32(this.lo & -this.lo);
    if (this.hi !== 0) return 64 - Math.clz32(this.hi & -this.hi);
    return 0;
  }

  /** The signals in ascending order. */
  toArray(): number[] {
    const out: number[] = [];
    for (let s = 1; s <= 64; s++) if (this.has(s)) out.push(s);
    return out;
  }
}

/** sizeof(sigset_t) as the kernel sees it: rt_sig* calls take it and answer EINVAL for any other size. */
export const SIGSET_SIZE = 8;

/** Read a sigset_t (little-endian, 8 bytes) at `offset`. */
export function decodeSignalSet(bytes: Uint8Array, offset = 0): SignalSet {
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
  return SignalSet.fromWords(v.getUint32(0, true), v.getUint32(4, true));
}

/** Write a sigset_t (little-endian, 8 bytes) at `offset`. */
export function encodeSignalSet(set: SignalSet, bytes: Uint8Array, offset = 0): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
  v.setUint32(0, set.lo, true);
  v.setUint32(4, set.hi, true);
}
