import { Errno } from '@tskern/abi';
import { checkInvariants, invariant } from '@tskern/assert';
import { FUTEX_BITSET_MATCH_ANY } from './futex-constants';
import type { FutexKey } from './futex-key';
import { FutexWaiter, type FutexWaiterQueue, type FutexWakeReason } from './futex-waiter';

/** How many empty queues the table keeps before it drops them all (see `FutexTable.emptyQueues`). */
const EMPTY_QUEUES_KEPT = 64;

/** The waiters of one key, in arrival order (a hash-bucket chain restricted to one key). */
class KeyQueue implements FutexWaiterQueue {
  head: FutexWaiter | null = null;
  tail: FutexWaiter | null = null;
  size = 0;

  constructor(
    readonly key: FutexKey,
    private readonly table: FutexTable,
  ) {}

  append(w: FutexWaiter): void {
    w.prev = this.tail;
    w.next = null;
    if (this.tail === null) this.head = w;
    else this.tail.next = w;
    this.tail = w;
    w.queue = this;
    w.key = this.key;
    if (this.size++ === 0) this.table.refilled();
  }

  unlink(w: FutexWaiter): void {
    invariant(w.queue === this, 'FutexTable: unlinking a waiter from another queue');
    if (w.prev === null) this.head = w.next;
    else w.prev.next = w.next;
    if (w.next === null) this.tail = w.prev;
    else w.next.prev = w.prev;
    w.prev = w.next = null;
    w.queue = null;
    if (--this.size === 0) this.table.emptied();
  }
}

/**
 * Every futex waiter of a kernel, by key (kernel/futex/core.c's hash
 * buckets, without the hash: a map from key object to offset to queue).
 * Waiters wake in arrival order (one priority class, FIFO, as plist keeps
 * equal-priority waiters). Pure state: checking the futex word and timing out
 * are the caller's (see `futexWait` and `FutexWaiter.timeout`).
 */
export class FutexTable {
  private readonly queues = new Map<object, Map<number, KeyQueue>>();
  /**
   * Queues left empty, still in `queues`. An empty queue stays until there
   * are EMPTY_QUEUES_KEPT of them, then they all go: a ping-pong on one word
   * empties and refills its queue at every wait, and setting and deleting
   * Map entries at that rate rehashes the Maps into new tables, which V8
   * links from each obsolete table to the next, so a run's tables stayed
   * reachable from the old generation until a full collection.
   */
  private emptyQueues = 0;

  private queueOf(key: FutexKey, create: boolean): KeyQueue | undefined {
    let byOffset = this.queues.get(key.object);
    if (byOffset === undefined) {
      if (!create) return undefined;
      this.queues.set(key.object, (byOffset = new Map()));
    }
    let q = byOffset.get(key.offset);
    if (q === undefined && create) {
      q = new KeyQueue(key, this);
      byOffset.set(key.offset, q);
      this.emptyQueues++; // until its first waiter, counted as an empty queue
    }
    return q;
  }

  /** A queue became empty (its KeyQueue calls this); past the bound, the empty queues leave the table. */
  emptied(): void {
    if (++this.emptyQueues <= EMPTY_QUEUES_KEPT) return;
    for (const [object, byOffset] of this.queues) {
      for (const [offset, q] of byOffset) if (q.size === 0) byOffset.delete(offset);
      if (byOffset.size === 0) this.queues.delete(object);
    }
    this.emptyQueues = 0;
  }

  /** An empty queue got a waiter again (its KeyQueue calls this). */
  refilled(): void {
    this.emptyQueues--;
  }

  /**
   * Queue a waiter on `key` (futex_queue). `onLeave` hears when it is woken,
   * timed out or cancelled. The caller has already checked the futex word
   * (futex_wait_setup); `futexWait` does both.
   */
  wait(
    key: FutexKey,
    bitset: number = FUTEX_BITSET_MATCH_ANY,
    onLeave: ((waiter: FutexWaiter, reason: FutexWakeReason) => void) | null = null,
  ): FutexWaiter {
    invariant(bitset !== 0, 'FutexTable.wait: empty bitset (the syscall answers EINVAL)');
    const w = new FutexWaiter(key, bitset >>> 0, onLeave);
    this.queueOf(key, true)!.append(w);
    checkInvariants(() => this.check());
    return w;
  }

  /** Number of waiters on `key`. */
  waiters(key: FutexKey): number {
    return this.queueOf(key, false)?.size ?? 0;
  }

  /** Number of keys with waiters (for tests and leak checks). */
  get keyCount(): number {
    let n = 0;
    for (const m of this.queues.values()) for (const q of m.values()) if (q.size > 0) n++;
    return n;
  }

  /**
   * Wake up to `n` waiters of `key` whose bitset meets `bitset` (futex_wake).
   * As Linux, the count is checked after each wake, so `n` of 0 or less still
   * wakes one. Answers the number woken.
   */
  wake(key: FutexKey, n: number, bitset: number = FUTEX_BITSET_MATCH_ANY): number {
    const q = this.queueOf(key, false);
    if (q === undefined) return 0;
    // The batch is linked through the waiters (wake_q), not an array per wake.
    let first: FutexWaiter | null = null;
    let last: FutexWaiter | null = null;
    let woken = 0;
    for (let w = q.head; w !== null; ) {
      const next = w.next;
      if ((w.bitset & bitset) !== 0) {
        w.detach('woken');
        if (last === null) first = w;
        else last.wakeNext = w;
        last = w;
        if (++woken >= n) break;
      }
      w = next;
    }
    if (woken === 0) return 0;
    checkInvariants(() => this.check());
    for (let w = first; w !== null; ) {
      const next: FutexWaiter | null = w.wakeNext;
      w.wakeNext = null;
      w.notify();
      w = next;
    }
    return woken;
  }

  /**
   * FUTEX_REQUEUE / FUTEX_CMP_REQUEUE after the value check (futex_requeue):
   * wake up to `nrWake` waiters of `from`, then move up to `nrRequeue` more to
   * `to` (appended after its waiters; left in place when the keys are equal).
   * EINVAL for negative counts. Answers woken + requeued.
   */
  requeue(from: FutexKey, to: FutexKey, nrWake: number, nrRequeue: number): number {
    if (nrWake < 0 || nrRequeue < 0) return -Errno.EINVAL;
    const q = this.queueOf(from, false);
    if (q === undefined) return 0;
    const same = q.key.object === to.object && q.key.offset === to.offset && q.key.shared === to.shared;
    let count = 0;
    const woken: FutexWaiter[] = [];
    for (let w = q.head; w !== null; ) {
      if (count - nrWake >= nrRequeue) break;
      const next = w.next;
      if (++count <= nrWake) {
        w.detach('woken');
        woken.push(w);
      } else if (!same) {
        q.unlink(w);
        this.queueOf(to, true)!.append(w);
      }
      w = next;
    }
    checkInvariants(() => this.check());
    for (const w of woken) w.notify();
    return count;
  }

  /** Every queue is non-empty, linked both ways, and holds waiters of its key only. */
  check(): void {
    let empty = 0;
    for (const [object, byOffset] of this.queues) {
      invariant(byOffset.size > 0, 'FutexTable: empty offset map kept');
      for (const [offset, q] of byOffset) {
        invariant(q.key.object === object && q.key.offset === offset, 'FutexTable: queue under the wrong key');
        let n = 0;
        let prev: FutexWaiter | null = null;
        for (let w = q.head; w !== null; w = w.next) {
          invariant(w.prev === prev && w.queue === q && w.state === 'waiting', 'FutexTable: broken queue links');
          invariant(w.key.object === object && w.key.offset === offset, 'FutexTable: waiter key differs from its queue');
          prev = w;
          n++;
        }
        invariant(n === q.size && q.tail === prev, 'FutexTable: queue size or tail wrong');
        if (n === 0) empty++;
      }
    }
    invariant(empty === this.emptyQueues && empty <= EMPTY_QUEUES_KEPT, 'FutexTable: empty queues miscounted');
  }
}
