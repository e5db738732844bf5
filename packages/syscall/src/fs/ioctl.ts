import { Errno, F, FD_CLOEXEC } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import type { SyscallReturn } from '../block';
import { int } from './args';
import { sysFcntl } from './fd-ops';

/** FIONCLEX and FIOCLEX (include/uapi/asm-generic/ioctls.h, the same numbers on x86-64 and riscv64). */
const FIONCLEX = 0x5450;
const FIOCLEX = 0x5451;

/**
 * ioctl(2) (fs/ioctl.c): EBADF for a closed or O_PATH descriptor (fdget);
 * FIOCLEX/FIONCLEX set or clear close-on-exec as do_vfs_ioctl does; every
 * other request is ENOTTY, what vfs_ioctl answers for a file without an
 * ioctl method. No tskern file is a terminal, so glibc's isatty (TCGETS)
 * reads "not a terminal", as it does on Linux for a file, a pipe or
 * /dev/null. (Linux's other generic requests — FIONBIO, FIOASYNC, FIONREAD
 * on regular files and pipes, FIGETBSZ... — are not served yet.)
 */
export function sysIoctl(task: Task, fd: number, cmd: number, _arg: number): SyscallReturn {
  const file = task.files.get(int(fd));
  if (file === null || file.isPathOnly) return -Errno.EBADF;
  const c = cmd >>> 0;
  if (c === FIOCLEX) return sysFcntl(task, fd, F.F_SETFD, FD_CLOEXEC);
  if (c === FIONCLEX) return sysFcntl(task, fd, F.F_SETFD, 0);
  return -Errno.ENOTTY;
}
