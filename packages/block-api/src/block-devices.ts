import type { BlockDevice } from './block-device';

/**
 * Who holds a block device exclusively (bd_holder): a mounted file system,
 * or an open with O_EXCL. Compare block/bdev.c's bd_prepare_to_claim.
 */
export type BlockDeviceHolder = object;

/**
 * The kernel's block devices by device number (the bdev inode hash of
 * block/bdev.c), with their exclusive claims. The composition root owns
 * one; drivers add their disks; mount(2) and the block special file look
 * devices up by the node's st_rdev.
 */
export class BlockDevices {
  private readonly byNumber = new Map<number, BlockDevice>();
  private readonly holders = new Map<number, BlockDeviceHolder>();
  /** bd_openers. */
  private readonly openCounts = new Map<number, number>();
  /** BLKROSET's policy (bdev's BD_READ_ONLY), beside the driver's own read-only state. */
  private readonly readOnlyPolicy = new Set<number>();
  /** The soft block size (1 << i_blkbits of the bdev inode: BLKBSZGET, sb_set_blocksize). */
  private readonly softBlockSizes = new Map<number, number>();

  /** add_disk: false when the number is taken. */
  add(device: BlockDevice): boolean {
    if (this.byNumber.has(device.deviceNumber)) return false;
    this.byNumber.set(device.deviceNumber, device);
    return true;
  }

  /** del_gendisk. */
  remove(device: BlockDevice): void {
    if (this.byNumber.get(device.deviceNumber) === device) {
      this.byNumber.delete(device.deviceNumber);
      this.holders.delete(device.deviceNumber);
      this.openCounts.delete(device.deviceNumber);
      this.readOnlyPolicy.delete(device.deviceNumber);
      this.softBlockSizes.delete(device.deviceNumber);
    }
  }

  /** blkdev_get_no_open: the device with this st_rdev, if any. */
  get(deviceNumber: number): BlockDevice | undefined {
    return this.byNumber.get(deviceNumber);
  }

  /** Every device, in the order they were added. */
  list(): BlockDevice[] {
    return [...this.byNumber.values()];
  }

  /**
   * bd_prepare_to_claim + bd_finish_claiming: claim `device` for `holder`.
   * True when it was free or already held by the same holder (Linux lets a
   * holder claim again); false (EBUSY) when another holder has it.
   */
  claim(device: BlockDevice, holder: BlockDeviceHolder): boolean {
    const current = this.holders.get(device.deviceNumber);
    if (current !== undefined && current !== holder) return false;
    this.holders.set(device.deviceNumber, holder);
    return true;
  }

  /** bd_end_claim: `holder` gives `device` back (a no-op for any other holder). */
  release(device: BlockDevice, holder: BlockDeviceHolder): void {
    if (this.holders.get(device.deviceNumber) === holder) this.holders.delete(device.deviceNumber);
  }

  /** The device's exclusive holder, if claimed. */
  holder(device: BlockDevice): BlockDeviceHolder | undefined {
    return this.holders.get(device.deviceNumber);
  }

  /**
   * bdev_open: one more opener (a block special file's open, a mount), told
   * to the driver first (its `open`: 0 or `-errno`). The first opener sets
   * the soft block size from the size (set_init_blocksize).
   */
  open(device: BlockDevice, writable: boolean): number {
    const err = device.open?.(writable) ?? 0;
    if (err < 0) return err;
    const n = this.openCounts.get(device.deviceNumber) ?? 0;
    if (n === 0) this.softBlockSizes.set(device.deviceNumber, initialBlockSize(device));
    this.openCounts.set(device.deviceNumber, n + 1);
    return 0;
  }

  /** bdev_release: an opener is gone; the driver's `release` runs after the count drops. */
  close(device: BlockDevice): void {
    const n = (this.openCounts.get(device.deviceNumber) ?? 1) - 1;
    if (n > 0) this.openCounts.set(device.deviceNumber, n);
    else this.openCounts.delete(device.deviceNumber);
    device.release?.();
  }

  /** bd_openers: how many opens of the device are live. */
  openers(device: BlockDevice): number {
    return this.openCounts.get(device.deviceNumber) ?? 0;
  }

  /** bdev_read_only: the driver's state or BLKROSET's policy. */
  readOnly(device: BlockDevice): boolean {
    return this.readOnlyPolicy.has(device.deviceNumber) || device.readOnly();
  }

  /** BLKROSET (bdev_set_flag BD_READ_ONLY). */
  setReadOnly(device: BlockDevice, readOnly: boolean): void {
    if (readOnly) this.readOnlyPolicy.add(device.deviceNumber);
    else this.readOnlyPolicy.delete(device.deviceNumber);
  }

  /** block_size: the soft block size (set at first open, by BLKBSZSET and by a mount's sb_set_blocksize). */
  blockSize(device: BlockDevice): number {
    return this.softBlockSizes.get(device.deviceNumber) ?? initialBlockSize(device);
  }

  /**
   * set_blocksize: a power of two from 512 to BLK_MAX_BLOCK_SIZE (64 KiB
   * since Linux 6.15's large block sizes) and not below the logical block
   * size; false (EINVAL) otherwise.
   */
  setBlockSize(device: BlockDevice, size: number): boolean {
    if (size < 512 || size > BLK_MAX_BLOCK_SIZE || (size & (size - 1)) !== 0 || size < device.logicalBlockSize) return false;
    this.softBlockSizes.set(device.deviceNumber, size);
    return true;
  }
}

/** The page size set_init_blocksize stops at. */
const PAGE_SIZE = 4096;
/** BLK_MAX_BLOCK_SIZE: the largest soft block size (SZ_64K). */
const BLK_MAX_BLOCK_SIZE = 65536;

/** set_init_blocksize: from the logical block size, doubled while it divides the size, up to the page size. */
function initialBlockSize(device: BlockDevice): number {
  let size = device.logicalBlockSize;
  const bytes = device.size();
  while (size < PAGE_SIZE && bytes % (size * 2) === 0) size *= 2;
  return size;
}
