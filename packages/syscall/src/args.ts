/**
 * Raw register arguments as the syscall ABI passes them. tskern takes them as
 * JavaScript numbers; a negative number stands for its 64-bit two's
 * complement, so an unsigned argument of -1 is 2^64 - 1 (beyond every limit,
 * as on Linux), and an `int` argument is the low 32 bits, signed.
 */

const TWO_64 = 2 ** 64;

/** An `unsigned long` / `size_t` argument (approximate above 2^53: such values fail every range check anyway). */
export function u64(x: number): number {
  if (!Number.isFinite(x)) return TWO_64 - 1;
  x = Math.trunc(x);
  return x < 0 ? TWO_64 + x : x;
}

/** An `int` argument: the low 32 bits, signed. */
export function i32(x: number): number {
  return Number.isFinite(x) ? x | 0 : 0;
}

/** An `unsigned int` argument. */
export function u32(x: number): number {
  return Number.isFinite(x) ? x >>> 0 : 0;
}

/** An `off_t` / `loff_t` argument (signed 64-bit). */
export function i64(x: number): number {
  if (!Number.isFinite(x)) return 0;
  x = Math.trunc(x);
  // A register value of 2^63 or more is a negative loff_t.
  return x >= 2 ** 63 ? x - 2 ** 64 : x;
}
