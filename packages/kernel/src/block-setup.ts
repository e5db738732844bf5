import { BlockLayer, formatDeviceMajors, openBlockDevice, type DevFs } from '@tskern/devices';
import { openFifo } from '@tskern/pipe';
import { LoopDriver } from '@tskern/loop';
import type { SysFs } from '@tskern/sysfs';
import type { Vfs } from '@tskern/vfs';

/** The block layer as the kernel keeps it: the loop driver and the text of /proc/devices. */
export interface BlockSetup {
  readonly loop: LoopDriver;
  /** /proc/devices: the character majors of /dev's drivers and the block majors. */
  deviceMajors(): string;
}

/**
 * The block layer over the VFS's device table, with the loop driver's
 * loop0..loop7 in /dev and /sys/block (loop_init with max_loop 8), as a
 * Linux kernel built with CONFIG_BLK_DEV_LOOP has at boot; and what
 * opening a special file made by mknod(2) reaches (the drivers by number, pipes).
 */
export function startBlockDevices(vfs: Vfs, dev: DevFs, sys: SysFs): BlockSetup {
  const layer = new BlockLayer(vfs.blockDevices);
  // init_special_inode: nodes mknod(2) made anywhere open the drivers by number, FIFOs as pipes.
  vfs.specialFiles.charDevices = (rdev) => dev.openCharDevice(rdev);
  vfs.specialFiles.blockDevices = (rdev, flags) => openBlockDevice(layer, rdev, flags);
  vfs.specialFiles.fifos = (inode, flags) => openFifo(inode, flags);
  const loop = new LoopDriver({ layer, dev, sys });
  return { loop, deviceMajors: () => formatDeviceMajors(dev.charMajors(), layer.blockMajors()) };
}
