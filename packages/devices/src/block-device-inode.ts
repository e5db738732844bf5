import { Errno, FALLOC_FL, O, PAGE_SIZE, S, type FileOffset } from '@tskern/abi';
import type { BlockDevice } from '@tskern/block-api';
import { SimpleInode, type Clock, type FileOperations, type FileSystem } from '@tskern/vfs';
import type { BlockLayer, BlockOpenMode } from './block-driver';
import { blockFileOperations } from './block-file';
import { zeroOut } from './block-ioctl';

/** BLKDEV_FALLOC_FL_SUPPORTED. */
const FALLOC_SUPPORTED = FALLOC_FL.FALLOC_FL_KEEP_SIZE | FALLOC_FL.FALLOC_FL_PUNCH_HOLE | FALLOC_FL.FALLOC_FL_ZERO_RANGE | FALLOC_FL.FALLOC_FL_WRITE_ZEROES;

/**
 * A block special file (S_IFBLK, as devtmpfs makes /dev/loop0): st_rdev is
 * the device number, st_size 0 (the node is not the device), st_blksize
 * the device's minimum I/O size. An open finds the device by number then
 * (blkdev_open -> bdev_open): ENXIO when no driver has it.
 */
export class BlockDeviceInode extends SimpleInode {
  override readonly rdev: number;

  constructor(
    fs: FileSystem,
    ino: number,
    private readonly layer: BlockLayer,
    deviceNumber: number,
    attrs: { readonly mode: number; readonly uid: number; readonly gid: number },
    clock: Clock,
  ) {
    super(fs, ino, { mode: S.S_IFBLK | (attrs.mode & 0o7777), uid: attrs.uid, gid: attrs.gid }, clock);
    this.rdev = deviceNumber;
  }

  size(): number {
    return 0;
  }

  /** bdev_statx: the device's io_min (its logical block size here), the page size without one. */
  statBlockSize(): number {
    return this.layer.devices.get(this.rdev)?.logicalBlockSize ?? PAGE_SIZE;
  }

  /** bdev_open of the device this node names (`openBlockDevice`). */
  open(flags: number): FileOperations | number {
    return openBlockDevice(this.layer, this.rdev, flags);
  }

  /**
   * blkdev_fallocate: zero a range of the device (ZERO_RANGE, WRITE_ZEROES)
   * or discard it (PUNCH_HOLE | KEEP_SIZE); EINVAL from its end on (past it
   * only with KEEP_SIZE, cut short) or off the logical block size;
   * EOPNOTSUPP for any other mode, plain allocation included.
   */
  fallocate(mode: number, offset: FileOffset, length: FileOffset): number {
    const device = this.layer.devices.get(this.rdev);
    if (device === undefined) return -Errno.ENXIO;
    if ((mode & ~FALLOC_SUPPORTED) !== 0) return -Errno.EOPNOTSUPP;
    const size = device.size();
    const start = Number(offset);
    let len = Number(length);
    if (start >= size) return -Errno.EINVAL;
    if (start + len > size) {
      if ((mode & FALLOC_FL.FALLOC_FL_KEEP_SIZE) === 0) return -Errno.EINVAL;
      len = size - start;
    }
    if (start % device.logicalBlockSize !== 0 || len % device.logicalBlockSize !== 0) return -Errno.EINVAL;
    switch (mode) {
      case FALLOC_FL.FALLOC_FL_ZERO_RANGE:
      case FALLOC_FL.FALLOC_FL_ZERO_RANGE | FALLOC_FL.FALLOC_FL_KEEP_SIZE:
      case FALLOC_FL.FALLOC_FL_WRITE_ZEROES:
        return zeroOut(device, start, len);
      case FALLOC_FL.FALLOC_FL_PUNCH_HOLE | FALLOC_FL.FALLOC_FL_KEEP_SIZE:
        return device.discard !== undefined ? device.discard(start, len) : zeroOut(device, start, len);
      default:
        return -Errno.EOPNOTSUPP;
    }
  }
}

/**
 * blkdev_open -> bdev_open for the block device `rdev` (any block node,
 * /dev's or one mknod(2) made): ENXIO without a device; with O_EXCL the
 * open claims the device (EBUSY while mounted or held by another O_EXCL
 * open); then the driver hears of the opener (lo_open).
 */
export function openBlockDevice(layer: BlockLayer, rdev: number, flags: number): FileOperations | number {
  const device: BlockDevice | undefined = layer.devices.get(rdev);
  if (device === undefined) return -Errno.ENXIO;
  const acc = flags & O.O_ACCMODE;
  const mode: BlockOpenMode = { writable: acc === O.O_WRONLY || acc === O.O_RDWR, exclusive: (flags & O.O_EXCL) !== 0 };
  const holder = {};
  if (mode.exclusive && !layer.devices.claim(device, holder)) return -Errno.EBUSY;
  const err = layer.devices.open(device, mode.writable);
  if (err < 0) {
    if (mode.exclusive) layer.devices.release(device, holder);
    return err;
  }
  return blockFileOperations(layer, device, mode, holder);
}
