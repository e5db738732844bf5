import type { FileOffset } from '@tskern/abi';
import type { BlockDevice } from '@tskern/block-api';
import type { FsCaller } from './credentials';
import type { Inode } from './inode';

/** Owner and mode of an inode about to be created (the VFS has applied umask and set-gid rules). */
export interface NewInode {
  /** Full st_mode: file type and permission bits. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/** One directory entry as readdir reports it ("." and ".." are the VFS's). */
export interface DirEntry {
  readonly name: string;
  readonly ino: number;
  /** The entry's file type bits (mode & S_IFMT). */
  readonly type: number;
  /** The entry's position in the directory stream, >= 2; reading resumes at `offset + 1`. */
  readonly offset: number;
}

/**
 * A mounted file system: its directory operations (Linux's
 * `inode_operations` of directories and symlinks plus `iterate_shared`) and
 * superblock facts. ramfs, shmfs, procfs and hostfs implement it.
 *
 * The VFS does the checks Linux's fs/namei.c does before calling in: search
 * and write permission, sticky directories, existence (`create` is only
 * called for a name that `lookup` did not find), file types for `rename`,
 * name length (<= NAME_MAX). A file system answers `-errno` for what only it
 * knows: `-ENOTEMPTY`, `-ENOSPC`, `-EROFS`, `-EPERM`.
 *
 * `lookup` must return the same Inode object for the same file each time: the
 * VFS names files by the dentries it caches for them.
 */
export interface FileSystem {
  /** The type as /proc/mounts shows it: "tmpfs", "ramfs", "proc". */
  readonly type: string;
  /** st_dev of every inode (major * 256 + minor; anonymous file systems use major 0). */
  readonly deviceId: number;
  /**
   * Largest file size (s_maxbytes): writes and truncates past it are EFBIG.
   * A bigint past 2^53 (tmpfs: MAX_LFS_FILESIZE); a file system whose limit
   * is a number never sees a bigint position (the VFS answers for it).
   */
  readonly maxFileSize: FileOffset;
  /** A read-only mount: writes are EROFS. */
  readonly readOnly: boolean;

  root(): Inode;
  /** The child `name` of directory `dir`, or `-ENOENT`. */
  lookup(dir: Inode, name: string, caller: FsCaller): Inode | number;
  /*
   * The directory operations below are optional, as a Linux inode's
   * i_op->create etc.: a file system without one (procfs, sysfs) gets the
   * VFS's answer after its own checks — EACCES for create (vfs_create),
   * EPERM for mkdir, mknod, symlink, unlink, rmdir and rename (vfs_mkdir ...).
   */
  /** Make a regular file `name` in `dir`. */
  create?(dir: Inode, name: string, attrs: NewInode): Inode | number;
  mkdir?(dir: Inode, name: string, attrs: NewInode): Inode | number;
  symlink?(dir: Inode, name: string, target: string, attrs: NewInode): Inode | number;
  /**
   * Make the special file `name` in `dir` (i_op->mknod): a FIFO, a socket,
   * or a character or block device node, as `attrs.mode`'s type says;
   * `rdev` is the device number (`major * 256 + minor` for minors below 256,
   * new_encode_dev in general), 0 for a FIFO or socket. The VFS has checked
   * the type, CAP_MKNOD and permissions (vfs_mknod); absent means EPERM.
   * Opening the node is the VFS's (init_special_inode: `SpecialFiles`).
   */
  mknod?(dir: Inode, name: string, attrs: NewInode, rdev: number): Inode | number;
  /** Remove the non-directory entry `name` (drops one link). */
  unlink?(dir: Inode, name: string): number;
  /** Remove the directory `name`: `-ENOTEMPTY` unless it is empty. */
  rmdir?(dir: Inode, name: string): number;
  /**
   * Move `oldName` in `oldDir` to `newName` in `newDir`, replacing what is
   * there (the VFS has checked that a replaced entry has the same kind, file
   * or directory); a replaced directory must be empty (`-ENOTEMPTY`).
   */
  rename?(oldDir: Inode, oldName: string, newDir: Inode, newName: string): number;
  /** The target of a symlink. */
  readlink(link: Inode, caller: FsCaller): string | number;
  /** Entries of `dir` from position `offset` (>= 2) on, in position order. */
  readdir(dir: Inode, offset: number, caller: FsCaller): Iterable<DirEntry>;
  /**
   * The name of a file of a pseudo file system that is in no tree, as
   * `d_op->d_dname` (pipefs: `pipe:[ino]`, anon inodes): `displayPath`
   * (and so /proc/[pid]/fd links) shows it instead of a path.
   */
  dname?(inode: Inode): string;
  /** Make an unlinked regular file (O_TMPFILE); absent means EOPNOTSUPP. */
  tmpfile?(dir: Inode, attrs: NewInode): Inode | number;
  /**
   * Add the name `name` in `dir` for the existing non-directory `inode` (a
   * hard link; the VFS has made link(2)'s checks). Absent means EPERM, as a
   * Linux file system without `i_op->link`.
   */
  link?(inode: Inode, dir: Inode, name: string): number;
  /** The figures statfs(2) reports (the superblock's `statfs`); absent means ENOSYS. */
  statfs?(): FsStatistics;
  /**
   * Direct I/O (O_DIRECT) on the regular files: the alignment in bytes a
   * direct read's or write's position and length need (the device's logical
   * block size for a block file system, EINVAL otherwise, as iomap_dio_rw;
   * 1 for tmpfs, which takes any). Absent: no direct I/O, so open(O_DIRECT)
   * and fcntl(F_SETFL, O_DIRECT) are EINVAL (do_dentry_open and setfl
   * without FMODE_CAN_ODIRECT: ramfs, procfs, sysfs).
   */
  readonly directIoAlignment?: number;
  /**
   * The block device the instance lives on (a disk file system, mounted
   * with `FsRequest.device`); absent for a file system without one.
   * /proc/self/mountinfo shows its number; umount releases its claim.
   */
  readonly device?: BlockDevice;
  /**
   * sync_filesystem: write every dirty page and all metadata back to the
   * backing store and flush it (sync(2), syncfs(2), and before `shutdown`);
   * 0 or `-errno` (`-EIO`). Absent: nothing is ever dirty.
   */
  sync?(): number;
  /**
   * The last mount of the instance is gone (deactivate_super -> kill_sb ->
   * put_super): after a `sync`, drop what is held in memory. The VFS then
   * releases the device's claim. Open files keep a detached mount, so this
   * runs only when nothing refers to the instance.
   */
  shutdown?(): void;
}

/**
 * What a file system reports to statfs(2), as Linux's `struct kstatfs`
 * before the VFS adds the mount's flags and the fsid. Counts are in blocks
 * of `blockSize` bytes; 0 for a figure the file system does not limit.
 */
export interface FsStatistics {
  /** f_type: the file system's magic number (`FS_MAGIC` in `@tskern/abi`). */
  readonly magic: number;
  readonly blockSize: number;
  readonly blocks: number;
  readonly freeBlocks: number;
  readonly availableBlocks: number;
  readonly files: number;
  readonly freeFiles: number;
  /** Longest name (f_namelen). */
  readonly nameMax: number;
}
