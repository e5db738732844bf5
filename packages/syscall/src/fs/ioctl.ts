import { Errno, O } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { isReg, type IoctlContext, type OpenFileDescription } from '@tskern/vfs';
import { int } from './args';

/** The requests do_vfs_ioctl answers for every file (include/uapi/asm-generic/ioctls.h). */
const FIONCLEX = 0x5450;
const FIOCLEX = 0x5451;
const FIONBIO = 0x5421;
const FIONREAD = 0x541b;
/** FIGETBSZ: _IO(0x00, 2) (include/uapi/linux/fs.h). */
const FIGETBSZ = 2;

/** put_user of an int at `arg`: 0 or -EFAULT. */
function putInt(task: Task, arg: number, value: number): number {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, value, true);
  return task.mem.copyOut(arg, b, 0, 4) < 0 ? -Errno.EFAULT : 0;
}

/**
 * ioctl(2) (fs/ioctl.c): EBADF without a descriptor (O_PATH ones included:
 * fdget refuses them); FIOCLEX/FIONCLEX set and clear close-on-exec, FIONBIO
 * sets O_NONBLOCK from the int at `arg`; FIGETBSZ gives the file system's
 * block size (s_blocksize, what statfs reports as f_bsize) and FIONREAD a
 * regular file's bytes past the position. Every other request goes to the
 * file's own ioctl (vfs_ioctl: a block special file's, /dev/loop-control's),
 * ENOTTY for a file without one, as isatty(3) expects of TCGETS.
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
    case FIGETBSZ: {
      const size = file.inode.fs.statfs?.().blockSize ?? 0;
      return size === 0 ? -Errno.EINVAL : putInt(task, arg, size);
    }
    case FIONREAD:
      if (isReg(file.inode.mode)) return putInt(task, arg, Number(file.inode.size()) - Number(file.pos));
      return file.ioctl(cmd >>> 0, arg, ioctlContext(task, file));
    default:
      return file.ioctl(cmd >>> 0, arg, ioctlContext(task, file));
  }
}

/** What a file's ioctl may use of the calling task: its memory, credentials, fds and architecture. */
function ioctlContext(task: Task, file: OpenFileDescription): IoctlContext {
  return {
    file,
    cred: task.cred,
    arch: task.abi.name,
    copyIn: (addr, dst, off, len) => (task.mem.copyIn(addr, dst, off, len) < 0 ? -Errno.EFAULT : 0),
    copyOut: (addr, src, off, len) => (task.mem.copyOut(addr, src, off, len) < 0 ? -Errno.EFAULT : 0),
    fileAt: (fd) => {
      const f = task.files.get(fd);
      return f === null || f.isPathOnly ? null : f;
    },
  };
}
