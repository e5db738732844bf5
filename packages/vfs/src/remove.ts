import { Errno } from '@tskern/abi';
import { mayDelete } from './create';
import type { Namei } from './namei';
import { isMountpoint, type Path } from './path';
import { isDir } from './mode';

/**
 * unlink(2) (do_unlinkat + vfs_unlink): `.`/`..`/`/` are EISDIR; a trailing
 * slash is EISDIR on a directory and ENOTDIR otherwise; a directory is EISDIR;
 * a mountpoint is EBUSY. The dentry is detached, so open files and mappings
 * of it print ` (deleted)`.
 */
export function unlinkPath(nd: Namei, start: Path, path: string): number {
  const parent = nd.walkParent(start, path);
  if (typeof parent === 'number') return parent;
  if (parent.type !== 'norm') return -Errno.EISDIR;
  const victim = nd.lookupChild(parent.dir, parent.last);
  if (typeof victim === 'number') return victim;
  if (parent.trailingSlash) return isDir(victim.dentry.inode.mode) ? -Errno.EISDIR : -Errno.ENOTDIR;
  const dir = parent.dir.dentry.inode;
  const err = mayDelete(nd.task.cred, dir, victim.dentry.inode, false);
  if (err < 0) return err;
  if (isMountpoint(victim)) return -Errno.EBUSY;
  const r = dir.fs.unlink?.(dir, parent.last) ?? -Errno.EPERM;
  if (r < 0) return r;
  victim.dentry.detach();
  return 0;
}

/**
 * rmdir(2) (do_rmdir + vfs_rmdir): `..` is ENOTEMPTY, `.` EINVAL, `/` EBUSY;
 * a non-directory ENOTDIR; a mountpoint EBUSY; a non-empty directory
 * ENOTEMPTY. Trailing slashes are fine.
 */
export function rmdirPath(nd: Namei, start: Path, path: string): number {
  const parent = nd.walkParent(start, path);
  if (typeof parent === 'number') return parent;
  if (parent.type === 'dotdot') return -Errno.ENOTEMPTY;
  if (parent.type === 'dot') return -Errno.EINVAL;
  if (parent.type === 'root') return -Errno.EBUSY;
  const victim = nd.lookupChild(parent.dir, parent.last);
  if (typeof victim === 'number') return victim;
  const dir = parent.dir.dentry.inode;
  const err = mayDelete(nd.task.cred, dir, victim.dentry.inode, true);
  if (err < 0) return err;
  if (isMountpoint(victim)) return -Errno.EBUSY;
  const r = dir.fs.rmdir?.(dir, parent.last) ?? -Errno.EPERM;
  if (r < 0) return r;
  victim.dentry.detach();
  return 0;
}
