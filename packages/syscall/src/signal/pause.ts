import { Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import type { SyscallReturn } from '../block';
import { deliverable } from './signal-state';

/**
 * pause(2) (kernel/signal.c sys_pause): sleep until a signal is pending,
 * then answer -ERESTARTNOHAND, which the return to user mode turns into
 * -EINTR when a handler runs and a restart otherwise (an ignored signal is
 * never queued, one that kills ends the task). Nothing but a signal wakes
 * it, so the Block names no wait queue: the scheduler's interrupt ends it.
 */
export function sysPause(task: Task): SyscallReturn {
  if (!deliverable(task).isEmpty()) return -Errno.EINTR;
  const block = {
    reason: 'pause',
    restart: 'nohand' as const,
    retry: (): SyscallReturn => (deliverable(task).isEmpty() ? block : -Errno.EINTR),
    cancel: () => {},
  };
  return block;
}
