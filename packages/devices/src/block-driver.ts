import type { BlockDevice, BlockDevices } from '@tskern/block-api';
import type { IoctlContext } from '@tskern/vfs';
import { deviceMajor } from './partitions';

/** How a block special file was opened (blk_mode_t): BLK_OPEN_WRITE, BLK_OPEN_EXCL. */
export interface BlockOpenMode {
  readonly writable: boolean;
  readonly exclusive: boolean;
}

/**
 * A block driver's part of the block layer (block_device_operations beyond
 * reads and writes): its own ioctls, answered after the block layer's
 * (lo_ioctl for LOOP_*), and the disk facts BLKRRPART and BLKGETDISKSEQ ask.
 */
export interface BlockDriver {
  /** The name register_blkdev took ("loop"), as /proc/devices lists it. */
  readonly name: string;
  /** The driver's ioctl: the result or `-errno`. Absent: ENOTTY (blkdev_ioctl without fops->ioctl). */
  ioctl?(device: BlockDevice, request: number, arg: number, ctx: IoctlContext, mode: BlockOpenMode): number;
  /** disk_has_partscan: BLKRRPART rescans (0) rather than refusing (EINVAL). */
  partitionScan?(device: BlockDevice): boolean;
  /** disk->diskseq (BLKGETDISKSEQ); absent: 0. */
  diskSequence?(device: BlockDevice): number;
}

/**
 * The block layer as block special files see it: the kernel's device
 * table (`BlockDevices`, shared with mount(2)) and the drivers by major
 * number (register_blkdev).
 */
export class BlockLayer {
  private readonly drivers = new Map<number, BlockDriver>();
  /** bdi->ra_pages per device, in 512-byte sectors as BLKRAGET reports it. */
  private readonly readAheads = new Map<number, number>();

  constructor(readonly devices: BlockDevices) {}

  /** register_blkdev: the driver of devices with major `major`; false when taken. */
  registerDriver(major: number, driver: BlockDriver): boolean {
    if (this.drivers.has(major)) return false;
    this.drivers.set(major, driver);
    return true;
  }

  /** The block majors with their drivers' names, BLOCK_EXT_MAJOR's "blkext" (259, registered at boot) included. */
  blockMajors(): [major: number, name: string][] {
    return [...this.drivers.entries()].map(([major, d]): [number, string] => [major, d.name]).concat([[259, 'blkext']]);
  }

  /** The driver of `device` (by its major number), if one registered. */
  driverOf(device: BlockDevice): BlockDriver | undefined {
    return this.drivers.get(deviceMajor(device.deviceNumber));
  }

  /**
   * The read-ahead in sectors (BLKRAGET, /sys/block/<disk>/queue/read_ahead_kb
   * times 2): by default twice the request size limit, 5120 sectors, as
   * Linux 6.18 gives a loop device (read_ahead_kb 2560, max_sectors_kb 1280).
   */
  readAhead(device: BlockDevice): number {
    return this.readAheads.get(device.deviceNumber) ?? 2 * MAX_SECTORS;
  }

  /** BLKRASET: ra_pages = sectors * 512 / PAGE_SIZE, so kept in whole pages. */
  setReadAhead(device: BlockDevice, sectors: number): void {
    this.readAheads.set(device.deviceNumber, Math.floor(sectors / 8) * 8);
  }
}

/** max_sectors: BLK_DEF_MAX_SECTORS_CAP (2560 sectors, 1280 KiB), what the host's loop devices report. */
export const MAX_SECTORS = 2560;
