import { AT_FDCWD } from '@tskern/abi';
import { fifoOpenWait } from '@tskern/pipe';
import { waitOn } from '@tskern/sched';
import type { Task } from '@tskern/tasks';
import type { SyscallReturn } from '../block';
import { sysOpenat } from '../fs/open';

/**
 * openat(2) with fifo_open's wait_for_partner: a FIFO opened for reading
 * alone sleeps until a writer opens it, one opened for writing alone until
 * a reader does (O_NONBLOCK and O_RDWR never wait). The end is open, and
 * counted, while it waits; a signal closes it again (-ERESTARTSYS).
 */
export function sysOpenatFifo(task: Task, dirfd: number, pathAddr: number, flags: number, mode: number): SyscallReturn {
  const fd = sysOpenat(task, dirfd, pathAddr, flags, mode);
  if (fd < 0) return fd;
  const file = task.files.get(fd);
  const wait = file === null ? null : fifoOpenWait(file);
  if (wait === null) return fd;
  const attempt = (): SyscallReturn =>
    wait.ready() ? fd : { reason: 'open fifo', on: [waitOn(wait.queue)], restart: 'sys', retry: attempt, cancel: () => void task.files.close(fd) };
  return attempt();
}

/** open(2). */
export function sysOpenFifo(task: Task, pathAddr: number, flags: number, mode: number): SyscallReturn {
  return sysOpenatFifo(task, AT_FDCWD, pathAddr, flags, mode);
}
