import { FS_MAGIC, MAX_LFS_FILESIZE, type FileOffset } from '@tskern/abi';
import type { FrameAllocator } from '@tskern/pagealloc';
import { SimpleFileSystem, type Clock, type FsStatistics, type NewInode, type SimpleInode } from '@tskern/vfs';
import { RamFile } from './ram-file';

/**
 * The largest file ramfs keeps: MAX_LFS_FILESIZE, 2^63 - 1, as Linux's
 * tmpfs and ramfs (s_maxbytes), sparse; sizes past 2^53 are exact bigints.
 */
export const RAMFS_MAX_FILE_SIZE: FileOffset = MAX_LFS_FILESIZE;

/** Options of a RamFs. */
export interface RamFsOptions {
  /** The kernel's frame allocator: file data lives in its frames. */
  readonly frames: FrameAllocator;
  /** The type /proc/mounts shows; "ramfs" by default, "tmpfs" for shmfs. */
  readonly type?: string;
  /** st_dev; a fresh anonymous device by default. */
  readonly deviceId?: number;
  /** Mode of the root directory (default 0755; tmpfs mounts like /dev/shm use 01777). */
  readonly rootMode?: number;
  readonly rootUid?: number;
  readonly rootGid?: number;
  readonly maxFileSize?: FileOffset;
  readonly clock?: Clock;
  /** SB_RDONLY: mounted read-only (mount(2) with MS_RDONLY). */
  readonly readOnly?: boolean;
  /**
   * Files get Linux's ramfs_file_operations (fs/ramfs/file-mmu.c): no
   * fallocate (so no hole punching: fallocate and MADV_REMOVE are
   * EOPNOTSUPP) and SEEK_DATA/SEEK_HOLE by generic_file_llseek (the whole
   * file is data). What mount(2) of "ramfs" makes. Default false: tmpfs's
   * (mm/shmem.c), which the kernel's root file system keeps, as Linux's
   * rootfs is a tmpfs when the kernel has tmpfs (init/do_mounts.c).
   */
  readonly ramfsFileOperations?: boolean;
}

/**
 * An in-memory file system whose regular files are RamFiles (their own page
 * cache over the kernel's frames) and whose directories and symlinks are the
 * VFS's libfs ones. A file's frames go back to the allocator when it has no
 * links, no open file descriptions and no mapping handles.
 */
export class RamFs extends SimpleFileSystem {
  readonly frames: FrameAllocator;
  /** Files have tmpfs's operations (see `RamFsOptions.ramfsFileOperations`). */
  readonly shmem: boolean;
  /**
   * O_DIRECT: tmpfs takes it at any position and length since Linux 6.6
   * (shmem_file_open sets FMODE_CAN_ODIRECT; measured on 6.18 /dev/shm);
   * ramfs refuses it (EINVAL), having no direct I/O.
   */
  readonly directIoAlignment?: number;

  constructor(options: RamFsOptions) {
    super({
      type: options.type ?? 'ramfs',
      deviceId: options.deviceId,
      maxFileSize: options.maxFileSize ?? RAMFS_MAX_FILE_SIZE,
      rootMode: options.rootMode,
      rootUid: options.rootUid,
      rootGid: options.rootGid,
      clock: options.clock,
      readOnly: options.readOnly,
      magic: (options.type ?? 'ramfs') === 'tmpfs' ? FS_MAGIC.TMPFS_MAGIC : FS_MAGIC.RAMFS_MAGIC,
    });
    this.frames = options.frames;
    this.shmem = options.ramfsFileOperations !== true;
    if (this.magic === FS_MAGIC.TMPFS_MAGIC) this.directIoAlignment = 1;
  }

  /**
   * statfs: ramfs reports no limits (simple_statfs); tmpfs (shmem_statfs)
   * reports its size limit, which here is the frame allocator's: every frame
   * it can hand out, and those still free. There is no inode limit (0, as
   * tmpfs with nr_inodes=0).
   */
  override statfs(): FsStatistics {
    const base = super.statfs();
    if (this.magic !== FS_MAGIC.TMPFS_MAGIC) return base;
    const { totalFrames, freeFrames } = this.frames.stats();
    return { ...base, blocks: totalFrames, freeBlocks: freeFrames, availableBlocks: freeFrames };
  }

  protected newFile(attrs: NewInode): SimpleInode {
    return new RamFile(this, this.allocIno(), attrs, this.clock, this.frames, this.shmem, this.magic === FS_MAGIC.TMPFS_MAGIC);
  }
}
