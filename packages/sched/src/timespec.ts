import { NSEC_PER_SEC } from './clock';

/**
 * A `struct timespec` from user memory as ns: null when it is not valid
 * (timespec64_valid: tv_sec >= 0 and 0 <= tv_nsec < 1e9; the syscall layer
 * answers EINVAL). Times past 2^53 ns (104 days) saturate at
 * Number.MAX_SAFE_INTEGER, as ktime_set saturates at KTIME_MAX; the
 * scheduler treats such a deadline as none.
 */
export function timespecToNs(sec: number | bigint, nsec: number | bigint): number | null {
  const s = BigInt(sec);
  const n = BigInt(nsec);
  if (s < 0n || n < 0n || n >= BigInt(NSEC_PER_SEC)) return null;
  const total = s * BigInt(NSEC_PER_SEC) + n;
  return total >= BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(total);
}

/** The largest deadline the scheduler keeps a timer for; later ones mean "never". */
export const NEVER_NS = Number.MAX_SAFE_INTEGER;
