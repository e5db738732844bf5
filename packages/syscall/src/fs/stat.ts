import { AT, AT_FDCWD, Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import type { Stat } from '@tskern/vfs';
import { int, readPath } from './args';
import { startDir } from './dirfd';

/** Copy `st` out in the task's architecture's `struct stat` layout. */
function copyStat(task: Task, st: Stat | number, buf: number): number {
  if (typeof st === 'number') return st;
  const bytes = task.abi.encodeStat(st);
  return task.mem.copyOut(buf, bytes, 0, bytes.length) < 0 ? -Errno.EFAULT : 0;
}

/** fstat(2) (O_PATH descriptors too). */
export function sysFstat(task: Task, fd: number, buf: number): number {
  const file = task.files.get(int(fd));
  if (file === null) return -Errno.EBADF;
  return copyStat(task, file.stat(), buf);
}

function statPath(task: Task, pathAddr: number, buf: number, follow: boolean): number {
  const path = readPath(task.mem, pathAddr);
  if (typeof path === 'number') return path;
  return copyStat(task, task.vfs.stat(task, path, follow), buf);
}

/** stat(2). */
export function sysStat(task: Task, pathAddr: number, buf: number): number {
  return statPath(task, pathAddr, buf, true);
}

/** lstat(2): a final symlink is not followed. */
export function sysLstat(task: Task, pathAddr: number, buf: number): number {
  return statPath(task, pathAddr, buf, false);
}

/** The flags vfs_statx accepts (AT_STATX_SYNC_TYPE is 0x6000). */
const STATAT_FLAGS = AT.AT_SYMLINK_NOFOLLOW | AT.AT_NO_AUTOMOUNT | AT.AT_EMPTY_PATH | 0x6000;

/**
 * newfstatat(2) (vfs_fstatat): unknown flags are EINVAL; an empty path with
 * AT_EMPTY_PATH is the descriptor itself (the cwd for AT_FDCWD), as fstat.
 */
export function sysNewfstatat(task: Task, dirfd: number, pathAddr: number, buf: number, flags: number): number {
  if ((flags & ~STATAT_FLAGS) !== 0) return -Errno.EINVAL;
  const path = readPath(task.mem, pathAddr);
  if (path === -Errno.ENOENT && (flags & AT.AT_EMPTY_PATH) !== 0) {
    if (dirfd === AT_FDCWD) return copyStat(task, task.vfs.stat(task, '.', true), buf);
    return sysFstat(task, dirfd, buf);
  }
  if (typeof path === 'number') return path;
  const at = startDir(task, dirfd, path);
  if (typeof at === 'number') return at;
  return copyStat(task, task.vfs.stat(task, path, (flags & AT.AT_SYMLINK_NOFOLLOW) === 0, at), buf);
}
