import { Errno } from '@tskern/abi';
import { SIG, kernelSigInfo } from '@tskern/signal';
import type { Task, ThreadGroup } from '@tskern/tasks';
import { blockingServices } from '../blocking/services';
import { sendSignal } from './send-signal';
import { signalHostOf, type SignalTimers } from './signal-host';

export const ITIMER_REAL = 0;
export const ITIMER_VIRTUAL = 1;
export const ITIMER_PROF = 2;
const ITIMERVAL_SIZE = 32;
const NSEC_PER_USEC = 1000;
const USEC_PER_SEC = 1_000_000;

/** One interval timer: the next expiry (ns, monotonic; null when disarmed) and the period. */
interface IntervalTimer {
  deadline: number | null;
  intervalNs: number;
  handle: unknown;
}

const timersOf = new WeakMap<ThreadGroup, IntervalTimer[]>();

/** The three interval timers of a process (not inherited by fork: a new group starts disarmed). */
function itimers(group: ThreadGroup): IntervalTimer[] {
  let t = timersOf.get(group);
  if (t === undefined) {
    t = [0, 1, 2].map(() => ({ deadline: null, intervalNs: 0, handle: null }));
    timersOf.set(group, t);
  }
  return t;
}

interface Timeval {
  sec: number;
  usec: number;
}

function readItimerval(task: Task, addr: number): { interval: Timeval; value: Timeval } | number {
  const b = new Uint8Array(ITIMERVAL_SIZE);
  if (task.mem.copyIn(addr, b, 0, ITIMERVAL_SIZE) < 0) return -Errno.EFAULT;
  const v = new DataView(b.buffer);
  const long = (at: number) => v.getInt32(at + 4, true) * 0x1_0000_0000 + v.getUint32(at, true);
  return { interval: { sec: long(0), usec: long(8) }, value: { sec: long(16), usec: long(24) } };
}

function writeItimerval(task: Task, addr: number, intervalNs: number, valueNs: number): number {
  const b = new Uint8Array(ITIMERVAL_SIZE);
  const v = new DataView(b.buffer);
  const put = (at: number, ns: number) => {
    const usec = Math.floor(ns / NSEC_PER_USEC);
    v.setUint32(at, Math.floor(usec / USEC_PER_SEC) >>> 0, true);
    v.setUint32(at + 8, usec % USEC_PER_SEC, true);
  };
  put(0, intervalNs);
  put(16, valueNs);
  return task.mem.copyOut(addr, b, 0, ITIMERVAL_SIZE) < 0 ? -Errno.EFAULT : 0;
}

function validTimeval(t: Timeval): boolean {
  return t.sec >= 0 && t.usec >= 0 && t.usec < USEC_PER_SEC;
}

/** Time left on a timer: an armed timer past due still shows one microsecond (itimer_get_remtime). */
function remaining(timer: IntervalTimer, now: number): number {
  if (timer.deadline === null) return 0;
  return Math.max(timer.deadline - now, NSEC_PER_USEC);
}

function arm(group: ThreadGroup, task: Task, timer: IntervalTimer, timers: SignalTimers, deadline: number): void {
  timer.deadline = deadline;
  timer.handle = timers.addTimer(deadline, () => {
    timer.handle = null;
    if (!group.alive) {
      timer.deadline = null;
      return;
    }
    // it_real_fn: SIGALRM to the process, from the kernel.
    sendSignal(group.leader, kernelSigInfo(SIG.SIGALRM), false);
    if (timer.intervalNs > 0 && group.alive) arm(group, task, timer, timers, deadline + timer.intervalNs);
    else timer.deadline = null;
  });
}

/**
 * do_setitimer for `which`: answers the old value and interval (ns), or
 * -EINVAL. ITIMER_REAL runs on the kernel's timers and sends SIGALRM to the
 * process; ITIMER_VIRTUAL and ITIMER_PROF are kept and reported but never
 * fire (tskern accounts no CPU time).
 */
function setItimer(task: Task, which: number, intervalNs: number, valueNs: number): { interval: number; value: number } | number {
  if (which !== ITIMER_REAL && which !== ITIMER_VIRTUAL && which !== ITIMER_PROF) return -Errno.EINVAL;
  const timer = itimers(task.group)[which]!;
  const now = blockingServices(task).clock.monotonicNs();
  const old = { interval: timer.intervalNs, value: remaining(timer, now) };
  const host = signalHostOf(task.kernel.tasks);
  if (timer.handle !== null && host.timers !== null) host.timers.cancelTimer(timer.handle);
  timer.handle = null;
  timer.deadline = null;
  timer.intervalNs = intervalNs;
  if (valueNs > 0) {
    if (which === ITIMER_REAL && host.timers !== null) arm(task.group, task, timer, host.timers, now + valueNs);
    else timer.deadline = now + valueNs;
  }
  return old;
}

/** setitimer(2): a NULL new value disarms (as Linux since 4.x with a warning); EINVAL for a bad which or timeval. */
export function sysSetitimer(task: Task, which: number, newAddr: number, oldAddr: number): number {
  let interval = 0;
  let value = 0;
  if (newAddr !== 0) {
    const t = readItimerval(task, newAddr);
    if (typeof t === 'number') return t;
    if (!validTimeval(t.interval) || !validTimeval(t.value)) return -Errno.EINVAL;
    interval = (t.interval.sec * USEC_PER_SEC + t.interval.usec) * NSEC_PER_USEC;
    value = (t.value.sec * USEC_PER_SEC + t.value.usec) * NSEC_PER_USEC;
  }
  const old = setItimer(task, which, interval, value);
  if (typeof old === 'number') return old;
  if (oldAddr !== 0) return writeItimerval(task, oldAddr, old.interval, old.value);
  return 0;
}

/** getitimer(2): EINVAL for a bad which; the time left and the interval. */
export function sysGetitimer(task: Task, which: number, addr: number): number {
  if (which !== ITIMER_REAL && which !== ITIMER_VIRTUAL && which !== ITIMER_PROF) return -Errno.EINVAL;
  const timer = itimers(task.group)[which]!;
  const now = blockingServices(task).clock.monotonicNs();
  return writeItimerval(task, addr, timer.intervalNs, remaining(timer, now));
}

/**
 * alarm(2) (alarm_setitimer): ITIMER_REAL for `seconds` with no interval;
 * the seconds that were left, rounded to the nearest (a remainder under a
 * second counts as one).
 */
export function sysAlarm(task: Task, seconds: number): number {
  const old = setItimer(task, ITIMER_REAL, 0, seconds * 1e9);
  if (typeof old === 'number') return old;
  const usec = Math.floor(old.value / NSEC_PER_USEC);
  let sec = Math.floor(usec / USEC_PER_SEC);
  const rest = usec % USEC_PER_SEC;
  if ((sec === 0 && rest !== 0) || rest >= 500_000) sec++;
  return sec;
}
