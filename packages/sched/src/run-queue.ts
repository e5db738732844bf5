/** One entity's place in the run queue, kept while the entity is known (queued or not). */
interface RunNode<Id> {
  readonly id: Id;
  queued: boolean;
  prev: RunNode<Id> | null;
  next: RunNode<Id> | null;
}

/**
 * The runnable entities in order (one CPU's `struct rq` under a round-robin
 * policy): the head runs next, a task that yields or wakes goes to the tail.
 *
 * A doubly linked list of nodes that stay in their Map while the entity is
 * known (`forget` drops one), as a task_struct carries its own run-list
 * links: queueing and dequeueing on every switch touch no Map. A Map whose
 * entries were set and deleted at every switch rehashed into a new table
 * every few switches, and V8 links an obsolete table to its successor, so
 * the tables of a whole run stayed reachable from the old generation until
 * a full collection (the young collections of a futex ping-pong promoted
 * about 5 MB each).
 */
export class RunQueue<Id> {
  private readonly nodes = new Map<Id, RunNode<Id>>();
  private head: RunNode<Id> | null = null;
  private tail: RunNode<Id> | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(id: Id): boolean {
    return this.nodes.get(id)?.queued === true;
  }

  /** Append at the tail; false when already queued (a task is queued once). */
  push(id: Id): boolean {
    let node = this.nodes.get(id);
    if (node === undefined) {
      node = { id, queued: false, prev: null, next: null };
      this.nodes.set(id, node);
    }
    if (node.queued) return false;
    node.queued = true;
    node.prev = this.tail;
    node.next = null;
    if (this.tail === null) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.count++;
    return true;
  }

  /** Take the head, or undefined when empty. */
  shift(): Id | undefined {
    const node = this.head;
    if (node === null) return undefined;
    this.unlink(node);
    return node.id;
  }

  /** Take `id` off the queue (it blocks or leaves); false when it was not queued. */
  remove(id: Id): boolean {
    const node = this.nodes.get(id);
    if (node === undefined || !node.queued) return false;
    this.unlink(node);
    return true;
  }

  /** `id` is gone for good (it exited): off the queue, and its node dropped. */
  forget(id: Id): boolean {
    const queued = this.remove(id);
    this.nodes.delete(id);
    return queued;
  }

  /** The queued ids, head first. */
  *ids(): IterableIterator<Id> {
    for (let n = this.head; n !== null; n = n.next) yield n.id;
  }

  private unlink(node: RunNode<Id>): void {
    if (node.prev === null) this.head = node.next;
    else node.prev.next = node.next;
    if (node.next === null) this.tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = node.next = null;
    node.queued = false;
    this.count--;
  }
}
