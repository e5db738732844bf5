import { Errno, S } from '@tskern/abi';
import type { FrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import type { FileOperations, Inode, Vfs } from '@tskern/vfs';
import { BlockDeviceInode } from './block-device-inode';
import type { BlockLayer } from './block-driver';
import { CharDeviceInode, type CharDevice } from './char-device';
import { fullDevice, nullDevice, zeroDevice } from './mem-devices';
import { randomDevices } from './random-devices';
import { CryptoRandomSource, type RandomSource } from './random-source';

/** Options of /dev. */
export interface DevFsOptions {
  readonly frames: FrameAllocator;
  /** Where /dev/random and /dev/urandom read; the host CSPRNG by default. */
  readonly random?: RandomSource;
  readonly deviceId?: number;
}

/**
 * devtmpfs: a tmpfs (regular files and directories as ramfs) whose device
 * nodes the kernel makes itself (devtmpfs_create_node), owned by root.
 */
export class DevFs extends RamFs {
  /** The character drivers by device number (the chrdevs/cdev_map chrdev_open looks in). */
  private readonly charDevices = new Map<number, CharDevice>();

  constructor(options: { readonly frames: FrameAllocator; readonly deviceId?: number }) {
    super({ frames: options.frames, type: 'devtmpfs', deviceId: options.deviceId, rootMode: S.S_IFDIR | 0o755 });
  }

  /** Make the node `device.name` in the root; EEXIST when the name is taken. */
  addCharDevice(device: CharDevice): Inode | number {
    const root = this.dir(this.root());
    if (root.get(device.name) !== undefined) return -Errno.EEXIST;
    const node = new CharDeviceInode(this, this.allocIno(), device, { uid: 0, gid: 0 }, this.clock);
    node.addLink();
    root.add(device.name, node);
    this.charDevices.set(node.rdev, device);
    return node;
  }

  /**
   * chrdev_open for any character node (one mknod(2) made elsewhere): the
   * operations of the driver registered under `rdev`, ENXIO when none is.
   */
  openCharDevice(rdev: number): FileOperations | number {
    return this.charDevices.get(rdev)?.open() ?? -Errno.ENXIO;
  }

  /**
   * Make the block special file `name` for device number `deviceNumber`
   * (devtmpfs_create_node for an add_disk), root-owned with `mode`; opens
   * find the device in `layer`. EEXIST when the name is taken.
   */
  addBlockDevice(name: string, deviceNumber: number, mode: number, layer: BlockLayer): Inode | number {
    const root = this.dir(this.root());
    if (root.get(name) !== undefined) return -Errno.EEXIST;
    const node = new BlockDeviceInode(this, this.allocIno(), layer, deviceNumber, { mode, uid: 0, gid: 0 }, this.clock);
    node.addLink();
    root.add(name, node);
    return node;
  }

  /** The registered character majors of the devices in /dev (those whose driver is named), for /proc/devices. */
  charMajors(): [major: number, name: string][] {
    const out = new Map<number, string>();
    for (const [, inode] of this.dir(this.root()).from(0)) {
      if (inode instanceof CharDeviceInode && inode.device.driver !== undefined) out.set(inode.device.major, inode.device.driver);
    }
    return [...out.entries()];
  }

  /** devtmpfs_delete_node: remove the node `name` (del_gendisk, misc_deregister); ENOENT when absent. */
  removeNode(name: string): number {
    return this.unlink(this.root(), name);
  }
}

/** The devices every Linux system has in /dev: null, zero, full, random, urandom. */
export function standardDevices(random: RandomSource = new CryptoRandomSource()): readonly CharDevice[] {
  return [nullDevice, zeroDevice, fullDevice, ...randomDevices(random)];
}

/** A /dev file system with the standard devices. */
export function createDevFs(options: DevFsOptions): DevFs {
  const fs = new DevFs(options);
  for (const d of standardDevices(options.random)) fs.addCharDevice(d);
  return fs;
}

/** Mount `dev` on /dev (or `path`) of `vfs`, making missing directories as root (0755). 0 or -errno. */
export function mountDev(vfs: Vfs, dev: DevFs, path = '/dev'): number {
  return vfs.mountCreating(path, dev, 0o755);
}
