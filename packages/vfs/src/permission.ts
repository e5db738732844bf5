import { CAP, Errno, S } from '@tskern/abi';
import { capable, type Credentials } from './credentials';
import type { Inode } from './inode';
import { isDir, isLnk, isReg, S_IXUGO } from './mode';

/**
 * Access masks of inode_permission (include/linux/fs.h): the same values as
 * the "other" rwx bits, which is also why access(2) checks `mode & ~S_IRWXO`.
 */
export const MAY_EXEC = S.S_IXOTH;
export const MAY_WRITE = S.S_IWOTH;
export const MAY_READ = S.S_IROTH;

/**
 * acl_permission_check: the owner class if the caller owns the inode, else
 * the group class if the caller is in the inode's group and the group bits
 * differ from the other bits in what is asked, else the other class.
 */
function modeAllows(cred: Credentials, inode: Inode, mask: number): boolean {
  let mode = inode.mode;
  if (cred.fsuid === inode.uid) {
    mode >>= 6;
  } else if ((mask & (mode ^ (mode >> 3))) !== 0 && cred.inGroup(inode.gid)) {
    mode >>= 3;
  }
  return (mask & ~mode & S.S_IRWXO) === 0;
}

/**
 * generic_permission (fs/namei.c): the mode bits, then the capabilities:
 * CAP_DAC_OVERRIDE reads, writes and searches directories, reads and writes
 * files, and executes files with at least one execute bit; without it,
 * CAP_DAC_READ_SEARCH still reads and searches directories and reads files.
 */
export function genericPermission(cred: Credentials, inode: Inode, mask: number): number {
  if (modeAllows(cred, inode, mask)) return 0;
  if (isDir(inode.mode)) {
    if ((mask & MAY_WRITE) === 0 && capable(cred, CAP.CAP_DAC_READ_SEARCH)) return 0;
    return capable(cred, CAP.CAP_DAC_OVERRIDE) ? 0 : -Errno.EACCES;
  }
  if (((mask & MAY_EXEC) === 0 || (inode.mode & S_IXUGO) !== 0) && capable(cred, CAP.CAP_DAC_OVERRIDE)) return 0;
  if ((mask & (MAY_READ | MAY_WRITE | MAY_EXEC)) === MAY_READ && capable(cred, CAP.CAP_DAC_READ_SEARCH)) return 0;
  return -Errno.EACCES;
}

/**
 * inode_permission: writing a file, directory or symlink of a read-only file
 * system is EROFS whoever asks; then generic_permission.
 */
export function inodePermission(cred: Credentials, inode: Inode, mask: number): number {
  if ((mask & MAY_WRITE) !== 0 && inode.fs.readOnly) {
    if (isReg(inode.mode) || isDir(inode.mode) || isLnk(inode.mode)) return -Errno.EROFS;
  }
  return genericPermission(cred, inode, mask);
}

/** inode_owner_or_capable: the caller owns the inode or has CAP_FOWNER. */
export function isOwnerOrCapable(cred: Credentials, inode: Inode): boolean {
  return cred.fsuid === inode.uid || capable(cred, CAP.CAP_FOWNER);
}

/**
 * The set-id bits a write or truncate by `cred` strips from a regular file
 * (should_remove_suid + setattr_should_drop_sgid): S_ISUID always, S_ISGID
 * when group-executable or the caller is not in the group; nothing for a
 * caller with CAP_FSETID. Returns the mode to set, or -1 when nothing changes.
 */
export function modeAfterKillPriv(cred: Credentials, inode: Inode): number {
  const mode = inode.mode;
  if (!isReg(mode) || capable(cred, CAP.CAP_FSETID)) return -1;
  let kill = mode & S.S_ISUID;
  if ((mode & S.S_ISGID) !== 0 && ((mode & S.S_IXGRP) !== 0 || !cred.inGroup(inode.gid))) kill |= S.S_ISGID;
  return kill === 0 ? -1 : mode & ~kill;
}

/**
 * check_sticky: in a sticky directory only the file's owner, the directory's
 * owner or a caller with CAP_FOWNER may delete or rename an entry (EPERM otherwise).
 */
export function stickyForbids(cred: Credentials, dir: Inode, victim: Inode): boolean {
  if ((dir.mode & S.S_ISVTX) === 0) return false;
  return cred.fsuid !== victim.uid && cred.fsuid !== dir.uid && !capable(cred, CAP.CAP_FOWNER);
}
