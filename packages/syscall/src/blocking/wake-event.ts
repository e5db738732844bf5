import type { WaitSource } from '@tskern/sched';

/**
 * A wait source for a wait that is answered by a callback rather than a
 * wait queue (a futex waiter leaving its hash bucket, a lock request being
 * granted inside another task's unlock): `fire()` wakes the sleeping task
 * through the runtime, so the runtime need not poll the Block. `ready` says
 * whether the wait is already over; registering then wakes at once, so a
 * callback that came before the task was parked is not lost.
 */
export class WakeEvent implements WaitSource {
  private waker: (() => boolean) | null = null;

  constructor(
    readonly name: string,
    private readonly ready: () => boolean,
  ) {}

  register(wake: () => boolean): () => void {
    if (this.ready()) {
      wake();
      return () => {};
    }
    this.waker = wake;
    return () => {
      if (this.waker === wake) this.waker = null;
    };
  }

  /** The wait is over: wake the task parked on it, if any. */
  fire(): void {
    const wake = this.waker;
    this.waker = null;
    wake?.();
  }
}
