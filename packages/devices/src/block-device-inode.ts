import { Errno, O, PAGE_SIZE, S } from '@tskern/abi';
import type { BlockDevice } from '@tskern/block-api';
import { SimpleInode, type Clock, type FileOperations, type FileSystem } from '@tskern/vfs';
import type { BlockLayer, BlockOpenMode } from './block-driver';
import { blockFileOperations } from './block-file';

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

  /**
   * bdev_open: ENXIO without a device; with O_EXCL the open claims the
   * device (EBUSY while mounted or held by another O_EXCL open); then the
   * driver hears of the opener (lo_open).
   */
  open(flags: number): FileOperations | number {
    const device: BlockDevice | undefined = this.layer.devices.get(this.rdev);
    if (device === undefined) return -Errno.ENXIO;
    const acc = flags & O.O_ACCMODE;
    const mode: BlockOpenMode = { writable: acc === O.O_WRONLY || acc === O.O_RDWR, exclusive: (flags & O.O_EXCL) !== 0 };
    const holder = {};
    if (mode.exclusive && !this.layer.devices.claim(device, holder)) return -Errno.EBUSY;
    const err = this.layer.devices.open(device, mode.writable);
    if (err < 0) {
      if (mode.exclusive) this.layer.devices.release(device, holder);
      return err;
    }
    return blockFileOperations(this.layer, device, mode, holder);
  }
}
