import { BlockLayer, formatDeviceMajors, type DevFs } from '@tskern/devices';
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
 * Linux kernel built with CONFIG_BLK_DEV_LOOP has at boot.
 */
export function startBlockDevices(vfs: Vfs, dev: DevFs, sys: SysFs): BlockSetup {
  const layer = new BlockLayer(vfs.blockDevices);
  const loop = new LoopDriver({ layer, dev, sys });
  return { loop, deviceMajors: () => formatDeviceMajors(dev.charMajors(), layer.blockMajors()) };
}
