import { CAP, Errno, S } from '@tskern/abi';
import { filenameCreate, mayCreate, newInodeAttrs } from './create';
import { capable } from './credentials';
import type { Namei } from './namei';
import { S_IALLUGO } from './mode';
import type { Path } from './path';

/**
 * may_mknod: the types mknod(2) makes: a regular file (also type 0), a
 * FIFO, a socket, a character or block device; a directory is EPERM, any
 * other type EINVAL (Linux 6.18, checked before the path is looked at).
 */
function mayMknod(mode: number): number {
  switch (mode & S.S_IFMT) {
    case 0:
    case S.S_IFREG:
    case S.S_IFCHR:
    case S.S_IFBLK:
    case S.S_IFIFO:
    case S.S_IFSOCK:
      return 0;
    case S.S_IFDIR:
      return -Errno.EPERM;
    default:
      return -Errno.EINVAL;
  }
}

/**
 * mknod(2)/mknodat(2) as fs/namei.c do_mknodat: the type checked, the name
 * made (filename_create: EEXIST, ENOENT, ENOTDIR), then per type — a
 * regular file through create (vfs_create: EACCES without one), anything
 * else through the file system's mknod (vfs_mknod): may_create (EACCES,
 * EROFS), CAP_MKNOD for a device node (EPERM), EPERM for a file system
 * without mknod. The umask and set-gid rules apply (vfs_prepare_mode); `dev`
 * (new_encode_dev, 32 bits) is kept for device nodes only.
 */
export function mknodPath(nd: Namei, start: Path, path: string, mode: number, dev: number): number {
  const err = mayMknod(mode);
  if (err < 0) return err;
  const where = filenameCreate(nd, start, path, false);
  if (typeof where === 'number') return where;
  const dir = where.dir.dentry.inode;
  const cred = nd.task.cred;
  const perm = mayCreate(cred, dir);
  if (perm < 0) return perm;
  const type = mode & S.S_IFMT;
  let inode;
  if (type === 0 || type === S.S_IFREG) {
    const attrs = newInodeAttrs(nd.task, dir, S.S_IFREG | (mode & S_IALLUGO));
    inode = dir.fs.create?.(dir, where.name, attrs) ?? -Errno.EACCES;
  } else {
    const device = type === S.S_IFCHR || type === S.S_IFBLK;
    if (device && !capable(cred, CAP.CAP_MKNOD)) return -Errno.EPERM;
    if (dir.fs.mknod === undefined) return -Errno.EPERM;
    const attrs = newInodeAttrs(nd.task, dir, type | (mode & S_IALLUGO));
    inode = dir.fs.mknod(dir, where.name, attrs, device ? dev >>> 0 : 0);
  }
  if (typeof inode === 'number') return inode;
  where.dir.dentry.child(where.name, inode);
  return 0;
}
