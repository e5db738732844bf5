import { Errno } from '@tskern/abi';
import type { Credentials } from './credentials';
import type { Inode } from './inode';
import { modeAfterKillPriv } from './permission';

/**
 * do_truncate: set the size (EFBIG past the file system's limit, as
 * inode_newsize_ok), dropping set-id bits as a write would.
 */
export function truncateInode(cred: Credentials, inode: Inode, length: number): number {
  if (length > inode.fs.maxFileSize) return -Errno.EFBIG;
  const mode = modeAfterKillPriv(cred, inode);
  return inode.setattr(mode < 0 ? { size: length } : { size: length, mode });
}
