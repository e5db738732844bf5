import { Errno, type FileOffset } from '@tskern/abi';
import type { Credentials } from './credentials';
import type { Inode } from './inode';
import { modeAfterKillPriv } from './permission';

/**
 * do_truncate: set the size (EFBIG past the file system's limit, as
 * inode_newsize_ok), dropping set-id bits as a write would. `touch`: the
 * caller is ftruncate(2) or open(O_TRUNC), whose ATTR_MTIME | ATTR_CTIME set
 * both times even when the size stays (truncate(2) passes neither, so a
 * same-size truncate changes no time; checked on Linux 6.18 tmpfs).
 */
export function truncateInode(cred: Credentials, inode: Inode, length: FileOffset, touch = false): number {
  if (length > inode.fs.maxFileSize) return -Errno.EFBIG;
  const mode = modeAfterKillPriv(cred, inode);
  const attr = mode < 0 ? { size: length } : { size: length, mode };
  return inode.setattr(touch ? { ...attr, touch } : attr);
}
