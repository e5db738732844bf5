import { checkInvariants, invariant } from '@tskern/assert';

/** A pending timer: the handle `add` returns and `cancel` takes. */
export interface TimerHandle {
  /** Absolute monotonic deadline, ns. */
  readonly deadline: number;
  /** Whether the timer is still queued (neither fired nor cancelled). */
  readonly pending: boolean;
}

class TimerEntry<T> implements TimerHandle {
  /** Position in the heap; -1 once fired or cancelled. */
  index = -1;
  constructor(
    readonly deadline: number,
    /** Insertion order, so equal deadlines fire first-in first-out. */
    readonly seq: number,
    readonly payload: T,
    readonly owner: TimerQueue<T>,
  ) {}

  get pending(): boolean {
    return this.index >= 0;
  }
}

/**
 * Timers ordered by deadline: a binary min-heap whose entries know their
 * position, so cancelling is O(log n) (the job of Linux's hrtimer rbtree).
 * Equal deadlines fire in the order they were added. Hand-written because
 * the heap libraries on npm either lack removal by handle or make it O(n).
 */
export class TimerQueue<T> {
  private readonly heap: TimerEntry<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** The earliest deadline, or undefined when no timer is pending. */
  nextDeadline(): number | undefined {
    return this.heap[0]?.deadline;
  }

  add(deadline: number, payload: T): TimerHandle {
    invariant(!Number.isNaN(deadline), 'a timer deadline is a number');
    const e = new TimerEntry(deadline, this.seq++, payload, this);
    e.index = this.heap.length;
    this.heap.push(e);
    this.up(e.index);
    this.check();
    return e;
  }

  /** Remove a pending timer; false when it already fired or was cancelled. */
  cancel(handle: TimerHandle): boolean {
    const e = handle as TimerEntry<T>;
    invariant(e.owner === this, 'cancel of a timer of another queue');
    if (e.index < 0) return false;
    this.removeAt(e.index);
    this.check();
    return true;
  }

  /**
   * Remove and fire every timer whose deadline is at or before `now`, in
   * deadline order (ties in insertion order). A timer that `fire` adds and
   * that is already due fires in the same call. Returns the count fired.
   */
  fireDue(now: number, fire: (payload: T, handle: TimerHandle) => void): number {
    let n = 0;
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || top.deadline > now) return n;
      this.removeAt(0);
      n++;
      fire(top.payload, top);
    }
  }

  private less(a: TimerEntry<T>, b: TimerEntry<T>): boolean {
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
  }

  private removeAt(i: number): void {
    const h = this.heap;
    const e = h[i]!;
    const last = h.pop()!;
    e.index = -1;
    if (last === e) return;
    h[i] = last;
    last.index = i;
    this.up(i);
    this.down(last.index);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(i: number, j: number): void {
    const h = this.heap;
    const a = h[i]!;
    const b = h[j]!;
    h[i] = b;
    h[j] = a;
    a.index = j;
    b.index = i;
  }

  private check(): void {
    checkInvariants(() => {
      this.heap.forEach((e, i) => {
        invariant(e.index === i, 'timer heap index out of date');
        if (i > 0) invariant(!this.less(e, this.heap[(i - 1) >> 1]!), 'timer heap order broken');
      });
    });
  }
}
