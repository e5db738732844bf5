import { Signal } from '@tskern/abi';
import { kernelSigInfo } from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import { takeDeliverableSignal } from './deliver';
import { taskFrameMemory } from './frame-memory';
import { sendSignal } from './send-signal';
import { actionsOf, altStackOf, blockedOf, setBlocked } from './signal-state';

/**
 * force_sigsegv for a frame that could not be built: the signal's mask is
 * not installed (signal_setup_done fails before signal_delivered), and a
 * SIGSEGV that could not be handled has its handler reset so it kills.
 */
function frameFailed(task: Task, sig: number, oldBlocked: ReturnType<typeof blockedOf>): void {
  setBlocked(task, oldBlocked);
  if (sig === Signal.SIGSEGV) actionsOf(task).resetToDefault(Signal.SIGSEGV);
  setBlocked(task, blockedOf(task).remove(Signal.SIGSEGV));
  sendSignal(task, kernelSigInfo(Signal.SIGSEGV), true);
}

/**
 * The return to user mode of `task` (arch_do_signal_or_restart → get_signal
 * → handle_signal): take the next deliverable signal and, when it has a
 * handler, push the architecture's frame so the task's `userContext` now
 * runs the handler. Answers the signal whose handler will run, or 0 (none,
 * the frame failed, or the architecture has no frame builder yet: then
 * nothing is taken and a caught signal stays pending, as before).
 */
export function handleSignal(task: Task): number {
  const abi = task.abi.signalFrame;
  if (abi === undefined) return 0;
  const d = takeDeliverableSignal(task);
  if (d === null) {
    // restore_saved_sigmask: no handler ran after rt_sigsuspend.
    if (task.savedSigmask !== null) {
      setBlocked(task, task.savedSigmask);
      task.savedSigmask = null;
    }
    return 0;
  }
  const failed = abi.builder.push(task.userContext, taskFrameMemory(task), {
    sig: d.sig, info: d.info, action: d.action, oldBlocked: d.oldBlocked, altStack: altStackOf(task),
  });
  if (failed !== 0) {
    frameFailed(task, d.sig, d.oldBlocked);
    return 0;
  }
  return d.sig;
}
