import type { WaitSource } from '@tskern/sched';

/**
 * What a signal does to a blocked call, as Linux's restart codes:
 * - `sys` (-ERESTARTSYS): restarted if the handler has SA_RESTART, else EINTR;
 * - `nohand` (-ERESTARTNOHAND): restarted only if no handler ran (pause, sigsuspend: EINTR);
 * - `restartblock` (-ERESTART_RESTARTBLOCK): EINTR with the remaining time written (nanosleep);
 * - `never`: always EINTR.
 */
export type RestartKind = 'sys' | 'nohand' | 'restartblock' | 'never';

/**
 * A call that must wait (would block, then retry). The handler registered
 * whatever wakes it (a wait queue, a timer); the scheduler calls `retry`
 * after a wake-up, which answers the result or another Block.
 */
export interface Block {
  /** What it waits for, for the deadlock report (`wait4(-1)`, `futex 0x7f00 (shared)`). */
  readonly reason: string;
  /** Absolute time on the kernel's clock (ns) when it gives up, or undefined for none. */
  readonly deadline?: number;
  /**
   * The wait queues (`@tskern/sched`) whose wake-up makes it retry. The
   * runtime registers on them when it parks the task and unregisters when it
   * wakes, so a handler need not know the scheduler.
   */
  readonly on?: readonly WaitSource[];
  /**
   * Only its deadline or a signal ends the wait (nanosleep): the runtime
   * leaves it parked until its timer or a signal wakes it. A Block with no
   * wait source (`on`) and without this is retried at every scheduling
   * decision, since another task's call may have answered it.
   */
  readonly timerOnly?: boolean;
  /** Try again: the result (or -errno), or another Block to sleep again. */
  retry(): SyscallReturn;
  /** Unregister from whatever it registered on (a signal or a deadline ended the wait). */
  cancel(): void;
  /** What a signal does to it. */
  readonly restart: RestartKind;
  /**
   * Work the call already did before it slept (bytes a pipe write copied):
   * a signal then ends it with that count rather than EINTR or a restart, as
   * pipe_write answers `ret` when it is not 0. Absent or 0: nothing done.
   */
  partial?(): number;
  /**
   * A signal ended the wait: the call's last word before its restart is
   * decided (poll_select_finish writes the time left back). False when the
   * call must not restart: it answers EINTR even with no handler to run.
   */
  interrupted?(): boolean;
  /**
   * A killable wait (TASK_KILLABLE, as vfork's wait_for_vfork_done): only a
   * fatal signal ends it, which kills the task anyway; other signals stay
   * pending until the call returns.
   */
  readonly killable?: boolean;
}

/**
 * A handler's answer: the result (or -errno), or a Block when it must wait.
 * A result is a number, except lseek(2)'s past 2^53: an exact bigint (a
 * file offset up to 2^63 - 1; see FileOffset in `@tskern/abi`). A CPU
 * writes either into its result register as the 64-bit value.
 */
export type SyscallReturn = number | bigint | Block;

/** Whether a handler's answer is a Block. */
export function isBlock(r: SyscallReturn): r is Block {
  return typeof r === 'object';
}
