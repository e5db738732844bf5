import { invariant } from '@tskern/assert';

/**
 * Called to wake a waiter. Answers whether it woke something: false when the
 * waiter was already woken by another source (try_to_wake_up on a running
 * task), so a wake-one goes on to the next waiter and no wake-up is lost.
 */
export type WakeFunction<D> = (data: D) => boolean;

/** A waiter on a queue: the handle `add` returns and `remove` takes. */
export interface WaitHandle<D> {
  /** What the waiter waits for (a futex key and bitset, the events of a poll). */
  readonly data: D;
  /** Whether the waiter is still queued. */
  readonly queued: boolean;
}

class WaitEntry<D> implements WaitHandle<D> {
  queued = true;
  constructor(
    readonly data: D,
    readonly wake: WakeFunction<D>,
    readonly owner: WaitQueue<D>,
  ) {}
}

/**
 * A wait queue (Linux's `wait_queue_head`): waiters in arrival order, each
 * with data a waker may filter on. Waking removes the waiter first
 * (autoremove_wake_function), then calls its wake function; wake-one skips
 * waiters that were already awake, as Linux's exclusive waits count only
 * successful wake-ups (__wake_up_common). Every waiter here is exclusive and
 * FIFO: the one that waited longest goes first.
 */
export class WaitQueue<D = undefined> {
  /** A Set keeps insertion order and removes in O(1). */
  private readonly entries = new Set<WaitEntry<D>>();

  constructor(
    /** For reports (`pipe:[12] readers`). */
    readonly name = 'wait queue',
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get isEmpty(): boolean {
    return this.entries.size === 0;
  }

  /** Queue a waiter at the tail. */
  add(data: D, wake: WakeFunction<D>): WaitHandle<D> {
    const e = new WaitEntry(data, wake, this);
    this.entries.add(e);
    return e;
  }

  /** Take a waiter off the queue (finish_wait); false when it was no longer queued. */
  remove(handle: WaitHandle<D>): boolean {
    const e = handle as WaitEntry<D>;
    invariant(e.owner === this, 'remove of a waiter of another queue');
    if (!e.queued) return false;
    e.queued = false;
    this.entries.delete(e);
    return true;
  }

  /** The queued waiters' data, in order. */
  *waiters(): IterableIterator<D> {
    for (const e of this.entries) yield e.data;
  }

  /** Wake the first waiter that wakes; 1 or 0. */
  wakeOne(): number {
    return this.wakeWhere(() => true, 1);
  }

  /** Wake up to `n` waiters in order; the count woken. */
  wake(n: number): number {
    return this.wakeWhere(() => true, n);
  }

  /** Wake every waiter; the count woken. */
  wakeAll(): number {
    return this.wakeWhere(() => true, Infinity);
  }

  /**
   * Wake, in order, up to `max` waiters whose data satisfies `match` (a futex
   * wake matching a bitset, a poll wake matching events); the count woken.
   * Waiters queued by a wake function during this call are not woken by it.
   */
  wakeWhere(match: (data: D) => boolean, max = Infinity): number {
    let woken = 0;
    if (max <= 0) return 0;
    for (const e of [...this.entries]) {
      if (!e.queued || !match(e.data)) continue;
      this.remove(e);
      if (e.wake(e.data)) woken++;
      if (woken >= max) break;
    }
    return woken;
  }
}
