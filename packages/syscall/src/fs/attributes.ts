import { AT, AT_FDCWD, Errno } from '@tskern/abi';
import { chmodInode, chownInode, S_IRWXUGO } from '@tskern/vfs';
import { id, int, mode as modeArg, readPath } from './args';
import type { Task } from '@tskern/tasks';
import { startDir } from './dirfd';

/** chmod(2). */
export function sysChmod(task: Task, pathAddr: number, mode: number): number {
  const path = readPath(task.mem, pathAddr);
  if (typeof path === 'number') return path;
  return task.vfs.chmod(task, path, modeArg(mode));
}

/** fchmod(2): not on an O_PATH descriptor (fdget). */
export function sysFchmod(task: Task, fd: number, mode: number): number {
  const file = task.files.get(int(fd));
  if (file === null || file.isPathOnly) return -Errno.EBADF;
  return chmodInode(task.cred, file.inode, modeArg(mode));
}

/** chown(2): follows symlinks; -1 keeps an id. */
export function sysChown(task: Task, pathAddr: number, uid: number, gid: number): number {
  const path = readPath(task.mem, pathAddr);
  if (typeof path === 'number') return path;
  return task.vfs.chown(task, path, id(uid), id(gid), true);
}

/** fchown(2). */
export function sysFchown(task: Task, fd: number, uid: number, gid: number): number {
  const file = task.files.get(int(fd));
  if (file === null || file.isPathOnly) return -Errno.EBADF;
  return chownInode(task.cred, file.inode, id(uid), id(gid));
}

/** umask(2): set the mask's rwx bits, return the old mask. */
export function sysUmask(task: Task, mask: number): number {
  const old = task.fs.umask;
  task.fs.umask = mask & S_IRWXUGO;
  return old;
}

/** fchmodat(2). */
export function sysFchmodat(task: Task, dirfd: number, pathAddr: number, mode: number): number {
  const path = readPath(task.mem, pathAddr);
  if (typeof path === 'number') return path;
  const at = startDir(task, dirfd, path);
  if (typeof at === 'number') return at;
  return task.vfs.chmod(task, path, modeArg(mode), at);
}

/**
 * fchownat(2): AT_SYMLINK_NOFOLLOW changes a symlink itself; an empty path
 * with AT_EMPTY_PATH is the descriptor (fchown); other flags are EINVAL.
 */
export function sysFchownat(task: Task, dirfd: number, pathAddr: number, uid: number, gid: number, flags: number): number {
  if ((flags & ~(AT.AT_SYMLINK_NOFOLLOW | AT.AT_EMPTY_PATH)) !== 0) return -Errno.EINVAL;
  const path = readPath(task.mem, pathAddr);
  if (path === -Errno.ENOENT && (flags & AT.AT_EMPTY_PATH) !== 0 && dirfd !== AT_FDCWD) return sysFchown(task, dirfd, uid, gid);
  if (typeof path === 'number') return path;
  const at = startDir(task, dirfd, path);
  if (typeof at === 'number') return at;
  return task.vfs.chown(task, path, id(uid), id(gid), (flags & AT.AT_SYMLINK_NOFOLLOW) === 0, at);
}

/**
 * faccessat(2) (do_faccessat): the check is made with the real uid and gid
 * as the file-system ids (access_override_creds), so a set-user-ID program
 * asks what its invoker may do.
 */
export function sysFaccessat(task: Task, dirfd: number, pathAddr: number, mode: number): number {
  const path = readPath(task.mem, pathAddr);
  if (typeof path === 'number') return path;
  const at = startDir(task, dirfd, path);
  if (typeof at === 'number') return at;
  const cred = task.cred;
  const caller = cred.fsuid === cred.uid && cred.fsgid === cred.gid
    ? task
    : { fs: task.fs, cred: cred.with({ fsuid: cred.uid, fsgid: cred.gid }), pid: task.pid };
  return task.vfs.access(caller, path, int(mode), at);
}

/** access(2): faccessat(AT_FDCWD, ...). */
export function sysAccess(task: Task, pathAddr: number, mode: number): number {
  return sysFaccessat(task, AT_FDCWD, pathAddr, mode);
}
