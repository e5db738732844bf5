import type { Task } from '@tskern/tasks';

/** A timer the kernel's scheduler runs (the shape of `@tskern/sched`'s Scheduler.addTimer/cancelTimer). */
export interface SignalTimers {
  addTimer(deadlineNs: number, fire: () => void): unknown;
  cancelTimer(handle: unknown): boolean;
}

/**
 * What signals need from the rest of the kernel, set by the composition
 * root (`signalHostOf(tasks)`): all optional, so the syscall layer runs alone.
 */
export interface SignalHost {
  /** Interval timers (alarm, setitimer) fire through these; without them they are kept but never fire. */
  timers: SignalTimers | null;
  /**
   * A signal is now deliverable to `task` (signal_wake_up): a scheduler
   * interrupts its blocked call (the Block's `restart` says how it ends).
   */
  interrupt: ((task: Task) => void) | null;
  /** The user stack pointer of `task` (sigaltstack's "on the stack" check); 0 when unknown. */
  stackPointer: (task: Task) => number;
}

const hosts = new WeakMap<object, SignalHost>();

/** The signal host of a kernel, by its task table (created with nothing attached). */
export function signalHostOf(tasks: object): SignalHost {
  let h = hosts.get(tasks);
  if (h === undefined) hosts.set(tasks, (h = { timers: null, interrupt: null, stackPointer: () => 0 }));
  return h;
}
