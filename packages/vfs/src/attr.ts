import { CAP, Errno, S, type FileOffset } from '@tskern/abi';
import { capable, type Credentials } from './credentials';
import type { Inode, SetAttr } from './inode';
import { isDir, isReg, S_IALLUGO } from './mode';
import { inodePermission, isOwnerOrCapable, MAY_WRITE } from './permission';
import { truncateInode } from './truncate';

/**
 * chmod(2)/fchmod(2) (chmod_common + setattr_prepare): only the owner or a
 * caller with CAP_FOWNER (EPERM); a caller outside the file's group loses
 * S_ISGID unless it has CAP_FSETID (in_group_or_capable).
 */
export function chmodInode(cred: Credentials, inode: Inode, mode: number): number {
  if (inode.fs.readOnly) return -Errno.EROFS;
  if (!isOwnerOrCapable(cred, inode)) return -Errno.EPERM;
  let m = mode & S_IALLUGO;
  if (!cred.inGroup(inode.gid) && !capable(cred, CAP.CAP_FSETID)) m &= ~S.S_ISGID;
  return inode.setattr({ mode: m });
}

/**
 * chown(2)/fchown(2) (chown_common + chown_ok/chgrp_ok): -1 leaves an id
 * alone; without CAP_CHOWN the owner may only "change" the owner to itself
 * and the group to one of its groups (EPERM otherwise). A non-directory loses
 * S_ISUID, and S_ISGID when group-executable (ATTR_KILL_SUID/SGID).
 */
export function chownInode(cred: Credentials, inode: Inode, uid: number, gid: number): number {
  if (inode.fs.readOnly) return -Errno.EROFS;
  const owner = cred.fsuid === inode.uid;
  const chown = capable(cred, CAP.CAP_CHOWN);
  if (uid !== -1 && !chown && !(owner && uid === inode.uid)) return -Errno.EPERM;
  if (gid !== -1 && !chown && !(owner && (gid === inode.gid || cred.inGroup(gid)))) return -Errno.EPERM;
  const attr: { -readonly [K in keyof SetAttr]: SetAttr[K] } = {};
  if (uid !== -1) attr.uid = uid;
  if (gid !== -1) attr.gid = gid;
  if (!isDir(inode.mode)) {
    let kill = inode.mode & S.S_ISUID;
    if ((inode.mode & (S.S_ISGID | S.S_IXGRP)) === (S.S_ISGID | S.S_IXGRP)) kill |= S.S_ISGID;
    if (kill !== 0) attr.mode = inode.mode & ~kill & S_IALLUGO;
  }
  return inode.setattr(attr);
}

/**
 * The caller's own limit on a new file size (inode_newsize_ok's
 * RLIMIT_FSIZE, which the syscall layer knows): 0, or `-errno` after it has
 * signalled the caller.
 */
export type NewSizeCheck = (oldSize: FileOffset, newSize: FileOffset) => number;

/**
 * truncate(2) on a looked-up inode (vfs_truncate): a directory is EISDIR,
 * another non-regular file EINVAL, then write permission (EACCES, EROFS),
 * then `newSizeOk`.
 */
export function truncatePathInode(cred: Credentials, inode: Inode, length: FileOffset, newSizeOk?: NewSizeCheck): number {
  if (isDir(inode.mode)) return -Errno.EISDIR;
  if (!isReg(inode.mode)) return -Errno.EINVAL;
  let err = inodePermission(cred, inode, MAY_WRITE);
  if (err < 0) return err;
  err = newSizeOk?.(inode.size(), length) ?? 0;
  if (err < 0) return err;
  return truncateInode(cred, inode, length);
}

/**
 * One time utimensat(2) asks for: milliseconds since the epoch, UTIME_NOW,
 * UTIME_OMIT, or 'invalid' for a tv_nsec outside [0, 10^9) that is neither
 * (EINVAL, answered after the file was found, as vfs_utimes's nsec_valid).
 */
export type TimeRequest = number | 'now' | 'omit' | 'invalid';

/**
 * utimensat(2)/futimens(2) on an inode (fs/utimes.c vfs_utimes, then
 * setattr_prepare): `times` null (or both 'now') sets both times to now,
 * which the owner, a capable caller or one with write permission may do
 * (EACCES otherwise); any explicit time (or one 'now' with one 'omit') needs
 * the owner or a capable caller (EPERM), whatever the write permission. The
 * change time always moves. A read-only file system is EROFS first
 * (mnt_want_write). The caller has already answered both 'omit' with 0.
 */
export function utimesInode(cred: Credentials, inode: Inode, times: { atime: TimeRequest; mtime: TimeRequest } | null): number {
  if (times !== null && (times.atime === 'invalid' || times.mtime === 'invalid')) return -Errno.EINVAL;
  if (times !== null && times.atime === 'now' && times.mtime === 'now') times = null;
  if (inode.fs.readOnly) return -Errno.EROFS;
  if (!isOwnerOrCapable(cred, inode)) {
    if (times !== null) return -Errno.EPERM;
    const err = inodePermission(cred, inode, MAY_WRITE);
    if (err < 0) return err;
  }
  if (times === null) return inode.setattr({ atime: 'now', mtime: 'now' });
  const attr: { -readonly [K in keyof SetAttr]: SetAttr[K] } = {};
  if (times.atime !== 'omit') attr.atime = times.atime as number | 'now';
  if (times.mtime !== 'omit') attr.mtime = times.mtime as number | 'now';
  return inode.setattr(attr);
}
