import { Errno, Signal } from '@tskern/abi';
import { kernelSigInfo, sanitizeBlocked, setAltStack } from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import { settleDefaultSignals } from './deliver';
import { taskFrameMemory } from './frame-memory';
import { sendSignal } from './send-signal';
import { actionsOf, altStackOf, blockedOf, setAltStackOf, setBlocked } from './signal-state';

/**
 * force_sig(SIGSEGV) for a bad frame: delivered whatever the mask or
 * disposition (an ignored or blocked SIGSEGV is reset to SIG_DFL), so the
 * process dies rather than return into garbage.
 */
function badFrame(task: Task): number {
  actionsOf(task).resetToDefault(Signal.SIGSEGV);
  setBlocked(task, blockedOf(task).remove(Signal.SIGSEGV));
  sendSignal(task, kernelSigInfo(Signal.SIGSEGV), true);
  return 0;
}

/**
 * rt_sigreturn(2) (arch/<arch>/kernel/signal.c sys_rt_sigreturn): read the
 * frame at the user stack pointer through the architecture's builder,
 * restore the registers, the mask (set_current_blocked: SIGKILL and SIGSTOP
 * never blocked) and the alternate stack (restore_altstack). It answers the
 * restored return register, so the dispatcher writing the result back does
 * not clobber it. An unreadable frame is a bad frame: SIGSEGV is forced.
 * ENOSYS for an architecture without a frame builder (a custom ArchAbi).
 */
export function sysRtSigreturn(task: Task): number {
  const abi = task.abi.signalFrame;
  if (abi === undefined) return -Errno.ENOSYS;
  const restored = abi.builder.restore(task.userContext, taskFrameMemory(task));
  if (typeof restored === 'number') return badFrame(task);
  setBlocked(task, sanitizeBlocked(restored.blocked));
  const sp = abi.stackPointer(task.userContext);
  // restore_altstack: do_sigaltstack's own refusals (EPERM on the stack, a bad mode) are squashed.
  const stack = setAltStack(altStackOf(task), sp, restored.altStack);
  if (typeof stack !== 'number') setAltStackOf(task, stack);
  settleDefaultSignals(task);
  return abi.returnValue(task.userContext);
}
