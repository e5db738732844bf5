import type { FutexKey } from './futex-key';

/** Where a waiter is: queued, or how it left the queue. */
export type FutexWaitState = 'waiting' | 'woken' | 'timedout' | 'cancelled';

/** Why a waiter left its queue, as its callback hears it. */
export type FutexWakeReason = Exclude<FutexWaitState, 'waiting'>;

/** The queue a waiter is linked into (the table's internal part of a waiter). */
export interface FutexWaiterQueue {
  unlink(waiter: FutexWaiter): void;
}

/**
 * One task blocked in FUTEX_WAIT (kernel/futex's `struct futex_q`): its key
 * (which requeue changes), its bitset, and how it is told it left the queue.
 * The table links it; `timeout()` and `cancel()` are for the timer and for a
 * signal or exit interrupting the wait.
 */
export class FutexWaiter {
  state: FutexWaitState = 'waiting';
  /** Intrusive list links, owned by the table. */
  prev: FutexWaiter | null = null;
  next: FutexWaiter | null = null;
  queue: FutexWaiterQueue | null = null;
  /** The next waiter of a wake's batch (Linux's wake_q_node), owned by the table. */
  wakeNext: FutexWaiter | null = null;

  constructor(
    /** The futex it waits on; FUTEX_REQUEUE moves it to another. */
    public key: FutexKey,
    /** Only wakes whose bitset intersects this one wake it (FUTEX_WAIT_BITSET). */
    readonly bitset: number,
    private readonly onLeave: ((waiter: FutexWaiter, reason: FutexWakeReason) => void) | null,
  ) {}

  /** Leave the queue for `reason` (no effect once it has left). Answers whether it was still waiting. */
  leave(reason: FutexWakeReason): boolean {
    if (!this.detach(reason)) return false;
    this.notify();
    return true;
  }

  /**
   * Unlink and record `reason` without telling the owner yet: the table
   * wakes a batch first and notifies after (Linux's wake_q), so a callback
   * that queues again cannot be seen by the same wake.
   */
  detach(reason: FutexWakeReason): boolean {
    if (this.state !== 'waiting') return false;
    this.queue?.unlink(this);
    this.state = reason;
    return true;
  }

  /** Tell the owner the waiter left (after `detach`). */
  notify(): void {
    if (this.state !== 'waiting') this.onLeave?.(this, this.state);
  }

  /** The timeout expired before a wake (the wait answers ETIMEDOUT). */
  timeout(): boolean {
    return this.leave('timedout');
  }

  /** A signal or exit interrupted the wait (EINTR or restart), or the caller gave up. */
  cancel(): boolean {
    return this.leave('cancelled');
  }
}
