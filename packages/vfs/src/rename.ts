import { Errno } from '@tskern/abi';
import { mayCreate, mayDelete } from './create';
import { isDir } from './mode';
import type { Namei } from './namei';
import { isMountpoint, type Path } from './path';
import { inodePermission, MAY_WRITE } from './permission';

/**
 * rename(2) (do_renameat2 + vfs_rename, no flags): `.`/`..`/`/` on either side
 * are EBUSY; across mounts EXDEV; trailing slashes need a directory source
 * (ENOTDIR); moving a directory under itself is EINVAL and over one of its
 * ancestors ENOTEMPTY; renaming a file onto another name of the same inode
 * does nothing; the kinds must match (EISDIR/ENOTDIR, from may_delete); a
 * directory changing parent must be writable (its ".." changes); mountpoints
 * are EBUSY.
 */
export function renamePath(nd: Namei, oldStart: Path, oldPath: string, newStart: Path, newPath: string): number {
  const oldParent = nd.walkParent(oldStart, oldPath);
  if (typeof oldParent === 'number') return oldParent;
  const newParent = nd.walkParent(newStart, newPath);
  if (typeof newParent === 'number') return newParent;
  if (oldParent.type !== 'norm' || newParent.type !== 'norm') return -Errno.EBUSY;
  if (oldParent.dir.mount !== newParent.dir.mount) return -Errno.EXDEV;

  const source = nd.lookupChild(oldParent.dir, oldParent.last);
  if (typeof source === 'number') return source;
  const found = nd.lookupChild(newParent.dir, newParent.last);
  if (typeof found === 'number' && found !== -Errno.ENOENT) return found;
  const target = typeof found === 'number' ? null : found;
  const sourceInode = source.dentry.inode;
  const isdir = isDir(sourceInode.mode);
  if (!isdir && (oldParent.trailingSlash || newParent.trailingSlash)) return -Errno.ENOTDIR;
  // lock_rename's trap: the source must not be an ancestor of the target, nor the target of the source.
  if (source.dentry.isAncestorOf(newParent.dir.dentry)) return -Errno.EINVAL;
  if (target !== null && target.dentry.isAncestorOf(oldParent.dir.dentry)) return -Errno.ENOTEMPTY;

  // vfs_rename
  if (target !== null && target.dentry.inode === sourceInode) return 0;
  const cred = nd.task.cred;
  const oldDir = oldParent.dir.dentry.inode;
  const newDir = newParent.dir.dentry.inode;
  let err = mayDelete(cred, oldDir, sourceInode, isdir);
  if (err < 0) return err;
  err = target === null ? mayCreate(cred, newDir) : mayDelete(cred, newDir, target.dentry.inode, isdir);
  if (err < 0) return err;
  if (isdir && newDir !== oldDir) {
    err = inodePermission(cred, sourceInode, MAY_WRITE);
    if (err < 0) return err;
  }
  if (isMountpoint(source) || (target !== null && isMountpoint(target))) return -Errno.EBUSY;
  err = oldDir.fs.rename?.(oldDir, oldParent.last, newDir, newParent.last) ?? -Errno.EPERM;
  if (err < 0) return err;
  target?.dentry.detach();
  source.dentry.moveTo(newParent.dir.dentry, newParent.last);
  return 0;
}
