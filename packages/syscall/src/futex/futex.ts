import { Errno } from '@tskern/abi';
import {
  FUTEX, FUTEX_BITSET_MATCH_ANY, FUTEX_CMD_MASK, clockRealtimeAllowed, futexCheckValue, futexWait, futexWakeOp,
  type FutexKey, type FutexTable, type FutexUserMemory, type FutexWaiter,
} from '@tskern/futex';
import { futexKeyOf } from '@tskern/mman';
import type { Task } from '@tskern/tasks';
import type { Block, RestartKind, SyscallReturn } from '../block';
import type { KernelClock, WaitSource } from '@tskern/sched';
import { blockingServices } from '../blocking/services';
import { kernelFutexes } from './futex-host';
import { taskFutexMemory } from './task-futex-memory';

const NSEC_PER_SEC = 1_000_000_000;
const ts = new Uint8Array(16);
const tsView = new DataView(ts.buffer);

/**
 * The absolute CLOCK_MONOTONIC deadline (ns) of a futex wait's timeout
 * (futex_init_timeout): FUTEX_WAIT's timespec is relative, FUTEX_WAIT_BITSET's
 * absolute, on CLOCK_REALTIME with FUTEX_CLOCK_REALTIME. EFAULT for an
 * unreadable timespec, EINVAL for a negative or unnormalised one.
 */
function readDeadline(task: Task, addr: number, relative: boolean, realtime: boolean, clock: KernelClock): number {
  if (task.mem.copyIn(addr, ts, 0, 16) < 0) return -Errno.EFAULT;
  const sec = tsView.getInt32(4, true) * 0x1_0000_0000 + tsView.getUint32(0, true);
  const nsec = tsView.getInt32(12, true) * 0x1_0000_0000 + tsView.getUint32(8, true);
  if (sec < 0 || nsec < 0 || nsec >= NSEC_PER_SEC) return -Errno.EINVAL;
  const now = clock.monotonicNs();
  if (relative) return now + sec * NSEC_PER_SEC + nsec;
  if (!realtime) return sec * NSEC_PER_SEC + nsec;
  // An absolute CLOCK_REALTIME time: the same distance from now on the monotonic clock
  // (in BigInt: epoch nanoseconds are past 2^53).
  return now + Number(BigInt(sec) * 1_000_000_000n + BigInt(nsec) - clock.realtimeNs());
}

function NOTHING(): void {}

/** What each wait's one-source list is copied from (see the FutexWaitBlock constructor). */
const ONE_SOURCE: WaitSource[] = [{ name: 'futex', register: () => NOTHING }];

function describe(key: FutexKey, addr: number): string {
  return `futex 0x${addr.toString(16)} (${key.shared ? 'shared' : 'private'})`;
}

/**
 * The wait of FUTEX_WAIT / FUTEX_WAIT_BITSET as a Block: woken -> 0, the
 * deadline passed -> ETIMEDOUT (checked on the kernel's clock at each retry),
 * otherwise sleep on. The waiter leaving its queue (a wake, a requeue's
 * wake) wakes the task through the block itself, so the runtime does not poll.
 * A signal cancels it: ERESTARTSYS without a timeout, ERESTART_RESTARTBLOCK
 * with one (kernel/futex/waitwake.c futex_wait); a retry after the cancel
 * is the restart (futex_wait_restart): the word is checked and the task
 * queued again, with the same absolute deadline.
 *
 * A class, not an object literal with closures: a wait is a futex
 * ping-pong's every other call, and its reason (the address formatted) is
 * made only when a deadlock report asks for it.
 */
class FutexWaitBlock implements Block, WaitSource {
  readonly name = 'futex';
  /** The block is its own wait source (no WakeEvent and predicate per wait): the waiter leaving its queue fires it. */
  readonly on: readonly WaitSource[];
  readonly restart: RestartKind;
  private waiter: FutexWaiter | null = null;
  /** The scheduler's wake function while the task sleeps here. */
  private waker: (() => boolean) | null = null;
  /**
   * Assigned in the constructor, not class fields: tsx (esbuild's
   * keepNames) wraps a named field's arrow in a `__name` call, an
   * Object.defineProperty per wait that showed as 2% of a ping-pong.
   */
  private readonly onLeave: () => void;
  private readonly unregister: () => void;

  constructor(
    private readonly table: FutexTable,
    private readonly memory: FutexUserMemory,
    private readonly key: FutexKey,
    private readonly uaddr: number,
    private readonly val: number,
    private readonly bitset: number,
    readonly deadline: number | undefined,
    private readonly clock: KernelClock,
  ) {
    // Not an array literal: a literal's allocation site that V8 pretenures
    // (this one lives as long as the wait) lands every wait's objects in the
    // old generation. A copy of a one-element template has no such site
    // either, and is a fast clone where `Array.of` took V8's generic path
    // (10% of a futex ping-pong).
    const on = ONE_SOURCE.slice();
    on[0] = this;
    this.on = on;
    this.onLeave = () => this.fire();
    this.unregister = () => {
      this.waker = null;
    };
    this.restart = deadline === undefined ? 'sys' : 'restartblock';
  }

  /** WaitSource: the scheduler parks the task here; a waiter that already left wakes it at once (no lost wake). */
  register(wake: () => boolean): () => void {
    const w = this.waiter;
    if (w !== null && w.state !== 'waiting' && w.state !== 'cancelled') {
      wake();
      return NOTHING;
    }
    this.waker = wake;
    return this.unregister;
  }

  /** The waiter left its queue: wake the task parked here, if any. */
  private fire(): void {
    const wake = this.waker;
    this.waker = null;
    wake?.();
  }

  get reason(): string {
    return describe(this.key, this.uaddr);
  }

  /** Check the word and queue (futex_wait_setup): 0, or -errno (EAGAIN: the word changed). */
  enqueue(): number {
    const w = futexWait(this.table, this.memory, this.key, this.uaddr, this.val, this.bitset, this.onLeave);
    if (typeof w === 'number') return w;
    this.waiter = w;
    return 0;
  }

  /** An expired timeout still went through the value check, as futex_wait: ETIMEDOUT now, or 0. */
  expireIfDue(): number {
    if (this.deadline === undefined || this.clock.monotonicNs() < this.deadline) return 0;
    this.waiter?.timeout();
    return -Errno.ETIMEDOUT;
  }

  retry(): SyscallReturn {
    if (this.waiter?.state === 'cancelled') {
      const again = this.enqueue();
      if (again < 0) return again;
    }
    const waiter = this.waiter!;
    if (waiter.state === 'waiting' && this.deadline !== undefined && this.clock.monotonicNs() >= this.deadline) waiter.timeout();
    switch (waiter.state) {
      case 'woken': return 0;
      case 'timedout': return -Errno.ETIMEDOUT;
      case 'cancelled': return -Errno.EINTR;
      case 'waiting': return this;
    }
  }

  cancel(): void {
    this.waiter?.cancel();
  }
}

/**
 * futex(2) (kernel/futex/syscalls.c do_futex): FUTEX_WAIT, FUTEX_WAKE,
 * FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE and
 * FUTEX_WAKE_OP, private or shared (keys from `@tskern/mman`'s futexKeyOf).
 * FUTEX_CLOCK_REALTIME with another command is ENOSYS; PI futexes and
 * FUTEX_FD are ENOSYS (not implemented). For the requeue and wake-op
 * commands the timeout register is the second count (val2), as Linux.
 */
export function sysFutex(task: Task, uaddr: number, op: number, val: number, utime: number, uaddr2: number, val3: number): SyscallReturn {
  // decodeFutexOp's fields, without its object per call.
  const cmd = op & FUTEX_CMD_MASK;
  const priv = (op & FUTEX.FUTEX_PRIVATE_FLAG) !== 0;
  const clockRealtime = (op & FUTEX.FUTEX_CLOCK_REALTIME) !== 0;
  if (clockRealtime && !clockRealtimeAllowed(cmd)) return -Errno.ENOSYS;
  const table = kernelFutexes(task);
  // No local helper closure for the key: under tsx (esbuild's keepNames) a
  // named closure costs a `__name` call (Object.defineProperty) per futex
  // call, 10% of a ping-pong. The memory view is made only by the commands
  // that read the word (not by a wake).
  const mm = task.mm;
  switch (cmd) {
    case FUTEX.FUTEX_WAIT:
    case FUTEX.FUTEX_WAIT_BITSET: {
      const bitset = cmd === FUTEX.FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : val3 >>> 0;
      if (bitset === 0) return -Errno.EINVAL;
      const clock = blockingServices(task).clock;
      let deadline: number | undefined;
      if (utime !== 0) {
        const d = readDeadline(task, utime, cmd === FUTEX.FUTEX_WAIT, clockRealtime, clock);
        if (d < 0) return d;
        deadline = d;
      }
      const key = futexKeyOf(mm, uaddr, priv);
      if (typeof key === 'number') return key;
      const block = new FutexWaitBlock(table, taskFutexMemory(task), key, uaddr, val, bitset, deadline, clock);
      const queued = block.enqueue();
      if (queued < 0) return queued;
      const expired = block.expireIfDue();
      return expired < 0 ? expired : block;
    }
    case FUTEX.FUTEX_WAKE:
    case FUTEX.FUTEX_WAKE_BITSET: {
      const bitset = cmd === FUTEX.FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : val3 >>> 0;
      if (bitset === 0) return -Errno.EINVAL;
      const key = futexKeyOf(mm, uaddr, priv);
      if (typeof key === 'number') return key;
      return table.wake(key, val | 0, bitset);
    }
    case FUTEX.FUTEX_REQUEUE:
    case FUTEX.FUTEX_CMP_REQUEUE: {
      const nrWake = val | 0;
      const nrRequeue = utime | 0;
      if (nrWake < 0 || nrRequeue < 0) return -Errno.EINVAL;
      const key1 = futexKeyOf(mm, uaddr, priv);
      if (typeof key1 === 'number') return key1;
      const key2 = futexKeyOf(mm, uaddr2, priv);
      if (typeof key2 === 'number') return key2;
      if (cmd === FUTEX.FUTEX_CMP_REQUEUE) {
        const check = futexCheckValue(taskFutexMemory(task), uaddr, val3);
        if (check < 0) return check;
      }
      return table.requeue(key1, key2, nrWake, nrRequeue);
    }
    case FUTEX.FUTEX_WAKE_OP: {
      const key1 = futexKeyOf(mm, uaddr, priv);
      if (typeof key1 === 'number') return key1;
      const key2 = futexKeyOf(mm, uaddr2, priv);
      if (typeof key2 === 'number') return key2;
      return futexWakeOp(table, taskFutexMemory(task), key1, key2, uaddr2, val | 0, utime | 0, val3 >>> 0);
    }
    default:
      return -Errno.ENOSYS;
  }
}
