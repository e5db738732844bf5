import { AT, AT_FDCWD, Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { int, readPath } from './args';
import { startDir } from './dirfd';

/**
 * linkat(2) (fs/namei.c do_linkat): both names are read first (an empty old
 * name only with AT_EMPTY_PATH), then unknown flags are EINVAL. With
 * AT_EMPTY_PATH an empty old name is the descriptor's own file (the cwd for
 * AT_FDCWD); tskern does not record who opened a description, so the
 * opener test of Linux 6.10+ passes for the caller (see `Vfs.link`).
 */
export function sysLinkat(task: Task, oldDirfd: number, oldAddr: number, newDirfd: number, newAddr: number, flags: number): number {
  const fl = int(flags);
  let oldPath = readPath(task.mem, oldAddr);
  const emptyOld = oldPath === -Errno.ENOENT && (fl & AT.AT_EMPTY_PATH) !== 0;
  if (emptyOld) oldPath = '';
  if (typeof oldPath === 'number') return oldPath;
  const newPath = readPath(task.mem, newAddr);
  if (typeof newPath === 'number') return newPath;
  if ((fl & ~(AT.AT_SYMLINK_FOLLOW | AT.AT_EMPTY_PATH)) !== 0) return -Errno.EINVAL;
  const od = int(oldDirfd);
  let oldAt;
  if (emptyOld && od !== AT_FDCWD) {
    const f = task.files.get(od);
    if (f === null) return -Errno.EBADF;
    oldAt = f.path;
  } else {
    const at = startDir(task, od, oldPath);
    if (typeof at === 'number') return at;
    oldAt = at;
  }
  const newAt = startDir(task, int(newDirfd), newPath);
  if (typeof newAt === 'number') return newAt;
  return task.vfs.link(task, oldPath, newPath, fl, oldAt, newAt);
}

/** link(2): linkat without flags (a final symlink of the old name is linked itself). */
export function sysLink(task: Task, oldAddr: number, newAddr: number): number {
  return sysLinkat(task, AT_FDCWD, oldAddr, AT_FDCWD, newAddr, 0);
}
