/**
 * Clock ids of clock_gettime(2) (include/uapi/linux/time.h). The CPU-time
 * clocks belong to the task model; this package answers the wall and
 * monotonic ones.
 */
export const ClockId = {
  CLOCK_REALTIME: 0,
  CLOCK_MONOTONIC: 1,
  CLOCK_PROCESS_CPUTIME_ID: 2,
  CLOCK_THREAD_CPUTIME_ID: 3,
  CLOCK_MONOTONIC_RAW: 4,
  CLOCK_REALTIME_COARSE: 5,
  CLOCK_MONOTONIC_COARSE: 6,
  CLOCK_BOOTTIME: 7,
  CLOCK_REALTIME_ALARM: 8,
  CLOCK_BOOTTIME_ALARM: 9,
  CLOCK_TAI: 11,
} as const;

export const NSEC_PER_SEC = 1_000_000_000;

/**
 * Where the kernel's time comes from. Monotonic time is nanoseconds since
 * boot as a safe integer (exact for 104 days of uptime); it never goes
 * back. Realtime is nanoseconds since the epoch, a BigInt because it is
 * past 2^53.
 *
 * Timers and deadlines are on the monotonic clock (as hrtimers on
 * CLOCK_MONOTONIC). A clock with `advanceTo` is virtual: the scheduler moves
 * it to the next timer when every task sleeps, so sleeps take no host time.
 */
export interface KernelClock {
  /** CLOCK_MONOTONIC in ns since boot. */
  monotonicNs(): number;
  /** CLOCK_REALTIME in ns since 1970-01-01T00:00:00Z. */
  realtimeNs(): bigint;
  /** A virtual clock: jump forward to `monotonicNs` (never back). Absent on the host clock. */
  advanceTo?(monotonicNs: number): void;
}

/**
 * The reading of a wall or monotonic clock id in ns, or null for an id this
 * package does not answer (the CPU-time clocks, unknown ids: the syscall
 * layer decides between its own answer and EINVAL). As Linux without
 * suspend: CLOCK_BOOTTIME equals CLOCK_MONOTONIC, MONOTONIC_RAW and the
 * COARSE variants read the same clocks, CLOCK_TAI is realtime (tai offset 0
 * until adjtimex sets it).
 */
export function readClock(clock: KernelClock, id: number): bigint | null {
  switch (id) {
    case ClockId.CLOCK_REALTIME:
    case ClockId.CLOCK_REALTIME_COARSE:
    case ClockId.CLOCK_REALTIME_ALARM:
    case ClockId.CLOCK_TAI:
      return clock.realtimeNs();
    case ClockId.CLOCK_MONOTONIC:
    case ClockId.CLOCK_MONOTONIC_RAW:
    case ClockId.CLOCK_MONOTONIC_COARSE:
    case ClockId.CLOCK_BOOTTIME:
    case ClockId.CLOCK_BOOTTIME_ALARM:
      return BigInt(clock.monotonicNs());
    default:
      return null;
  }
}

/** A time in ns split as `struct timespec` (tv_sec, tv_nsec), for a non-negative time. */
export function timespecFromNs(ns: bigint): { sec: number; nsec: number } {
  const s = ns / 1_000_000_000n;
  return { sec: Number(s), nsec: Number(ns - s * 1_000_000_000n) };
}
