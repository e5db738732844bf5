import { invariant } from '@tskern/assert';
import type { KernelClock } from './clock';
import { RunQueue } from './run-queue';
import type { BlockedEntity, SchedDecision, WakeCause } from './sched-decision';
import { TimerQueue, type TimerHandle } from './timer-queue';
import { NEVER_NS } from './timespec';
import type { WaitSource } from './wait-source';

/** What a blocking entity waits for. */
export interface BlockOptions {
  /** The wait queues that may wake it (any one suffices). */
  readonly on?: readonly WaitSource[];
  /** Absolute monotonic deadline in ns: it wakes with cause 'timeout' then; NEVER_NS or more is none. */
  readonly deadline?: number | null;
  /** For the deadlock report: what the call waits for (read only when a report is made, so it may be a getter). */
  readonly reason: string;
}

function fire(callback: () => void): void {
  callback();
}

/** The state of an entity the scheduler knows. */
export type EntityState = 'runnable' | 'running' | 'blocked';

interface EntityRecord {
  state: EntityState;
  cause: WakeCause;
  /** While blocked: the options it blocked with, whose `reason` the deadlock report reads. */
  blockedBy: BlockOptions | null;
  deadline: number | null;
  unregister: (() => void)[];
  timer: TimerHandle | null;
  /** What its wait sources call to wake it: made once per entity, not per wait. */
  onEvent: () => boolean;
}

/**
 * The scheduler, generic over an entity id (a tid, a test's name). It knows
 * which entities are runnable (a FIFO run queue: round robin, as SCHED_OTHER
 * with equal weights degenerates to), which are blocked and on what, and the
 * timers of the clock. It never runs anything: a runtime asks `next()` and
 * runs what it is told.
 *
 * Life of an entity: `makeRunnable` (new, or yielding) -> handed out by
 * `next()` ('running') -> `block` (waits on queues and/or a deadline) ->
 * woken by a queue, the deadline or `wake` -> runnable again -> ... ->
 * `remove` (exit).
 *
 * Wake-ups are never lost: blocking registers on the queues synchronously,
 * and a wake takes the entity off every other queue and cancels its timer
 * before it is queued to run, so the wake function of a second source
 * answers false and a wake-one passes to the next waiter.
 */
export class Scheduler<Id> {
  private readonly entities = new Map<Id, EntityRecord>();
  private readonly runQueue = new RunQueue<Id>();
  private readonly timers = new TimerQueue<() => void>();

  constructor(readonly clock: KernelClock) {}

  /** Monotonic now, ns. */
  now(): number {
    return this.clock.monotonicNs();
  }

  state(id: Id): EntityState | undefined {
    return this.entities.get(id)?.state;
  }

  /** Entities known (runnable, running or blocked). */
  get size(): number {
    return this.entities.size;
  }

  /**
   * Queue `id` to run: a new entity, or one that yields (sched_yield puts
   * it at the tail). A blocked entity is woken ('interrupt').
   */
  makeRunnable(id: Id): void {
    const e = this.entities.get(id);
    if (e === undefined) {
      const record: EntityRecord = {
        state: 'runnable', cause: 'runnable', blockedBy: null, deadline: null, unregister: [], timer: null, onEvent: () => this.wakeRecord(id, record, 'event'),
      };
      this.entities.set(id, record);
      this.runQueue.push(id);
      return;
    }
    if (e.state === 'blocked') {
      this.wakeRecord(id, e, 'interrupt');
      return;
    }
    if (e.state === 'running') {
      e.state = 'runnable';
      e.cause = 'runnable';
      this.runQueue.push(id);
    }
  }

  /**
   * Block `id` (running or runnable) until one of `on` wakes it, its
   * deadline passes or `wake` is called. A deadline already past wakes it at
   * the next `next()`.
   */
  block(id: Id, options: BlockOptions): void {
    const e = this.entities.get(id);
    invariant(e !== undefined, () => `block of unknown entity ${String(id)}`);
    invariant(e.state !== 'blocked', () => `entity ${String(id)} blocks twice`);
    this.runQueue.remove(id);
    e.state = 'blocked';
    e.blockedBy = options;
    const deadline = options.deadline ?? null;
    e.deadline = deadline !== null && deadline < NEVER_NS ? deadline : null;
    const on = options.on;
    if (on !== undefined) for (let i = 0; i < on.length; i++) e.unregister.push(on[i]!.register(e.onEvent));
    if (e.deadline !== null) e.timer = this.timers.add(e.deadline, () => this.wakeRecord(id, e, 'timeout'));
  }

  /** Wake a blocked entity from outside its queues (a signal); false when it was not blocked. */
  wake(id: Id, cause: WakeCause = 'interrupt'): boolean {
    const e = this.entities.get(id);
    return e !== undefined && this.wakeRecord(id, e, cause);
  }

  /** Forget `id` (it exited): off the run queue, its waits and its timer. */
  remove(id: Id): void {
    const e = this.entities.get(id);
    if (e === undefined) return;
    this.unhook(e);
    this.runQueue.forget(id);
    this.entities.delete(id);
  }

  /** Every entity known (runnable, running or blocked), in the order first seen. */
  ids(): IterableIterator<Id> {
    return this.entities.keys();
  }

  /** Why `id` last became runnable. */
  wakeCause(id: Id): WakeCause | undefined {
    return this.entities.get(id)?.cause;
  }

  /** A timer not tied to an entity (an interval timer, alarm): `fire` runs when `deadline` passes. */
  addTimer(deadline: number, fire: () => void): TimerHandle {
    return this.timers.add(deadline, fire);
  }

  cancelTimer(handle: TimerHandle): boolean {
    return this.timers.cancel(handle);
  }

  /** Every blocked entity and what it waits on, in the order they were first seen. */
  blocked(): BlockedEntity<Id>[] {
    const out: BlockedEntity<Id>[] = [];
    for (const [id, e] of this.entities) {
      if (e.state === 'blocked') out.push({ id, reason: e.blockedBy?.reason ?? '', deadline: e.deadline });
    }
    return out;
  }

  /**
   * What the runtime does next. Due timers fire first. Then the head of the
   * run queue runs. With nothing runnable and a timer pending, a virtual
   * clock jumps to it (so sleeps cost no host time) and the host clock
   * answers 'idle'. With nothing runnable, no timer and every entity
   * blocked: 'deadlock', with the report. No entity at all: 'done'.
   */
  next(): SchedDecision<Id> {
    for (;;) {
      // The clock is read only when a timer is pending (a read costs more than a switch's bookkeeping).
      if (this.timers.size > 0) this.timers.fireDue(this.now(), fire);
      const id = this.runQueue.shift();
      if (id !== undefined) {
        const e = this.entities.get(id)!;
        e.state = 'running';
        return { kind: 'run', id, cause: e.cause };
      }
      const until = this.timers.nextDeadline();
      if (until !== undefined) {
        if (this.clock.advanceTo === undefined) return { kind: 'idle', until };
        this.clock.advanceTo(until);
        continue;
      }
      const blocked = this.blocked();
      if (blocked.length < this.entities.size) return { kind: 'idle', until: null };
      if (blocked.length > 0) return { kind: 'deadlock', report: { at: this.now(), blocked } };
      return { kind: 'done' };
    }
  }

  private wakeRecord(id: Id, e: EntityRecord, cause: WakeCause): boolean {
    if (e.state !== 'blocked' || this.entities.get(id) !== e) return false;
    this.unhook(e);
    e.state = 'runnable';
    e.cause = cause;
    e.blockedBy = null;
    e.deadline = null;
    this.runQueue.push(id);
    return true;
  }

  private unhook(e: EntityRecord): void {
    // The entity's one array is emptied, not replaced: an array per wait,
    // live for the whole sleep, is what V8's allocation-site pretenuring
    // moved to the old generation, where each dead one kept its wait's
    // objects alive through young collections (a ping-pong promoted
    // megabytes per collection).
    // Popped, not truncated: setting an array's length is a runtime call.
    const unregister = e.unregister;
    for (let u = unregister.pop(); u !== undefined; u = unregister.pop()) u();
    if (e.timer !== null) {
      this.timers.cancel(e.timer);
      e.timer = null;
    }
  }
}
