import { Errno } from '@tskern/abi';
import { ClockId } from '@tskern/sched';
import type { Task } from '@tskern/tasks';
import type { Block, SyscallReturn } from '../block';
import { blockingServices } from '../blocking/services';
import { readTimespec, writeTimespec } from './timespec-io';

/** clock_nanosleep's flag: the time is absolute on the clock. */
export const TIMER_ABSTIME = 1;

/**
 * Sleep until monotonic `deadline`. Interrupted by a signal (`cancel`), a
 * relative sleep stores the time left at `rem` (unless NULL) and asks for
 * EINTR with restart_block semantics; an absolute one restarts as
 * -ERESTARTNOHAND does (hrtimer_nanosleep / do_nanosleep).
 */
function sleepUntil(task: Task, deadline: number, rem: number, absolute: boolean, reason: string): SyscallReturn {
  const clock = blockingServices(task).clock;
  const block: Block = {
    reason,
    deadline,
    // Its timer wakes it: with a thousand processes asleep (LTP's
    // shm_open/23-1), retrying every sleep at every switch was a seventh of the time.
    timerOnly: true,
    restart: absolute ? 'nohand' : 'restartblock',
    retry: () => (clock.monotonicNs() >= deadline ? 0 : block),
    cancel: () => {
      if (!absolute && rem !== 0) writeTimespec(task.mem, rem, BigInt(Math.max(0, deadline - clock.monotonicNs())));
    },
  };
  return block;
}

/** nanosleep(2): a relative sleep on CLOCK_MONOTONIC. */
export function sysNanosleep(task: Task, req: number, rem: number): SyscallReturn {
  const ns = readTimespec(task.mem, req);
  if (ns < 0) return ns;
  const now = blockingServices(task).clock.monotonicNs();
  return sleepUntil(task, now + ns, rem, false, 'nanosleep');
}

/**
 * clock_nanosleep(2) (kernel/time/posix-timers.c, posix-stubs): REALTIME,
 * MONOTONIC, BOOTTIME and TAI sleep; the CPU-time clocks and the _ALARM
 * clocks are not modelled (ENOTSUP, as clocks without nsleep); a thread CPU
 * clock and unknown ids are EINVAL. TIMER_ABSTIME takes the time on the
 * clock itself (a realtime deadline becomes monotonic at the current offset).
 */
export function sysClockNanosleep(task: Task, id: number, flags: number, req: number, rem: number): SyscallReturn {
  const clock = blockingServices(task).clock;
  switch (id) {
    case ClockId.CLOCK_REALTIME:
    case ClockId.CLOCK_MONOTONIC:
    case ClockId.CLOCK_BOOTTIME:
    case ClockId.CLOCK_TAI:
      break;
    case ClockId.CLOCK_THREAD_CPUTIME_ID:
      return -Errno.EINVAL;
    case ClockId.CLOCK_PROCESS_CPUTIME_ID:
    case ClockId.CLOCK_MONOTONIC_RAW:
    case ClockId.CLOCK_REALTIME_COARSE:
    case ClockId.CLOCK_MONOTONIC_COARSE:
    case ClockId.CLOCK_REALTIME_ALARM:
    case ClockId.CLOCK_BOOTTIME_ALARM:
      return -Errno.EOPNOTSUPP;
    default:
      return -Errno.EINVAL;
  }
  const ns = readTimespec(task.mem, req);
  if (ns < 0) return ns;
  const now = clock.monotonicNs();
  const absolute = (flags & TIMER_ABSTIME) !== 0;
  let deadline = now + ns;
  if (absolute) {
    const onClock = id === ClockId.CLOCK_REALTIME || id === ClockId.CLOCK_TAI ? clock.realtimeNs() : BigInt(now);
    deadline = now + Number(BigInt(ns) - onClock);
  }
  return sleepUntil(task, deadline, rem, absolute, 'clock_nanosleep');
}
