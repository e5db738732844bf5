import { BlockLayer, type DevFs } from '@tskern/devices';
import { LoopDriver } from '@tskern/loop';
import type { SysFs } from '@tskern/sysfs';
import type { Vfs } from '@tskern/vfs';

/**
 * The block layer over the VFS's device table, with the loop driver's
 * loop0..loop7 in /dev and /sys/block (loop_init with max_loop 8), as a
 * Linux kernel built with CONFIG_BLK_DEV_LOOP has at boot.
 */
export function startBlockDevices(vfs: Vfs, dev: DevFs, sys: SysFs): LoopDriver {
  return new LoopDriver({ layer: new BlockLayer(vfs.blockDevices), dev, sys });
}
