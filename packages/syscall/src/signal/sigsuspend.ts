import { Errno } from '@tskern/abi';
import { SIGSET_SIZE, checkSigsetSize, decodeSignalSet, sanitizeBlocked } from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import type { SyscallReturn } from '../block';
import { blockedOf, deliverable, setBlocked } from './signal-state';

const buf = new Uint8Array(SIGSET_SIZE);

/**
 * rt_sigsuspend(2) (kernel/signal.c sigsuspend): install the temporary
 * mask (SIGKILL/SIGSTOP never blocked), keep the old one as the saved mask,
 * sleep until a signal is pending and answer -ERESTARTNOHAND (-EINTR once a
 * handler runs). The handler frame saves the old mask, so rt_sigreturn
 * restores it; without a handler the return to user mode restores it.
 */
export function sysRtSigsuspend(task: Task, maskAddr: number, sigsetsize: number): SyscallReturn {
  const bad = checkSigsetSize(sigsetsize);
  if (bad !== 0) return bad;
  if (task.mem.copyIn(maskAddr, buf, 0, SIGSET_SIZE) < 0) return -Errno.EFAULT;
  task.savedSigmask = blockedOf(task);
  setBlocked(task, sanitizeBlocked(decodeSignalSet(buf)));
  if (!deliverable(task).isEmpty()) return -Errno.EINTR;
  const block = {
    reason: 'rt_sigsuspend',
    restart: 'nohand' as const,
    retry: (): SyscallReturn => (deliverable(task).isEmpty() ? block : -Errno.EINTR),
    cancel: () => {},
  };
  return block;
}
