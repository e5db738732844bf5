import { invariant } from '@tskern/assert';
import { PendingSignals, SignalActions, SignalSet, SigpendingCounter, type SigAltStack } from '@tskern/signal';
import type { Task, ThreadGroup } from '@tskern/tasks';

/**
 * The signal state of tasks and thread groups as handlers reach it. The task
 * model keeps the fields; `@tskern/signal` gives them their types.
 */

/** The blocked mask of a task. */
export function blockedOf(task: Task): SignalSet {
  return task.sigmask;
}

export function setBlocked(task: Task, set: SignalSet): void {
  task.sigmask = set;
}

/** Signals pending for this thread only (tkill, tgkill, faults). */
export function threadPending(task: Task): PendingSignals {
  return task.pending;
}

/** Signals pending for the process (kill). */
export function groupPending(group: ThreadGroup): PendingSignals {
  return group.pending;
}

/** The task's action table (shared by CLONE_SIGHAND). */
export function actionsOf(task: Task): SignalActions {
  invariant(task.sighand instanceof SignalActions, 'tasks must carry @tskern/signal action tables');
  return task.sighand;
}

export function altStackOf(task: Task): SigAltStack {
  return task.altStack;
}

export function setAltStackOf(task: Task, stack: SigAltStack): void {
  task.altStack = stack;
}

/**
 * RLIMIT_SIGPENDING: Linux's default is max_threads / 2 (machine-dependent);
 * tskern uses a fixed 8192 per user.
 */
export const DEFAULT_SIGPENDING_LIMIT = 8192;
const accounts = new WeakMap<object, Map<number, SigpendingCounter>>();

/** The queued-signal account of user `uid` in the kernel of `task` (Linux charges the receiver's real uid). */
export function sigpendingAccount(task: Task, uid: number): SigpendingCounter {
  let byUid = accounts.get(task.kernel.tasks);
  if (byUid === undefined) accounts.set(task.kernel.tasks, (byUid = new Map()));
  let a = byUid.get(uid);
  if (a === undefined) byUid.set(uid, (a = new SigpendingCounter(DEFAULT_SIGPENDING_LIMIT)));
  return a;
}

/**
 * Whether any signal is pending for the task, blocked or not (its own or
 * its group's): false means a return to user mode takes none, with no
 * set built (the driver's test before a call that leaves the context
 * unsaved; Linux's exit_to_user_mode tests TIF_SIGPENDING first likewise).
 */
export function signalsPending(task: Task): boolean {
  return !threadPending(task).signals.isEmpty() || !groupPending(task.group).signals.isEmpty();
}

/** The signals a task could take now: its own and its group's, minus the blocked. */
export function deliverable(task: Task): SignalSet {
  return threadPending(task).signals.union(groupPending(task.group).signals).minus(blockedOf(task));
}
