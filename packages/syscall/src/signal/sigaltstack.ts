import { Errno } from '@tskern/abi';
import {
  STACK_T_SIZE, decodeStackT, encodeStackT, reportAltStack, setAltStack,
} from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import { signalHostOf } from './signal-host';
import { altStackOf, setAltStackOf } from './signal-state';

const buf = new Uint8Array(STACK_T_SIZE);

/**
 * sigaltstack(2) (do_sigaltstack): the new stack is read first (EFAULT),
 * the old one reported as it was, then the change applied (EPERM while on
 * the stack, EINVAL for a bad mode, ENOMEM under MINSIGSTKSZ). The stack
 * pointer comes from the runtime through the signal host (0 when unknown:
 * never on the alternate stack).
 */
export function sysSigaltstack(task: Task, ssAddr: number, ossAddr: number): number {
  let next = null;
  if (ssAddr !== 0) {
    if (task.mem.copyIn(ssAddr, buf, 0, STACK_T_SIZE) < 0) return -Errno.EFAULT;
    next = decodeStackT(buf);
  }
  const sp = signalHostOf(task.kernel.tasks).stackPointer(task);
  const current = altStackOf(task);
  const old = reportAltStack(current, sp);
  if (next !== null) {
    const applied = setAltStack(current, sp, next);
    if (typeof applied === 'number') return applied;
    setAltStackOf(task, applied);
  }
  if (ossAddr !== 0) {
    encodeStackT(old, buf);
    if (task.mem.copyOut(ossAddr, buf, 0, STACK_T_SIZE) < 0) return -Errno.EFAULT;
  }
  return 0;
}
