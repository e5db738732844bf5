import { Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { blockingServices } from '../blocking/services';
import { setUserSigmask } from '../signal/user-sigmask';
import { readTimespec, writeTimespec } from '../time/timespec-io';

/** How a call ends its wait: the deadline, what it does with its result, and what a signal makes of it. */
export interface PollEnding {
  /** Absolute time on the kernel's clock (ns) when the wait gives up; undefined: never. */
  readonly deadline: number | undefined;
  /** The call completed with `ret` (a count or -errno): what it returns. */
  finish(ret: number): number;
  /** A signal ended the wait: false when the call must not restart (see `PollSelectTimeout.interrupted`). */
  interrupted?(): boolean;
}

/** How the time left is written back (fs/select.c's enum poll_time_type, 64-bit layouts). */
type PollTimeLayout = 'timeval' | 'timespec';

/**
 * The timeout of select(2), pselect6(2) and ppoll(2): read as
 * poll_select_set_timeout does, and the time left written back as
 * poll_select_finish does, the same for all three:
 * - a NULL pointer or a zero timeout is never written;
 * - otherwise the time left (0 once the deadline passed) goes back as a
 *   timeval (select) or a timespec (pselect6, ppoll), whatever the call
 *   returns: a count, 0 at the deadline, -errno (EBADF, EINVAL, EFAULT of
 *   the sets or table) or an interruption by a signal;
 * - a write-back that faults leaves the result as it was (a read-only
 *   timeout must not make a call that worked fail), except that a call a
 *   signal interrupted may then not restart (-ERESTARTNOHAND becomes
 *   -EINTR: the restarted call would wait the whole timeout again);
 * - the temporary signal mask (ppoll, pselect6) is put back unless a signal
 *   interrupted the wait (restore_saved_sigmask_unless(ERESTARTNOHAND): the
 *   handler's frame or the return to user mode restores it).
 * Linux skips the write-back for a personality with STICKY_TIMEOUTS; tskern
 * has no personality(2), so no task has it.
 */
export class PollSelectTimeout implements PollEnding {
  private constructor(
    private readonly task: Task,
    private readonly addr: number,
    private readonly layout: PollTimeLayout,
    /** The timeout asked, in ns; null for none. */
    readonly timeoutNs: number | null,
    readonly deadline: number | undefined,
    private readonly restoreMask: (() => void) | null,
  ) {}

  /**
   * Read the timeout at `addr` (0: none): -EFAULT when unreadable, -EINVAL
   * when not a valid time.
   */
  static read(task: Task, addr: number, layout: PollTimeLayout): PollSelectTimeout | number {
    if (addr === 0) return new PollSelectTimeout(task, 0, layout, null, undefined, null);
    const ns = layout === 'timeval' ? readTimeval(task, addr) : readTimespec(task.mem, addr);
    if (ns < 0) return ns;
    return new PollSelectTimeout(task, addr, layout, ns, blockingServices(task).clock.monotonicNs() + ns, null);
  }

  /**
   * set_user_sigmask, after the timeout was read: the mask at `sigmask`
   * (none when 0) is the signal mask while the call waits (`sigsetsize`
   * must be 8: EINVAL; unreadable: EFAULT), put back when it completes.
   * The same timeout with that mask, or -errno with the mask unchanged.
   */
  withUserSigmask(sigmask: number, sigsetsize: number): PollSelectTimeout | number {
    if (sigmask === 0) return this;
    const restore = setUserSigmask(this.task, sigmask, sigsetsize);
    if (typeof restore === 'number') return restore;
    return new PollSelectTimeout(this.task, this.addr, this.layout, this.timeoutNs, this.deadline, restore);
  }

  finish(ret: number): number {
    this.restoreMask?.();
    this.writeBack();
    return ret;
  }

  /** A signal ended the wait: the time left is written back; false when that faulted, so the call answers EINTR. */
  interrupted(): boolean {
    return this.writeBack();
  }

  /** poll_select_finish's copy-out: true when nothing needed writing or the write worked. */
  private writeBack(): boolean {
    if (this.deadline === undefined || this.timeoutNs === 0) return true;
    const left = Math.max(0, this.deadline - blockingServices(this.task).clock.monotonicNs());
    return (this.layout === 'timeval' ? writeTimeval(this.task, this.addr, left) : writeTimespec(this.task.mem, this.addr, BigInt(left))) === 0;
  }
}

/**
 * `struct timeval` in, as kern_select normalizes it: whole seconds of
 * microseconds carry over (C division), then the time must be a valid
 * timespec (EINVAL when negative). ns, or -EFAULT / -EINVAL.
 */
function readTimeval(task: Task, addr: number): number {
  const b = new Uint8Array(16);
  if (task.mem.copyIn(addr, b, 0, 16) < 0) return -Errno.EFAULT;
  const v = new DataView(b.buffer);
  const usec = v.getBigInt64(8, true);
  const sec = v.getBigInt64(0, true) + usec / 1_000_000n; // BigInt division truncates, as C's
  const nsec = (usec % 1_000_000n) * 1000n;
  if (sec < 0n || nsec < 0n) return -Errno.EINVAL;
  return Number(sec) * 1e9 + Number(nsec);
}

/** The time left as a `struct timeval` (microseconds truncated, as rts.tv_nsec / NSEC_PER_USEC): 0 or -EFAULT. */
function writeTimeval(task: Task, addr: number, ns: number): number {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, BigInt(Math.floor(ns / 1e9)), true);
  v.setBigInt64(8, BigInt(Math.floor((ns % 1e9) / 1000)), true);
  return task.mem.copyOut(addr, b, 0, 16) < 0 ? -Errno.EFAULT : 0;
}
