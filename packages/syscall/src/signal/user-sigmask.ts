import { Errno } from '@tskern/abi';
import { checkSigsetSize, decodeSignalSet, SIGSET_SIZE, sanitizeBlocked } from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import { blockedOf, setBlocked } from './signal-state';

/**
 * set_user_sigmask (kernel/signal.c), for the calls that wait under a
 * temporary mask (ppoll, pselect6): `sigsetsize` must be 8 (EINVAL), the
 * mask at `addr` is read (EFAULT) and installed (SIGKILL and SIGSTOP never
 * blocked), and the old one becomes the saved mask. Returns the function
 * that puts the old mask back (restore_saved_sigmask_unless: the caller
 * skips it after EINTR, when the handler's frame saves the old mask), or
 * -errno with nothing changed.
 */
export function setUserSigmask(task: Task, addr: number, sigsetsize: number): (() => void) | number {
  const bad = checkSigsetSize(sigsetsize);
  if (bad !== 0) return bad;
  const buf = new Uint8Array(SIGSET_SIZE);
  if (task.mem.copyIn(addr, buf, 0, SIGSET_SIZE) < 0) return -Errno.EFAULT;
  const old = blockedOf(task);
  setBlocked(task, sanitizeBlocked(decodeSignalSet(buf)));
  task.savedSigmask = old;
  return () => {
    setBlocked(task, old);
    task.savedSigmask = null;
  };
}
