/**
 * A lock request that waits (F_SETLKW, F_OFD_SETLKW, flock without LOCK_NB),
 * as a waiter on Linux's `fl_blocked_requests`. The table grants it (or fails
 * it with EDEADLK when a retry finds a deadlock) and then calls the
 * completion callback given with the request; the caller sleeps until then.
 */
export interface PendingLock<Blocker extends object = object> {
  /** The held lock the request waits behind now. */
  readonly blocker: Blocker;
  /** 0 once granted, -EDEADLK if a retry found a deadlock; undefined while waiting. */
  readonly result: number | undefined;
  /**
   * Withdraws the request, as a signal interrupting the sleep does
   * (locks_delete_block); a no-op once the request completed.
   */
  cancel(): void;
}

/** Called once when a pending request completes, with 0 or -EDEADLK. */
export type LockCompletion = (result: number) => void;

/** The base of a waiter: its completion state, shared by record and flock waiters. */
export class LockWaiter<Blocker extends object> implements PendingLock<Blocker> {
  result: number | undefined = undefined;

  constructor(
    public blocker: Blocker,
    private readonly onDone: LockCompletion,
    private readonly withdraw: (waiter: LockWaiter<Blocker>) => void,
  ) {}

  cancel(): void {
    if (this.result !== undefined) return;
    this.withdraw(this);
  }

  /** Records the outcome; the caller calls `notify` once its state is consistent. */
  complete(result: number): void {
    this.result = result;
  }

  notify(): void {
    if (this.result !== undefined) this.onDone(this.result);
  }
}
