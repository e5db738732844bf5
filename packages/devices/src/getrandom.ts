import { Errno } from '@tskern/abi';
import type { RandomSource } from './random-source';

/** getrandom(2) flags (include/uapi/linux/random.h). */
export const GRND = {
  GRND_NONBLOCK: 0x0001,
  GRND_RANDOM: 0x0002,
  GRND_INSECURE: 0x0004,
} as const;

/** The most one call returns (count is clamped to INT_MAX). */
const INT_MAX = 0x7fff_ffff;

/**
 * The checks of getrandom(2) (drivers/char/random.c): unknown flags and
 * GRND_INSECURE with GRND_RANDOM are EINVAL. Returns the count the call
 * will produce (clamped to INT_MAX) or -EINVAL. The pool is always
 * initialised here, so GRND_NONBLOCK never answers EAGAIN and GRND_RANDOM
 * reads the same bytes as the default (as since Linux 5.6).
 */
export function getrandomCount(count: number, flags: number): number {
  if ((flags & ~(GRND.GRND_NONBLOCK | GRND.GRND_RANDOM | GRND.GRND_INSECURE)) !== 0) return -Errno.EINVAL;
  if ((flags & (GRND.GRND_INSECURE | GRND.GRND_RANDOM)) === (GRND.GRND_INSECURE | GRND.GRND_RANDOM)) return -Errno.EINVAL;
  return Math.min(count, INT_MAX);
}

/**
 * getrandom(2) into a kernel buffer: the flags checked, then `dst` filled
 * with up to `length` bytes from `source`. The byte count or -EINVAL.
 */
export function getrandom(source: RandomSource, dst: Uint8Array, offset: number, length: number, flags: number): number {
  const n = getrandomCount(length, flags);
  if (n <= 0) return n;
  source.fill(dst, offset, n);
  return n;
}
