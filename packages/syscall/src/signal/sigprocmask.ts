import { Errno } from '@tskern/abi';
import {
  SIGSET_SIZE, applySigprocmask, checkSigsetSize, decodeSignalSet, encodeSignalSet,
} from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import { settleDefaultSignals } from './deliver';
import { blockedOf, groupPending, setBlocked, threadPending } from './signal-state';

const buf = new Uint8Array(SIGSET_SIZE);

/**
 * rt_sigprocmask(2): EINVAL unless sigsetsize is 8; the new set is read
 * (EFAULT) and applied (EINVAL for a bad `how`; SIGKILL and SIGSTOP are
 * never blocked); then the old mask is written (EFAULT). A pending signal
 * it unblocks whose default kills ends the process before the call returns.
 */
export function sysRtSigprocmask(task: Task, how: number, setAddr: number, osetAddr: number, sigsetsize: number): number {
  const size = checkSigsetSize(sigsetsize);
  if (size < 0) return size;
  const old = blockedOf(task);
  if (setAddr !== 0) {
    if (task.mem.copyIn(setAddr, buf, 0, SIGSET_SIZE) < 0) return -Errno.EFAULT;
    const next = applySigprocmask(old, how, decodeSignalSet(buf));
    if (typeof next === 'number') return next;
    setBlocked(task, next);
  }
  if (osetAddr !== 0) {
    encodeSignalSet(old, buf);
    if (task.mem.copyOut(osetAddr, buf, 0, SIGSET_SIZE) < 0) return -Errno.EFAULT;
  }
  // Unblocked signals are taken on the way back to user mode.
  if (setAddr !== 0) settleDefaultSignals(task);
  return 0;
}

/**
 * rt_sigpending(2) (do_sigpending): the blocked signals pending for the
 * thread or its process. Any sigsetsize up to 8 is accepted and that many
 * bytes are written; above 8 is EINVAL.
 */
export function sysRtSigpending(task: Task, setAddr: number, sigsetsize: number): number {
  if (sigsetsize > SIGSET_SIZE) return -Errno.EINVAL;
  const pending = threadPending(task).signals.union(groupPending(task.group).signals).intersect(blockedOf(task));
  encodeSignalSet(pending, buf);
  if (task.mem.copyOut(setAddr, buf, 0, sigsetsize) < 0) return -Errno.EFAULT;
  return 0;
}
