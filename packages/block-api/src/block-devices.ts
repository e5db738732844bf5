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
}
