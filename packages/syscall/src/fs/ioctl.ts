import { Errno, O } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { int } from './args';

/** The requests do_vfs_ioctl answers for every file (include/uapi/asm-generic/ioctls.h). */
const FIONCLEX = 0x5450;
const FIOCLEX = 0x5451;
const FIONBIO = 0x5421;

/**
 * ioctl(2) (fs/ioctl.c): EBADF without a descriptor (O_PATH ones included:
 * fdget refuses them); FIOCLEX/FIONCLEX set and clear close-on-exec, FIONBIO
 * sets O_NONBLOCK from the int at `arg`. Every other request goes to the
 * file's own ioctl, which no tskern file has (no terminals): ENOTTY, as
 * vfs_ioctl answers, and what isatty(3) expects of TCGETS.
 */
export function sysIoctl(task: Task, fd: number, cmd: number, arg: number): number {
  const n = int(fd);
  const file = task.files.get(n);
  if (file === null || file.isPathOnly) return -Errno.EBADF;
  switch (cmd >>> 0) {
    case FIOCLEX:
      return task.files.setFdFlags(n, 1);
    case FIONCLEX:
      return task.files.setFdFlags(n, 0);
    case FIONBIO: {
      const value = new Uint8Array(4);
      if (task.mem.copyIn(arg, value, 0, 4) < 0) return -Errno.EFAULT;
      const on = new DataView(value.buffer).getInt32(0, true) !== 0;
      const flags = file.getFlags() & ~O.O_NONBLOCK;
      return file.setFlags(on ? flags | O.O_NONBLOCK : flags, task.cred);
    }
    default:
      return -Errno.ENOTTY;
  }
}
