/**
 * Raw register arguments and their C types. The raw ABI takes each argument
 * as a JavaScript number or a BigInt; the dispatcher converts it once, by the
 * type the syscall declares for it (as `SYSCALL_DEFINE` does), and handlers
 * only ever see integral numbers:
 *
 * - `int`: the low 32 bits, signed. `uint`: the low 32 bits, unsigned.
 *   `umode`: the low 16 bits (umode_t).
 * - `ulong`, `ptr`, `size`: unsigned 64-bit. Values below 2^53 are exact.
 *   Above, a JavaScript number cannot hold every value, so they arrive as
 *   the canonical number `U64_HUGE + (value mod 2^32)`: above TASK_SIZE and
 *   every length limit, with the low 32 bits Linux sees (alignment checks
 *   answer the same). A negative number stands for its two's complement
 *   (-1 is 2^64 - 1, which is huge).
 * - `loff`, `long`: signed 64-bit; a register value of 2^63 or more is
 *   negative. Magnitudes above 2^53 round to the nearest double.
 *
 * A BigInt is taken modulo 2^64, so it is exact over all 64 bits. A number
 * that is not an integer is truncated toward zero; NaN and ±Infinity are 0 for
 * every type (they are no register value at all). So a fraction never
 * reaches a handler, and never becomes a file size or offset.
 */
export type RawArg = number | bigint;

/** The C types a syscall argument can be declared with. */
export type ArgKind = 'int' | 'uint' | 'umode' | 'ulong' | 'ptr' | 'size' | 'long' | 'loff';

/** Where unsigned 64-bit values at or above 2^53 land: 2^53 - 2^32, so that adding the low 32 bits stays exact. */
export const U64_HUGE = 2 ** 53 - 2 ** 32;

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;
const TWO_53 = 2n ** 53n;

/** An `int` argument: the low 32 bits, signed. */
export function argInt(x: RawArg): number {
  return typeof x === 'number' ? x | 0 : Number(BigInt.asIntN(32, x));
}

/** An `unsigned int` argument (also uid_t, gid_t). */
export function argUint(x: RawArg): number {
  return typeof x === 'number' ? x >>> 0 : Number(BigInt.asUintN(32, x));
}

/** A `umode_t` argument: 16 bits. */
export function argUmode(x: RawArg): number {
  return typeof x === 'number' ? x & 0xffff : Number(x & 0xffffn);
}

/** An `unsigned long` / `size_t` / pointer argument (see the module comment for values at or above 2^53). */
export function argUlong(x: RawArg): number {
  if (typeof x === 'number') return x >>> 0 === x ? x : ulongFromNumber(x);
  const v = BigInt.asUintN(64, x);
  return v < TWO_53 ? Number(v) : U64_HUGE + Number(v & 0xffffffffn);
}

function ulongFromNumber(x: number): number {
  if (!Number.isFinite(x)) return 0;
  const t = Math.trunc(x);
  if (t >= 0 && t <= Number.MAX_SAFE_INTEGER) return t;
  return U64_HUGE + (t >>> 0); // negative (two's complement >= 2^63) or >= 2^53
}

/** A `long` / `off_t` / `loff_t` argument: signed 64-bit. */
export function argLoff(x: RawArg): number {
  if (typeof x === 'number') {
    if ((x | 0) === x) return x;
    if (!Number.isFinite(x)) return 0;
    const t = Math.trunc(x);
    return t >= TWO_63 ? t - TWO_64 : t;
  }
  return Number(BigInt.asIntN(64, x));
}

/** The converter of each kind. */
export const ARG_CONVERTERS: Readonly<Record<ArgKind, (x: RawArg) => number>> = {
  int: argInt,
  uint: argUint,
  umode: argUmode,
  ulong: argUlong,
  ptr: argUlong,
  size: argUlong,
  long: argLoff,
  loff: argLoff,
};

/** Arguments a syscall does not take: the register is ignored. */
export function argUnused(): number {
  return 0;
}

// The helpers handlers used before arguments were typed at the table; kept
// for runtimes that convert raw values themselves.

/** `unsigned long` of a raw number (same as `argUlong`). */
export const u64 = (x: number): number => argUlong(x);
/** `int` of a raw number. */
export const i32 = (x: number): number => argInt(x);
/** `unsigned int` of a raw number. */
export const u32 = (x: number): number => argUint(x);
/** `loff_t` of a raw number. */
export const i64 = (x: number): number => argLoff(x);
