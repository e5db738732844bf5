import { Errno } from '@tskern/abi';
import { ClockId, readClock } from '@tskern/sched';
import type { Task } from '@tskern/tasks';
import type { SyscallReturn } from '../block';
import { blockingServices } from '../blocking/services';
import { writeTimespec } from './timespec-io';

/** The resolution of the COARSE clocks: one tick (LOW_RES_NSEC = TICK_NSEC, CONFIG_HZ=250). */
const TICK_NSEC = 4_000_000n;

/**
 * A clock id's reading in ns, or -EINVAL (clockid_to_kclock). The CPU-time
 * clocks read 0: tskern keeps no CPU accounting. Negative ids (a pid's or
 * thread's CPU clock) are EINVAL.
 */
function clockNow(task: Task, id: number): bigint | number {
  if (id === ClockId.CLOCK_PROCESS_CPUTIME_ID || id === ClockId.CLOCK_THREAD_CPUTIME_ID) return 0n;
  const t = readClock(blockingServices(task).clock, id);
  return t ?? -Errno.EINVAL;
}

/** clock_gettime(2). */
export function sysClockGettime(task: Task, id: number, tp: number): number {
  const now = clockNow(task, id);
  if (typeof now === 'number') return now;
  return writeTimespec(task.mem, tp, now);
}

/** clock_getres(2): 1 ns for the high-resolution clocks, a tick for the COARSE ones; a NULL `res` only checks the id. */
export function sysClockGetres(task: Task, id: number, res: number): number {
  const now = clockNow(task, id);
  if (typeof now === 'number') return now;
  if (res === 0) return 0;
  const coarse = id === ClockId.CLOCK_REALTIME_COARSE || id === ClockId.CLOCK_MONOTONIC_COARSE;
  return writeTimespec(task.mem, res, coarse ? TICK_NSEC : 1n);
}

/** gettimeofday(2): `struct timeval` (seconds, microseconds) and a zero `struct timezone` (sys_tz); either may be NULL. */
export function sysGettimeofday(task: Task, tv: number, tz: number): number {
  if (tv !== 0) {
    const ns = blockingServices(task).clock.realtimeNs();
    const b = new Uint8Array(16);
    const v = new DataView(b.buffer);
    v.setBigInt64(0, ns / 1_000_000_000n, true);
    v.setBigInt64(8, (ns % 1_000_000_000n) / 1000n, true);
    if (task.mem.copyOut(tv, b, 0, 16) < 0) return -Errno.EFAULT;
  }
  if (tz !== 0 && task.mem.copyOut(tz, new Uint8Array(8), 0, 8) < 0) return -Errno.EFAULT;
  return 0;
}

/** time(2): seconds since the epoch, also stored at `tloc` unless NULL. */
export function sysTime(task: Task, tloc: number): number {
  const sec = blockingServices(task).clock.realtimeNs() / 1_000_000_000n;
  if (tloc !== 0) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, sec, true);
    if (task.mem.copyOut(tloc, b, 0, 8) < 0) return -Errno.EFAULT;
  }
  return Number(sec);
}

/**
 * sched_yield(2): the call completes at once, but the task goes to the tail
 * of the run queue: a Block already due, which the runtime retries when the
 * task's turn comes again.
 */
export function sysSchedYield(task: Task): SyscallReturn {
  return { reason: 'sched_yield', deadline: blockingServices(task).clock.monotonicNs(), restart: 'never', retry: () => 0, cancel: () => {} };
}
