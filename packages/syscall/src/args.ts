import { fileOffset, type FileOffset } from '@tskern/abi';

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
 * - `long`: signed 64-bit; a register value of 2^63 or more is negative.
 *   Magnitudes above 2^53 round to the nearest double.
 * - `loff` (loff_t, off_t): signed 64-bit and exact, a `FileOffset` of
 *   `@tskern/abi`: a number while safe (|v| <= 2^53 - 1), else a bigint, as
 *   files grow to MAX_LFS_FILESIZE (2^63 - 1). Handlers declare such a
 *   parameter as `FileOffset`.
 *
 * - `off`: mmap(2)'s `unsigned long off`, a byte offset that must be page
 *   aligned: as `ulong`, except that an aligned value at or above 2^53 is
 *   exact (a multiple of 4096 below 2^64 is an exact double), so a file
 *   maps at any offset up to MAX_LFS_FILESIZE.
 *
 * A BigInt is taken modulo 2^64, so it is exact over all 64 bits. A number
 * that is not an integer is truncated toward zero; NaN and ±Infinity are 0 for
 * every type (they are no register value at all). So a fraction never
 * reaches a handler, and never becomes a file size or offset.
 */
export type RawArg = number | bigint;

/** The C types a syscall argument can be declared with. */
export type ArgKind = 'int' | 'uint' | 'umode' | 'ulong' | 'ptr' | 'size' | 'long' | 'loff' | 'off';

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
  if (typeof x === 'number') return x >>> 0 === x ? x >>> 0 : ulongFromNumber(x); // >>> 0 also makes -0 +0
  const v = BigInt.asUintN(64, x);
  return v < TWO_53 ? Number(v) : U64_HUGE + Number(v & 0xffffffffn);
}

/** mmap's `unsigned long off`: exact when page aligned (see the module comment). */
export function argOff(x: RawArg): number {
  if (typeof x === 'number') {
    if (x >>> 0 === x) return x >>> 0;
    if (!Number.isFinite(x)) return 0;
    const t = Math.trunc(x);
    const v = t < 0 ? t + TWO_64 : t; // an aligned negative value's complement is an exact double
    return v % 4096 === 0 && v < TWO_64 ? v : ulongFromNumber(x);
  }
  const v = BigInt.asUintN(64, x);
  return v < TWO_53 || (v & 4095n) !== 0n ? argUlong(v) : Number(v);
}

function ulongFromNumber(x: number): number {
  if (!Number.isFinite(x)) return 0;
  const t = Math.trunc(x);
  if (t >= 0 && t <= Number.MAX_SAFE_INTEGER) return t + 0; // + 0: never -0
  return U64_HUGE + (t >>> 0); // negative (two's complement >= 2^63) or >= 2^53
}

/** A `long` argument: signed 64-bit, to the nearest double beyond 2^53. */
export function argLong(x: RawArg): number {
  if (typeof x === 'number') {
    if ((x | 0) === x) return x | 0; // | 0 also makes -0 +0
    if (!Number.isFinite(x)) return 0;
    const t = Math.trunc(x);
    return t >= TWO_63 ? t - TWO_64 : t + 0;
  }
  return Number(BigInt.asIntN(64, x));
}

/**
 * A `loff_t` / `off_t` argument: signed 64-bit, exact (a FileOffset: a
 * number while safe, else a bigint). A number argument is taken as the
 * integer the double holds, so only bigint arguments reach every value.
 */
export function argLoff(x: RawArg): FileOffset {
  if (typeof x === 'number') {
    if ((x | 0) === x) return x | 0; // | 0 also makes -0 +0
    if (!Number.isFinite(x)) return 0;
    const t = Math.trunc(x);
    if (t <= Number.MAX_SAFE_INTEGER && t >= -Number.MAX_SAFE_INTEGER) return t + 0;
    return fileOffset(BigInt.asIntN(64, BigInt(t)));
  }
  return fileOffset(BigInt.asIntN(64, x));
}

/**
 * The converter of each kind. `loff` gives a FileOffset (number | bigint):
 * the table is typed by the number its other kinds give, and the handlers
 * that take a loff_t declare that parameter `FileOffset`.
 */
export const ARG_CONVERTERS: Readonly<Record<ArgKind, (x: RawArg) => number>> = {
  int: argInt,
  uint: argUint,
  umode: argUmode,
  ulong: argUlong,
  ptr: argUlong,
  size: argUlong,
  long: argLong,
  off: argOff,
  loff: argLoff as (x: RawArg) => number,
};

/** Arguments a syscall does not take: the register is ignored. */
export function argUnused(): number {
  return 0;
}
