/**
 * A block device as the rest of the kernel sees it: Linux's `struct
 * block_device` with the request path reduced to synchronous byte-range
 * reads and writes (submit_bio_wait). A driver (the loop driver, a
 * RAM disk, a host image) implements it; a disk file system reads its
 * superblock and blocks through it; the block special file (/dev/loop0)
 * reads and writes it for a program such as mkfs.
 *
 * Offsets and lengths are bytes. Callers that stand for the block layer
 * (a file system, the block special file) keep them multiples of
 * `logicalBlockSize`, as a bio is; a driver may accept any range.
 * Answers are counts or `-errno` (`-EIO`, `-ENXIO` when no medium is
 * bound, `-EROFS`), never thrown.
 */
export interface BlockDevice {
  /** The disk name as /proc/partitions and /sys/block show it ("loop0"). */
  readonly name: string;
  /** st_rdev of its node: `major * 256 + minor` (MKDEV for minors below 256). */
  readonly deviceNumber: number;
  /** bdev_logical_block_size: the smallest addressable unit (512 unless set otherwise). */
  readonly logicalBlockSize: number;
  /** bdev_physical_block_size (BLKPBSZGET). */
  readonly physicalBlockSize: number;

  /** Size in bytes (bdev_nr_bytes); 0 for a device with no medium (an unbound loop device). */
  size(): number;
  /** bdev_read_only: writes answer -EROFS. */
  readOnly(): boolean;

  /** Read `length` bytes at `pos` into `dst` at `dstOffset`: the count (short only at the end), or `-errno`. */
  read(pos: number, dst: Uint8Array, dstOffset: number, length: number): number;
  /** Write `length` bytes at `pos` from `src` at `srcOffset`: the count (short only at the end), or `-errno`. */
  write(pos: number, src: Uint8Array, srcOffset: number, length: number): number;
  /** A cache flush (REQ_PREFLUSH, blkdev_issue_flush): 0 or `-errno`. */
  flush(): number;
  /**
   * Discard `[pos, pos + length)` (BLKDISCARD, REQ_OP_DISCARD): later reads
   * of it return zeros where the driver promises so. Absent: -EOPNOTSUPP.
   */
  discard?(pos: number, length: number): number;
  /**
   * block_device_operations.open: a new opener (a block special file's open,
   * a mount), through `BlockDevices.open`. 0 or `-errno`; absent: always 0.
   */
  open?(writable: boolean): number;
  /** block_device_operations.release: an opener is gone (lo_release detaches an autoclear loop at the last). */
  release?(): void;
}
