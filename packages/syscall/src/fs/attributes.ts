import { AT, AT_FDCWD, Errno, S, SECBIT } from '@tskern/abi';
import { chmodInode, chownInode, inodePermission, S_IRWXUGO, type Credentials } from '@tskern/vfs';
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

/** AT_EACCESS (include/uapi/linux/fcntl.h; the bit AT_REMOVEDIR has for unlinkat): check with the effective ids. */
const AT_EACCESS = 0x200;
const FACCESS_FLAGS = AT_EACCESS | AT.AT_SYMLINK_NOFOLLOW | AT.AT_EMPTY_PATH;

/**
 * access_override_creds (fs/open.c): the real ids as the file-system ids;
 * unless SECURE_NO_SETUID_FIXUP, a real uid other than 0 has no effective
 * capability and uid 0 has its permitted ones, so a set-user-ID-root
 * program run by a user is refused what that user would be.
 */
function accessCreds(cred: Credentials): Credentials {
  const ids = cred.with({ fsuid: cred.uid, fsgid: cred.gid });
  if (cred.isSecure(SECBIT.SECURE_NO_SETUID_FIXUP)) return ids;
  return ids.withCaps({ effective: cred.uid === 0 ? cred.caps.permitted : 0n });
}

/**
 * do_faccessat (fs/open.c), for faccessat(2) (flags 0) and faccessat2(2):
 * a mode other than F_OK or R_OK|W_OK|X_OK bits is EINVAL, then unknown
 * flags. The check is made with access_override_creds, so a set-user-ID
 * program asks what its invoker may do, unless AT_EACCESS asks with the
 * effective ids and capabilities.
 * AT_SYMLINK_NOFOLLOW checks a symlink itself; an empty path with
 * AT_EMPTY_PATH is the descriptor (or the cwd for AT_FDCWD).
 */
function faccess(task: Task, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  const m = int(mode);
  if ((m & ~S.S_IRWXO) !== 0) return -Errno.EINVAL;
  if ((flags & ~FACCESS_FLAGS) !== 0) return -Errno.EINVAL;
  const caller = (flags & AT_EACCESS) !== 0 ? task : { fs: task.fs, cred: accessCreds(task.cred), pid: task.pid };
  const path = readPath(task.mem, pathAddr);
  if (path === -Errno.ENOENT && (flags & AT.AT_EMPTY_PATH) !== 0 && dirfd !== AT_FDCWD) {
    const file = task.files.get(int(dirfd));
    if (file === null) return -Errno.EBADF;
    return m === 0 ? 0 : inodePermission(caller.cred, file.inode, m);
  }
  if (path === -Errno.ENOENT && (flags & AT.AT_EMPTY_PATH) !== 0) return task.vfs.access(caller, '.', m);
  if (typeof path === 'number') return path;
  const at = startDir(task, dirfd, path);
  if (typeof at === 'number') return at;
  if ((flags & AT.AT_SYMLINK_NOFOLLOW) === 0) return task.vfs.access(caller, path, m, at);
  const p = task.vfs.lookup(caller, path, false, at);
  if (typeof p === 'number') return p;
  return m === 0 ? 0 : inodePermission(caller.cred, p.dentry.inode, m);
}

/** faccessat(2): do_faccessat with no flags. */
export function sysFaccessat(task: Task, dirfd: number, pathAddr: number, mode: number): number {
  return faccess(task, dirfd, pathAddr, mode, 0);
}

/** faccessat2(2) (Linux 5.8): faccessat with AT_EACCESS, AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH. */
export function sysFaccessat2(task: Task, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  return faccess(task, dirfd, pathAddr, mode, flags);
}

/** access(2): faccessat(AT_FDCWD, ...). */
export function sysAccess(task: Task, pathAddr: number, mode: number): number {
  return sysFaccessat(task, AT_FDCWD, pathAddr, mode);
}
