import { Errno } from '@tskern/abi';
import { formatDeadlock, Scheduler, type DeadlockReport, type KernelClock } from '@tskern/sched';
import { handleSignal, type Block, type RawArg, type SyscallDispatcher, type SyscallReturn } from '@tskern/syscall';
import type { TaskTable } from '@tskern/tasks';

/** What the runtime does next (`TaskRuntime.next`). */
export type RuntimeStep =
  /**
   * Run task `tid`. `result` is the return value of the call it was blocked
   * in, now complete; null when it was not in a call (a new task, or one the
   * runtime preempted).
   */
  | { readonly kind: 'run'; readonly tid: number; readonly result: number | bigint | null }
  /** No task can run: sleep until monotonic `until` (ns) and ask again; null: only a task running elsewhere can change that. */
  | { readonly kind: 'idle'; readonly until: number | null }
  /** Every task is blocked and no timer is pending: the report names each and what it waits on. */
  | { readonly kind: 'deadlock'; readonly report: DeadlockReport<number>; readonly message: string }
  /** No task is left. */
  | { readonly kind: 'done' };

/** A call that did not complete: the task sleeps; ask `next()` who runs. */
export interface CallBlocked {
  readonly kind: 'blocked';
  readonly reason: string;
}

/**
 * What `TaskRuntime.syscall` answers: the call's result, or that the task
 * now sleeps. A result is a bigint only for an lseek(2) past 2^53 (exact
 * file offsets, up to 2^63 - 1): a CPU writes it to its result register as is.
 */
export type CallOutcome = number | bigint | CallBlocked;

/**
 * What a signal does to a blocked call, for the signal machinery to
 * replace: by default the wait is cancelled and the call answers -EINTR.
 */
export type InterruptPolicy = (tid: number, block: Block) => SyscallReturn;

/**
 * The runtime interface of the kernel: a CPU emulator, the scenario runner
 * or a test drives tasks through it. It owns the scheduler (`@tskern/sched`)
 * over tids and the Blocks of sleeping calls:
 *
 * - `syscall(tid, nr, ...)`: a task's call; a number when it completed, else
 *   the task sleeps (its Block is parked on its wait queues and deadline).
 * - `next()`: which task runs, with the result of its completed call; or
 *   idle until a time; or a deadlock report; or done. Woken calls are
 *   retried here (would block, then retry), and sleep again when they must.
 * - `preempt(tid)` puts a running task at the tail of the run queue (the
 *   end of a time slice); `interrupt(tid)` wakes a sleeping one (a signal).
 *
 * Tasks the runtime has not seen (spawned, forked) join the run queue at the
 * next `next()`; dead ones leave it, their Blocks cancelled.
 */
export class TaskRuntime {
  readonly scheduler: Scheduler<number>;
  private readonly blocks = new Map<number, Block>();
  /**
   * Sleeping tasks whose Block names no wait source (`on`): nothing wakes
   * them but their deadline or a signal, so each `next()` retries them (a
   * futex wait or a lock request is answered inside another task's call).
   */
  private readonly polled = new Set<number>();
  /** What a polled Block answered when it stopped waiting, until its task runs. */
  private readonly completed = new Map<number, SyscallReturn>();
  /** What a signal does to a blocked call. */
  interruptPolicy: InterruptPolicy = (_tid, block) => {
    block.cancel();
    return -Errno.EINTR;
  };

  constructor(
    private readonly tasks: TaskTable,
    private readonly dispatcher: SyscallDispatcher,
    clock: KernelClock,
  ) {
    this.scheduler = new Scheduler<number>(clock);
  }

  /** A call of task `tid` (which the runtime is running). */
  syscall(tid: number, nr: number, a0: RawArg = 0, a1: RawArg = 0, a2: RawArg = 0, a3: RawArg = 0, a4: RawArg = 0, a5: RawArg = 0): CallOutcome {
    const r = this.dispatcher.call(tid, nr, a0, a1, a2, a3, a4, a5);
    if (typeof r !== 'object') {
      if (this.tasks.get(tid)?.alive !== true) this.forget(tid);
      return r;
    }
    this.park(tid, r);
    return { kind: 'blocked', reason: r.reason };
  }

  /** Put running task `tid` at the tail of the run queue (its time slice is over). */
  preempt(tid: number): void {
    if (this.scheduler.state(tid) !== 'blocked') this.scheduler.makeRunnable(tid);
  }

  /** Wake sleeping task `tid` from outside its wait queues (a signal); false when it was not asleep. */
  interrupt(tid: number): boolean {
    return this.scheduler.wake(tid, 'interrupt');
  }

  /**
   * Task `tid` returns to user mode (the CPU has written its call's result
   * into its context, or it is about to run): a pending signal with a
   * handler is delivered by pushing the architecture's frame onto the
   * task's `userContext`, which now runs the handler (handle_signal). The
   * signal whose handler runs, or 0 (none, or an architecture without a
   * frame builder yet, where caught signals stay pending).
   */
  returnToUser(tid: number): number {
    const task = this.tasks.get(tid);
    return task === undefined || !task.alive ? 0 : handleSignal(task);
  }

  /** The Block task `tid` sleeps in, if any. */
  blockOf(tid: number): Block | undefined {
    return this.blocks.get(tid);
  }

  next(): RuntimeStep {
    for (;;) {
      this.sync();
      this.poll();
      const d = this.scheduler.next();
      if (d.kind === 'run') {
        const block = this.blocks.get(d.id);
        if (block === undefined) return { kind: 'run', tid: d.id, result: null };
        this.blocks.delete(d.id);
        this.polled.delete(d.id);
        const done = this.completed.get(d.id);
        this.completed.delete(d.id);
        const r = d.cause === 'interrupt' ? this.interruptPolicy(d.id, block) : done ?? block.retry();
        if (typeof r !== 'object') {
          if (this.tasks.get(d.id)?.alive !== true) {
            this.forget(d.id);
            continue;
          }
          return { kind: 'run', tid: d.id, result: r };
        }
        this.park(d.id, r);
        continue;
      }
      if (d.kind === 'deadlock') {
        return { kind: 'deadlock', report: d.report, message: formatDeadlock(d.report, (tid) => `task ${tid}`) };
      }
      return d;
    }
  }

  private park(tid: number, block: Block): void {
    if (this.scheduler.state(tid) === undefined) this.scheduler.makeRunnable(tid);
    this.blocks.set(tid, block);
    if (block.on === undefined || block.on.length === 0) this.polled.add(tid);
    this.scheduler.block(tid, { on: block.on ?? [], deadline: block.deadline ?? null, reason: block.reason });
  }

  /** Retry the Blocks nothing can wake; those that answer (or change) wake their task. */
  private poll(): void {
    for (const tid of [...this.polled]) {
      const block = this.blocks.get(tid);
      if (block === undefined) {
        this.polled.delete(tid);
        continue;
      }
      const r = block.retry();
      if (r === block) continue;
      this.polled.delete(tid);
      this.completed.set(tid, r);
      this.scheduler.wake(tid, 'event');
    }
  }

  private forget(tid: number): void {
    this.polled.delete(tid);
    this.completed.delete(tid);
    const block = this.blocks.get(tid);
    if (block !== undefined) {
      this.blocks.delete(tid);
      block.cancel();
    }
    this.scheduler.remove(tid);
  }

  /** New live tasks join the run queue; dead ones leave. */
  private sync(): void {
    for (const task of this.tasks.tasks()) {
      if (task.alive && this.scheduler.state(task.tid) === undefined) this.scheduler.makeRunnable(task.tid);
    }
    for (const tid of [...this.scheduler.ids()]) if (this.tasks.get(tid)?.alive !== true) this.forget(tid);
  }
}
