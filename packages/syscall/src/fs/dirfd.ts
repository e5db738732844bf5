import { AT_FDCWD, Errno } from '@tskern/abi';
import { isDir, type Path } from '@tskern/vfs';
import type { Task } from '@tskern/tasks';

/**
 * Where a relative path of an *at() call starts (path_init): the cwd for
 * AT_FDCWD or an absolute path, else the directory of `dirfd` (EBADF when not
 * open, ENOTDIR when not a directory; O_PATH descriptors are fine).
 * Returns undefined for "the cwd".
 */
export function startDir(task: Task, dirfd: number, path: string): Path | undefined | number {
  if (path.startsWith('/') || dirfd === AT_FDCWD) return undefined;
  const f = task.files.get(dirfd);
  if (f === null) return -Errno.EBADF;
  if (!isDir(f.inode.mode)) return -Errno.ENOTDIR;
  return f.path;
}
