import { Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { encodeStatfs, statfsPath, type StatFs } from '@tskern/vfs';
import { int, readPath } from './args';

function copyStatfs(task: Task, result: StatFs | number, buf: number): number {
  if (typeof result === 'number') return result;
  const bytes = encodeStatfs(result);
  return task.mem.copyOut(buf, bytes, 0, bytes.length) < 0 ? -Errno.EFAULT : 0;
}

/** statfs(2) (user_statfs): the path is followed; the 120-byte `struct statfs` is copied out. */
export function sysStatfs(task: Task, pathAddr: number, buf: number): number {
  const path = readPath(task.mem, pathAddr);
  if (typeof path === 'number') return path;
  return copyStatfs(task, task.vfs.statfs(task, path), buf);
}

/** fstatfs(2) (fd_statfs): O_PATH descriptors work too (fdget_raw). */
export function sysFstatfs(task: Task, fd: number, buf: number): number {
  const file = task.files.get(int(fd));
  if (file === null) return -Errno.EBADF;
  return copyStatfs(task, statfsPath(file.path), buf);
}
