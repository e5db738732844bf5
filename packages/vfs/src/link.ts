import { AT, Errno } from '@tskern/abi';
import { filenameCreate, mayCreate } from './create';
import type { Inode } from './inode';
import { isDir } from './mode';
import type { Namei } from './namei';
import type { Path } from './path';

/**
 * Inodes made by O_TMPFILE without O_EXCL (Linux's I_LINKABLE): linkat may
 * give them a name although they have no links; the first link clears it.
 */
const linkable = new WeakSet<Inode>();

/** Mark an O_TMPFILE inode linkable (vfs_tmpfile without O_EXCL). */
export function markLinkable(inode: Inode): void {
  linkable.add(inode);
}

/**
 * link(2)/linkat(2), as fs/namei.c do_linkat and vfs_link. `old` is the
 * resolved source: the caller looks it up (following a final symlink only
 * with AT_SYMLINK_FOLLOW) or, for AT_EMPTY_PATH with an empty name, passes
 * the descriptor's own path. In order: the new name as filename_create sees
 * it (EEXIST, ENOENT for a trailing slash), EXDEV across mounts, EROFS, then
 * vfs_link: may_create (EACCES, ENOENT in a removed directory), EPERM for a
 * directory or a file system without links, ENOENT for an unlinked file that
 * is not a linkable O_TMPFILE.
 */
export function linkPath(nd: Namei, old: Path, newStart: Path, newPath: string): number {
  const where = filenameCreate(nd, newStart, newPath, false);
  if (typeof where === 'number') return where;
  if (old.mount !== where.dir.mount) return -Errno.EXDEV;
  const dir = where.dir.dentry.inode;
  if (dir.fs.readOnly) return -Errno.EROFS;
  const err = mayCreate(nd.task.cred, dir);
  if (err < 0) return err;
  const inode = old.dentry.inode;
  if (dir.fs !== inode.fs) return -Errno.EXDEV;
  if (dir.fs.link === undefined) return -Errno.EPERM;
  if (isDir(inode.mode)) return -Errno.EPERM;
  if (inode.nlink === 0 && !linkable.has(inode)) return -Errno.ENOENT;
  const r = dir.fs.link(inode, dir, where.name);
  if (r < 0) return r;
  linkable.delete(inode);
  where.dir.dentry.child(where.name, inode);
  return 0;
}

/** The flags linkat(2) accepts (others are EINVAL). */
export const LINKAT_FLAGS = AT.AT_SYMLINK_FOLLOW | AT.AT_EMPTY_PATH;
