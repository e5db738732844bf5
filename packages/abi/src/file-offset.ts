/**
 * A file size or offset (`loff_t`), exact over the whole signed 64-bit
 * range: a JavaScript number while it is a safe integer (|v| <= 2^53 - 1),
 * a bigint beyond. The form is canonical (one value, one representation), so
 * `typeof x === 'number'` is the fast path every ordinary file takes, `===`
 * compares values, and the relational operators (`<`, `>=`) compare a number
 * with a bigint exactly. Arithmetic goes through the helpers below.
 *
 * Linux files (tmpfs) grow to MAX_LFS_FILESIZE, 2^63 - 1, far past the
 * 2^53 that a double holds exactly.
 */
export type FileOffset = number | bigint;

/** MAX_LFS_FILESIZE on 64-bit Linux (LLONG_MAX): s_maxbytes of tmpfs, the largest loff_t. */
export const MAX_LFS_FILESIZE: FileOffset = (1n << 63n) - 1n;

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The canonical FileOffset of an exact value: a number when safe, else the bigint. */
export function fileOffset(v: bigint): FileOffset {
  return v <= SAFE && v >= -SAFE ? Number(v) : v;
}

/** The exact value as a bigint. */
export function offsetBig(x: FileOffset): bigint {
  return typeof x === 'number' ? BigInt(x) : x;
}

/** `a + b`, exact; numbers stay numbers while the sum is safe. */
export function offsetAdd(a: FileOffset, b: FileOffset): FileOffset {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (s <= Number.MAX_SAFE_INTEGER && s >= -Number.MAX_SAFE_INTEGER) return s;
  }
  return fileOffset(offsetBig(a) + offsetBig(b));
}

/** `a - b`, exact. */
export function offsetSub(a: FileOffset, b: FileOffset): FileOffset {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a - b;
    if (s <= Number.MAX_SAFE_INTEGER && s >= -Number.MAX_SAFE_INTEGER) return s;
  }
  return fileOffset(offsetBig(a) - offsetBig(b));
}

/** `min(n, limit - at)` for a count `n` (a number) and offsets: how much of `n` fits below `limit`. */
export function countBelow(n: number, at: FileOffset, limit: FileOffset): number {
  if (typeof at === 'number') {
    if (typeof limit === 'number') return n < limit - at ? n : limit - at;
    // A bigint is past every safe integer: no BigInt work on the usual path.
    if (at + n <= Number.MAX_SAFE_INTEGER) return n;
  }
  const room = offsetSub(limit, at);
  return room < n ? Number(room) : n;
}

/**
 * `a > b`, without BigInt work when `a` is a number and `b` a bigint limit
 * (a canonical positive bigint is past every number).
 */
export function offsetAbove(a: FileOffset, b: FileOffset): boolean {
  if (typeof a === 'number' && typeof b !== 'number') return b < 0n;
  return a > b;
}

