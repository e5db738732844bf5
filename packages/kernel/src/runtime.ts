import { Errno } from '@tskern/abi';
import { formatDeadlock, Scheduler, type BlockOptions, type DeadlockReport, type KernelClock, type WaitSource } from '@tskern/sched';
import { handleSignal, type Block, type RawArg, type SyscallDispatcher, type SyscallReturn } from '@tskern/syscall';
import type { TaskTable } from '@tskern/tasks';

/** What the runtime does next (`TaskRuntime.next`). */
export type RuntimeStep =
  /**
   * Run task `tid`. `result` is the return value of the call it was blocked
   * in, now complete; null when it was not in a call (a new task, or one the
   * runtime preempted).
   */
  | {
    readonly kind: 'run';
    readonly tid: number;
    readonly result: number | bigint | null;
    /**
     * The signal whose handler the task now runs: its frame is on the user
     * stack and its `userContext` points at the handler (absent: none).
     */
    readonly signal?: number;
  }
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
 * A CallBlocked whose reason is the Block's, read when asked: a futex
 * formats its address, which cost more than the rest of a wait.
 */
class Blocked implements CallBlocked {
  readonly kind = 'blocked';
  constructor(private readonly block: Block) {}
  get reason(): string {
    return this.block.reason;
  }
}

const NO_SOURCES: readonly WaitSource[] = [];

/** How a sleeping call was issued (see `TaskRuntime.issued`); `pending` while the call is unfinished. */
interface IssuedCall {
  nr: number;
  a0: number;
  pending: boolean;
}

/** How a sleeping call waits, for the scheduler; the reason is read only by a deadlock report. */
class ParkedCall implements BlockOptions {
  readonly on: readonly WaitSource[];
  readonly deadline: number | null;
  constructor(private readonly block: Block) {
    this.on = block.on ?? NO_SOURCES;
    this.deadline = block.deadline ?? null;
  }
  get reason(): string {
    return this.block.reason;
  }
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
 * A number ends the call with it; a Block sleeps again (a restart in
 * place); 'rewind' restarts it from user mode: the runtime moves the task's
 * pc back over the syscall instruction (with the first argument back in
 * place) and the handler's frame saves that, so once the handler returns
 * the task issues the call again (-ERESTARTSYS under SA_RESTART).
 */
export type InterruptPolicy = (tid: number, block: Block) => SyscallReturn | 'rewind';

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
 *
 * For a task whose `userContext` is of its architecture, a completed call
 * and every `run` step are a return to user mode: the result is written
 * into the context and pending signals are delivered on it (see the
 * README's "Driving tasks").
 */
export class TaskRuntime {
  readonly scheduler: Scheduler<number>;
  /**
   * The Block each task sleeps in. A woken task's entry is set to undefined,
   * not deleted (only `forget` deletes): a Map whose entries are set and
   * deleted at every wait rehashes into a new table every few waits, and V8
   * links each obsolete table to its successor, so a run's tables stayed
   * reachable from the old generation until a full collection (the young
   * collections of a futex ping-pong promoted megabytes each).
   */
  private readonly blocks = new Map<number, Block | undefined>();
  /** How each sleeping call was issued (nr, orig a0): what a restart from user mode re-issues. One record per task, reused (see `blocks`). */
  private readonly issued = new Map<number, IssuedCall>();
  /**
   * Sleeping tasks whose Block names no wait source (`on`) and is not
   * `timerOnly`: nothing wakes them but their deadline or a signal, yet
   * another task's call may answer them, so each `next()` retries them.
   */
  private readonly polled = new Set<number>();
  /** Tasks asleep in a page fault (`waitInFault`): they return to user mode with no call result. */
  private readonly faulting = new Set<number>();
  /** What a polled Block answered when it stopped waiting, until its task runs. */
  private readonly completed = new Map<number, SyscallReturn>();
  /** `tasks.changes` when `sync` last matched the scheduler to the table (-1: never). */
  private syncedAt = -1;
  /** `tasks.changes` when `reapSleepers` last looked for dead sleepers. */
  private reapedAt = -1;
  /** What a signal does to a blocked call. */
  interruptPolicy: InterruptPolicy = (_tid, block): SyscallReturn | 'rewind' => {
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

  /**
   * A call of task `tid` (which the runtime is running). When it completes
   * and the task has a context of its architecture (`userContext`), the
   * result is written into the return register and pending signals are
   * delivered before this returns: the task resumes from its context.
   */
  syscall(tid: number, nr: number, a0: RawArg = 0, a1: RawArg = 0, a2: RawArg = 0, a3: RawArg = 0, a4: RawArg = 0, a5: RawArg = 0): CallOutcome {
    const r = this.dispatcher.call(tid, nr, a0, a1, a2, a3, a4, a5);
    this.reapSleepers();
    if (typeof r !== 'object') {
      if (this.tasks.get(tid)?.alive !== true) this.forget(tid);
      else this.toUser(tid, r);
      return r;
    }
    this.park(tid, r);
    const a0n = typeof a0 === 'bigint' ? Number(BigInt.asIntN(64, a0)) : a0;
    const call = this.issued.get(tid);
    if (call === undefined) this.issued.set(tid, { nr, a0: a0n, pending: true });
    else {
      call.nr = nr;
      call.a0 = a0n;
      call.pending = true;
    }
    return new Blocked(r);
  }

  /** Put running task `tid` at the tail of the run queue (its time slice is over). */
  preempt(tid: number): void {
    if (this.scheduler.state(tid) !== 'blocked') this.scheduler.makeRunnable(tid);
  }

  /**
   * Task `tid` (running, not in a call) took a page fault that must wait on
   * `source` (a userfaultfd's missing page: handle_userfault). It sleeps
   * until the source wakes it or a signal comes; either way it then returns
   * to user mode with its context untouched (a handler's frame pushed first,
   * if a signal is deliverable), so it reruns the faulting instruction, as
   * VM_FAULT_RETRY does.
   */
  waitInFault(tid: number, source: WaitSource): void {
    const block: Block = { reason: source.name, on: [source], restart: 'sys', retry: () => 0, cancel: () => {} };
    this.park(tid, block);
    this.faulting.add(tid);
  }

  /** Wake sleeping task `tid` from outside its wait queues (a signal); false when it was not asleep. */
  interrupt(tid: number): boolean {
    return this.scheduler.wake(tid, 'interrupt');
  }

  /**
   * Task `tid` returns to user mode outside a call (after a fault the CPU
   * raised with forceSigFault, or whenever the driver wants): a pending
   * signal with a handler is delivered by pushing the architecture's frame
   * onto the task's `userContext`, which now runs the handler
   * (handle_signal). `syscall()` and `next()` already do this for calls.
   * The signal whose handler runs, or 0 (none, or an architecture without a
   * frame builder, where caught signals stay pending).
   */
  returnToUser(tid: number): number {
    const task = this.tasks.get(tid);
    return task === undefined || !task.alive ? 0 : handleSignal(task);
  }

  /**
   * The return to user mode (exit_to_user_mode_loop) of a task with a
   * context of its architecture: the call's result (if any) is written into
   * its return register, then a pending signal is handled: a default action
   * applied or a handler's frame built over the context. The signal whose
   * handler now runs, or 0. Tasks without such a context are left alone
   * (their caught signals stay pending, as before the CPU drives them).
   */
  private toUser(tid: number, result: number | bigint | null): number {
    const task = this.tasks.get(tid);
    if (task === undefined || !task.alive) return 0;
    const abi = task.abi.userContext;
    if (abi === undefined || !abi.owns(task.userContext)) return 0;
    if (result !== null) abi.setReturnValue(task.userContext, result);
    return handleSignal(task);
  }

  /** A run step, after the return to user mode delivered what was pending. */
  private runStep(tid: number, result: number | bigint | null): RuntimeStep {
    const signal = this.toUser(tid, result);
    return signal === 0 ? { kind: 'run', tid, result } : { kind: 'run', tid, result, signal };
  }

  /**
   * -ERESTARTSYS with a handler under SA_RESTART: rewind the context to the
   * syscall instruction (arch handle_signal), then deliver, so the frame
   * saves the rewound pc. False when the task has no context to rewind.
   */
  private rewind(tid: number): RuntimeStep | null {
    const task = this.tasks.get(tid);
    const call = this.issued.get(tid);
    const abi = task?.abi.userContext;
    if (task === undefined || call === undefined || !call.pending || abi === undefined || !abi.owns(task.userContext)) return null;
    abi.rewindSyscall(task.userContext, call.nr, call.a0);
    return this.runStep(tid, null);
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
        if (block === undefined) return this.runStep(d.id, null);
        this.blocks.set(d.id, undefined);
        this.polled.delete(d.id);
        const done = this.completed.get(d.id);
        this.completed.delete(d.id);
        if (this.tasks.get(d.id)?.alive !== true) {
          this.forget(d.id);
          this.settle(d.id);
          continue;
        }
        if (this.faulting.delete(d.id)) return this.runStep(d.id, null);
        // A killable wait (vfork) is not ended by a signal that does not kill.
        const interrupted = d.cause === 'interrupt' && block.killable !== true;
        const r = interrupted ? this.interruptPolicy(d.id, block) : done ?? block.retry();
        if (r === 'rewind') {
          const step = this.rewind(d.id);
          if (step !== null) {
            this.settle(d.id);
            return step;
          }
          // No context to rewind: restart in place (the call sleeps again or answers).
          const again = block.retry();
          if (typeof again !== 'object') return this.runStep(d.id, again);
          this.park(d.id, again);
          continue;
        }
        if (typeof r !== 'object') {
          this.settle(d.id);
          if (this.tasks.get(d.id)?.alive !== true) {
            this.forget(d.id);
            continue;
          }
          return this.runStep(d.id, r);
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
    if ((block.on === undefined || block.on.length === 0) && block.timerOnly !== true) this.polled.add(tid);
    this.scheduler.block(tid, new ParkedCall(block));
  }

  /** Retry the Blocks nothing can wake; those that answer (or change) wake their task. */
  private poll(): void {
    if (this.polled.size === 0) return;
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

  /** The call of `tid` has completed or been rewound: nothing to re-issue (the record stays for its next call). */
  private settle(tid: number): void {
    const call = this.issued.get(tid);
    if (call !== undefined) call.pending = false;
  }

  private forget(tid: number): void {
    this.polled.delete(tid);
    this.faulting.delete(tid);
    this.issued.delete(tid);
    this.completed.delete(tid);
    const block = this.blocks.get(tid);
    this.blocks.delete(tid);
    block?.cancel();
    this.scheduler.remove(tid);
  }

  /**
   * Sleeping tasks the call just killed (a fatal signal, exit_group of their
   * process) end now: their waits are cancelled (a futex waiter leaves its
   * queue, a lock request is withdrawn) rather than at the next `next()`.
   */
  private reapSleepers(): void {
    // Only a call that ended or created tasks can have killed a sleeper: with
    // a thousand processes asleep, a scan after every call was most of the
    // time (LTP's shm_open/23-1).
    if (this.tasks.changes === this.reapedAt) return;
    this.reapedAt = this.tasks.changes;
    for (const tid of [...this.blocks.keys()]) if (this.tasks.get(tid)?.alive !== true) this.forget(tid);
  }

  /** New live tasks join the run queue; dead ones leave (a scan only when the table changed since the last). */
  private sync(): void {
    if (this.tasks.changes === this.syncedAt) return;
    this.syncedAt = this.tasks.changes;
    for (const task of this.tasks.tasks()) {
      if (task.alive && this.scheduler.state(task.tid) === undefined) this.scheduler.makeRunnable(task.tid);
    }
    for (const tid of [...this.scheduler.ids()]) if (this.tasks.get(tid)?.alive !== true) this.forget(tid);
  }
}
