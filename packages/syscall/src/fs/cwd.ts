import { Errno } from '@tskern/abi';
import { bytesFromByteString } from '@tskern/vfs';
import { int, readPath } from './args';
import type { Task } from '@tskern/tasks';

/** chdir(2). */
export function sysChdir(task: Task, pathAddr: number): number {
  const path = readPath(task.mem, pathAddr);
  if (typeof path === 'number') return path;
  return task.vfs.chdir(task, path);
}

/** fchdir(2) (O_PATH descriptors too). */
export function sysFchdir(task: Task, fd: number): number {
  const file = task.files.get(int(fd));
  if (file === null) return -Errno.EBADF;
  return task.vfs.chdirTo(task, file.path);
}

/**
 * getcwd(2): the path and its NUL; ERANGE when `size` is too small, ENOENT
 * when the cwd was removed. Returns the length including the NUL.
 */
export function sysGetcwd(task: Task, buf: number, size: number): number {
  const cwd = task.vfs.getcwd(task);
  if (typeof cwd === 'number') return cwd;
  const bytes = bytesFromByteString(cwd + '\0');
  if (size >= 0 && bytes.length > size) return -Errno.ERANGE; // size is unsigned: a negative one is huge
  return task.mem.copyOut(buf, bytes, 0, bytes.length) < 0 ? -Errno.EFAULT : bytes.length;
}
