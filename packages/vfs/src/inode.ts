import type { FileOffset, Status } from '@tskern/abi';
import type { Mappable } from '@tskern/mm-api';
import type { FsCaller } from './credentials';
import type { FileSystem } from './file-system';
import type { IoctlContext } from './ioctl';

/**
 * An attribute change (chmod, chown, truncate), as Linux's `struct iattr`.
 * The VFS has checked permissions; the file system applies the change.
 */
export interface SetAttr {
  /** New permission bits (S_IALLUGO); the file type never changes. */
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  /** New size in bytes (regular files only): truncate or extend. */
  readonly size?: FileOffset;
  /**
   * ATTR_MTIME | ATTR_CTIME without a value: set both to the current time
   * even when the size does not change, as ftruncate(2) and open(O_TRUNC)
   * ask (do_truncate's time_attrs); truncate(2) does not.
   */
  readonly touch?: boolean;
  /** New access time in ms (ATTR_ATIME_SET), or 'now' (ATTR_ATIME alone): utimensat(2). */
  readonly atime?: number | 'now';
  /** New modification time in ms (ATTR_MTIME_SET), or 'now' (ATTR_MTIME alone): utimensat(2). */
  readonly mtime?: number | 'now';
}

/**
 * Per-open file operations, for inodes whose reads depend on the open (a
 * /proc file that snapshots its text at open). Compare Linux's
 * `struct file_operations` bound to one `struct file`.
 */
export interface FileOperations {
  read?(pos: number, dst: Uint8Array, dstOffset: number, length: number): number;
  write?(pos: number, src: Uint8Array, srcOffset: number, length: number): number;
  /** The last reference to the open file description is gone. */
  release?(): void;
  /**
   * FMODE_STREAM (stream_open, as pipes and sockets): the file has no
   * position. lseek is ESPIPE, and the syscall layer answers ESPIPE for
   * pread/pwrite (FMODE_PREAD/FMODE_PWRITE are cleared); read and write leave
   * the position alone.
   */
  readonly stream?: boolean;
  /**
   * Reads and writes leave the file position alone, as the character
   * devices of drivers/char/mem.c and random.c, whose read_iter never moves
   * ki_pos.
   */
  readonly fixedPosition?: boolean;
  /**
   * lseek(2) in place of generic_file_llseek (f_op->llseek): the new
   * position from the current one, or `-errno`. null_lseek answers 0,
   * noop_llseek the current position.
   */
  llseek?(pos: FileOffset, offset: FileOffset, whence: number): FileOffset;
  /**
   * The file's own ioctl (f_op->unlocked_ioctl), after do_vfs_ioctl's
   * requests: the result, or `-errno`. Absent: every request is ENOTTY.
   */
  ioctl?(request: number, arg: number, ctx: IoctlContext): number;
  /**
   * Mapping this open gives anonymous memory (mmap_zero in the driver's
   * file operations), whichever node it was opened through: /dev/zero's
   * driver behind a node mknod(2) made elsewhere. See `Inode.mapsAnonymous`.
   */
  readonly mapsAnonymous?: boolean;
  /** fsync(2) of this open (f_op->fsync: blkdev_fsync flushes the device); absent: the inode's. */
  fsync?(datasync: boolean): number;
}

/**
 * A file as the VFS sees it: Linux's `struct inode` with its inode and file
 * operations. Times are milliseconds since the epoch.
 *
 * Lifetime: an inode lives while it has links (`nlink`) or in-memory
 * references (`incRef`/`decRef`, Linux's i_count): one per open file
 * description and one per file-mapping handle. A file system frees the inode's
 * storage when both are zero (as iput -> evict with i_nlink == 0).
 *
 * Data methods return a byte count or `-errno` and never throw.
 */
export interface Inode {
  readonly ino: number;
  readonly fs: FileSystem;
  /** File type and permission bits (st_mode). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly nlink: number;
  /** Device number of a device file (st_rdev), else 0. */
  readonly rdev: number;
  readonly atime: number;
  readonly mtime: number;
  readonly ctime: number;

  /**
   * Size in bytes (st_size), exact: a number while safe, a bigint past 2^53
   * (only on a file system whose maxFileSize is a bigint, as tmpfs).
   */
  size(): FileOffset;
  /** 512-byte blocks of storage in use (st_blocks). */
  blocks(): number;
  /**
   * st_blksize when it is not the page size: a block special file reports
   * its device's minimum I/O size (bdev_statx, Linux 6.11 on); an ext2/3/4
   * inode its file system's block size (i_blkbits).
   */
  statBlockSize?(): number;

  incRef(): void;
  decRef(): void;

  /** Apply an attribute change; 0 or `-errno` (`-EFBIG`, `-ENOSPC`). */
  setattr(attr: SetAttr): number;

  /**
   * Read up to `length` bytes at `pos` (0 at or past EOF). `pos` is a bigint
   * only on a file system whose maxFileSize is one; the VFS answers 0 for
   * the others (filemap_read: nothing at or past s_maxbytes).
   */
  read?(pos: FileOffset, dst: Uint8Array, dstOffset: number, length: number): number;
  /** Write at `pos` (below maxFileSize), extending the file; the count written or `-errno`. */
  write?(pos: FileOffset, src: Uint8Array, srcOffset: number, length: number): number;
  /**
   * The file was read through a description without O_NOATIME (file_accessed
   * -> touch_atime): update the access time by the file system's rules.
   * Absent: the file system keeps its own (or no) access times.
   */
  accessed?(): void;
  /** Per-open operations (optional; default: the inode's own read/write). */
  open?(flags: number, caller: FsCaller): FileOperations | number;
  /** fsync/fdatasync; absent means fsync is EINVAL (special files). */
  fsync?(datasync: boolean): number;
  /** Write dirty data of a range back to the backing store (msync); absent means nothing to do. */
  writeback?(offset: number, length: number): Status;
  /** The page-cache object that mmap maps, or null when the file cannot be mapped. */
  mappable?(): Mappable | null;
  /**
   * Mapping this file gives anonymous memory, as drivers/char/mem.c:mmap_zero
   * (/dev/zero): private mappings are anonymous, shared ones shared anonymous
   * memory (shmem_zero_setup). The syscall layer maps it as MAP_ANONYMOUS.
   */
  readonly mapsAnonymous?: boolean;
  /**
   * SEEK_DATA (`hole` false) or SEEK_HOLE (`hole` true) from `offset`, which
   * is below the size: the offset found, or `-ENXIO`. Absent: the whole file
   * is data (generic_file_llseek_size).
   */
  seekData?(offset: FileOffset, hole: boolean): FileOffset;
  /**
   * fallocate(2) after the VFS's checks (vfs_fallocate): `mode` is 0,
   * FALLOC_FL_KEEP_SIZE or another FALLOC_FL_* combination; 0 or `-errno`.
   * Absent means EOPNOTSUPP.
   */
  fallocate?(mode: number, offset: FileOffset, length: FileOffset): number;
}
