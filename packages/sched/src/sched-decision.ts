/** Why an entity is running again. */
export type WakeCause =
  /** First run after `makeRunnable` of an entity that was not blocked (new, or yielded). */
  | 'runnable'
  /** A wait queue it waited on woke it. */
  | 'event'
  /** Its deadline passed. */
  | 'timeout'
  /** `wake` from outside the queues (a signal). */
  | 'interrupt';

/** A blocked entity in a report: what it waits on, and until when. */
export interface BlockedEntity<Id> {
  readonly id: Id;
  /** What the call waits for, as the blocker said (`wait4(-1)`, `read pipe:[12]`). */
  readonly reason: string;
  /** Monotonic deadline in ns, or null for none. */
  readonly deadline: number | null;
}

/** Every entity is blocked, none has a deadline and no timer is pending: nothing can ever run. */
export interface DeadlockReport<Id> {
  /** Monotonic time of the report, ns. */
  readonly at: number;
  readonly blocked: readonly BlockedEntity<Id>[];
}

/** What `Scheduler.next()` tells its runtime. */
export type SchedDecision<Id> =
  /** Run `id` (resume its blocked call by retrying it, or start it). */
  | { readonly kind: 'run'; readonly id: Id; readonly cause: WakeCause }
  /**
   * Nothing can run now. `until` is the next timer (host clock: sleep or
   * poll until then and ask again), or null when only entities handed out
   * and not yet returned (running elsewhere) can change that.
   */
  | { readonly kind: 'idle'; readonly until: number | null }
  /** Every entity is blocked for ever. */
  | { readonly kind: 'deadlock'; readonly report: DeadlockReport<Id> }
  /** No entity is left. */
  | { readonly kind: 'done' };

/** A deadlock report as text: one line per blocked entity. */
export function formatDeadlock<Id>(report: DeadlockReport<Id>, name: (id: Id) => string = String): string {
  const lines = report.blocked.map((b) => `  ${name(b.id)}: ${b.reason}`);
  return [`deadlock: every task is blocked and no timer is pending`, ...lines].join('\n');
}
