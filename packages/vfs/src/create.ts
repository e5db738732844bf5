import { CAP, Errno, S } from '@tskern/abi';
import { capable, type Credentials } from './credentials';
import type { NewInode } from './file-system';
import type { FsTask } from './fs-context';
import type { Inode } from './inode';
import { isDir } from './mode';
import type { Namei } from './namei';
import type { Path } from './path';
import { inodePermission, MAY_EXEC, MAY_WRITE, stickyForbids } from './permission';

/**
 * Owner and mode of a new inode in `dir` (vfs_prepare_mode + inode_init_owner):
 * the umask applies; the caller owns it; in a set-group-ID directory the group
 * is the directory's, new directories inherit S_ISGID, and a group-executable
 * set-gid file keeps S_ISGID only for a member of that group (mode_strip_sgid).
 */
export function newInodeAttrs(task: FsTask, dir: Inode, mode: number, applyUmask = true): NewInode {
  const cred = task.cred;
  let m = applyUmask ? mode & ~(task.fs.umask & (S.S_IRWXU | S.S_IRWXG | S.S_IRWXO)) : mode;
  let gid = cred.fsgid;
  if ((dir.mode & S.S_ISGID) !== 0) {
    gid = dir.gid;
    if (isDir(m)) m |= S.S_ISGID;
    else if ((m & (S.S_ISGID | S.S_IXGRP)) === (S.S_ISGID | S.S_IXGRP) && !cred.inGroup(dir.gid) && !capable(cred, CAP.CAP_FSETID)) {
      m &= ~S.S_ISGID;
    }
  }
  return { mode: m, uid: cred.fsuid, gid };
}

/**
 * may_create: a removed directory takes no new names (ENOENT); creating needs
 * write and search permission on the directory.
 */
export function mayCreate(cred: Credentials, dir: Inode): number {
  if (dir.nlink === 0) return -Errno.ENOENT;
  return inodePermission(cred, dir, MAY_WRITE | MAY_EXEC);
}

/**
 * may_delete: removing `victim` from `dir` needs write and search permission
 * on `dir`, respects the sticky bit (EPERM), and the kinds must match
 * (`isdir`: ENOTDIR for a non-directory; otherwise EISDIR for a directory).
 */
export function mayDelete(cred: Credentials, dir: Inode, victim: Inode, isdir: boolean): number {
  const err = inodePermission(cred, dir, MAY_WRITE | MAY_EXEC);
  if (err < 0) return err;
  if (stickyForbids(cred, dir, victim)) return -Errno.EPERM;
  if (isdir) {
    if (!isDir(victim.mode)) return -Errno.ENOTDIR;
  } else if (isDir(victim.mode)) {
    return -Errno.EISDIR;
  }
  if (dir.nlink === 0) return -Errno.ENOENT;
  return 0;
}

/**
 * filename_create: the directory and name where `path` would create an
 * entry. `.`/`..`/`/` as last component and an existing name are EEXIST; a
 * trailing slash on a missing name is ENOENT unless a directory is wanted.
 */
export function filenameCreate(nd: Namei, start: Path, path: string, wantDir: boolean): { dir: Path; name: string } | number {
  const parent = nd.walkParent(start, path);
  if (typeof parent === 'number') return parent;
  if (parent.type !== 'norm') return -Errno.EEXIST;
  const child = nd.lookupChild(parent.dir, parent.last);
  if (typeof child !== 'number') return -Errno.EEXIST;
  if (child !== -Errno.ENOENT) return child;
  if (parent.trailingSlash && !wantDir) return -Errno.ENOENT;
  return { dir: parent.dir, name: parent.last };
}
