import { Errno } from '@tskern/abi';
import { SIG_DFL, SIG_IGN, nextSignal, restartAfterSignal, type SigAction } from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import type { Block } from '../block';
import { actionsOf, blockedOf, groupPending, threadPending } from './signal-state';

/** The action of the signal `task` will take next if it runs a handler; null when none would run. */
function nextHandler(task: Task): SigAction | null {
  const blocked = blockedOf(task);
  let sig = nextSignal(threadPending(task).signals, blocked);
  if (sig === 0) sig = nextSignal(groupPending(task.group).signals, blocked);
  if (sig === 0) return null;
  const action = actionsOf(task).get(sig);
  return action.handler === SIG_DFL || action.handler === SIG_IGN ? null : action;
}

/**
 * A signal interrupted `task`'s blocked call (what a scheduler does on
 * `SignalHost.interrupt`): the Block is cancelled, and the call either
 * restarts ('restart': the scheduler issues it again once the handler ran)
 * or answers -EINTR, as the architecture's handle_signal decides from the
 * Block's restart kind and the handler's SA_RESTART. When no handler will
 * run (the signal was ignored, or kills the process), the call restarts.
 * A call that already did part of its work (`Block.partial`) answers that;
 * one whose `Block.interrupted` says it cannot restart answers -EINTR.
 */
export function interruptBlockedCall(task: Task, block: Block): 'restart' | number {
  block.cancel();
  const done = block.partial?.() ?? 0;
  if (done > 0) return done;
  if (block.interrupted?.() === false) return -Errno.EINTR;
  return restartAfterSignal(block.restart, nextHandler(task)) === 'restart' ? 'restart' : -Errno.EINTR;
}

/** Whether the return to user mode of `task` will run a handler (a caught signal is deliverable). */
export function willRunHandler(task: Task): boolean {
  return nextHandler(task) !== null;
}
