import { Errno, S, type FileOffset } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { int } from './args';

/** POSIX_FADV_NORMAL .. POSIX_FADV_NOREUSE (include/uapi/linux/fadvise.h): the advice values there are. */
const POSIX_FADV_LAST = 5;

/**
 * fadvise64(2) (mm/fadvise.c ksys_fadvise64_64, generic_fadvise): EBADF for
 * a descriptor not open (O_PATH ones too), ESPIPE for a pipe or FIFO,
 * EINVAL for a negative length or an advice that does not exist. tskern's
 * file systems have no backing device (noop_backing_dev_info, as tmpfs and
 * ramfs): the advice is checked and then ignored, as Linux does there.
 * e2fsck asks POSIX_FADV_WILLNEED before it reads.
 */
export function sysFadvise64(task: Task, fd: number, _offset: FileOffset, len: FileOffset, advice: number): number {
  const file = task.files.get(int(fd));
  if (file === null || file.isPathOnly) return -Errno.EBADF;
  if ((file.inode.mode & S.S_IFMT) === S.S_IFIFO) return -Errno.ESPIPE;
  if (len < 0) return -Errno.EINVAL;
  const a = int(advice);
  if (a < 0 || a > POSIX_FADV_LAST) return -Errno.EINVAL;
  return 0;
}
