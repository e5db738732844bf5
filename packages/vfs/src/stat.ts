import { PAGE_SIZE, type FileOffset } from '@tskern/abi';
import type { Inode } from './inode';

/** What stat(2) reports (the fields of `struct stat`; times in milliseconds). */
export interface Stat {
  readonly dev: number;
  readonly ino: number;
  readonly nlink: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly rdev: number;
  /** st_size, exact (a bigint past 2^53). */
  readonly size: FileOffset;
  readonly blksize: number;
  readonly blocks: number;
  readonly atime: number;
  readonly mtime: number;
  readonly ctime: number;
}

/** generic_fillattr: an inode's attributes (st_blksize is the page size, as tmpfs). */
export function statInode(inode: Inode): Stat {
  return {
    dev: inode.fs.deviceId,
    ino: inode.ino,
    nlink: inode.nlink,
    mode: inode.mode,
    uid: inode.uid,
    gid: inode.gid,
    rdev: inode.rdev,
    size: inode.size(),
    blksize: inode.statBlockSize?.() ?? PAGE_SIZE,
    blocks: inode.blocks(),
    atime: inode.atime,
    mtime: inode.mtime,
    ctime: inode.ctime,
  };
}
