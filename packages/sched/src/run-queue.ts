/**
 * The runnable entities in order (one CPU's `struct rq` under a round-robin
 * policy): the head runs next, a task that yields or wakes goes to the tail.
 * A Map keeps insertion order and removes in O(1).
 */
export class RunQueue<Id> {
  private readonly queue = new Map<Id, true>();

  get size(): number {
    return this.queue.size;
  }

  has(id: Id): boolean {
    return this.queue.has(id);
  }

  /** Append at the tail; false when already queued (a task is queued once). */
  push(id: Id): boolean {
    if (this.queue.has(id)) return false;
    this.queue.set(id, true);
    return true;
  }

  /** Take the head, or undefined when empty. */
  shift(): Id | undefined {
    for (const id of this.queue.keys()) {
      this.queue.delete(id);
      return id;
    }
    return undefined;
  }

  remove(id: Id): boolean {
    return this.queue.delete(id);
  }

  ids(): IterableIterator<Id> {
    return this.queue.keys();
  }
}
