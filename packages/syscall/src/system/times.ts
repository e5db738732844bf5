import { Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { blockingServices } from '../blocking/services';
import { processUsage } from './rusage';

/** USER_HZ: clock_t counts hundredths of a second. */
export const USER_HZ = 100;
/** A jiffy at CONFIG_HZ=250 (the tick clock.ts's COARSE clocks use), in ns. */
const TICK_NSEC = 4_000_000n;
/**
 * INITIAL_JIFFIES on 64-bit: jiffies start 300 s short of wrapping 32 bits,
 * so that wrap bugs show early; times(2) returns jiffies from there.
 */
const INITIAL_JIFFIES = 2n ** 32n - 300n * 250n;
const NS_PER_CLOCK_T = 1_000_000_000 / USER_HZ;

/** jiffies_64_to_clock_t: jiffies * TICK_NSEC / (NSEC_PER_SEC / USER_HZ). */
function jiffiesToClockT(jiffies: bigint): bigint {
  return (jiffies * TICK_NSEC) / BigInt(NS_PER_CLOCK_T);
}

/** ns of CPU time in clock ticks (nsec_to_clock_t). */
function clockT(ns: number): bigint {
  return BigInt(Math.floor(ns / NS_PER_CLOCK_T));
}

/**
 * times(2) (kernel/sys.c): struct tms — the process's user and system time
 * and its reaped children's, in clock ticks (USER_HZ 100) — unless `buf` is
 * NULL; returns the ticks since boot as Linux counts them, from
 * INITIAL_JIFFIES (so the value is large, not ticks since 0).
 */
export function sysTimes(task: Task, buf: number): number {
  if (buf !== 0) {
    const self = processUsage(task.group);
    const children = task.group.usage.children;
    const b = new Uint8Array(32);
    const v = new DataView(b.buffer);
    v.setBigInt64(0, clockT(self.userNs), true);
    v.setBigInt64(8, clockT(self.systemNs), true);
    v.setBigInt64(16, clockT(children.userNs), true);
    v.setBigInt64(24, clockT(children.systemNs), true);
    if (task.mem.copyOut(buf, b, 0, 32) < 0) return -Errno.EFAULT;
  }
  const jiffies = INITIAL_JIFFIES + BigInt(Math.floor(blockingServices(task).clock.monotonicNs())) / TICK_NSEC;
  return Number(jiffiesToClockT(jiffies));
}
