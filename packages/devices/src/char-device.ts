import { S } from '@tskern/abi';
import { SimpleInode, type Clock, type FileOperations, type FileSystem } from '@tskern/vfs';

/** st_rdev of a device: `major * 256 + minor` (new_encode_dev for minors below 256, as vfs's device ids). */
export function makeDeviceNumber(major: number, minor: number): number {
  return major * 256 + minor;
}

/**
 * A character device driver: its number and the file operations of one
 * open (the `file_operations` chrdev_open installs).
 */
export interface CharDevice {
  /** The name under /dev ("null", "urandom"). */
  readonly name: string;
  readonly major: number;
  readonly minor: number;
  /** Permission bits of the node (devtmpfs takes them from the driver's devnode). */
  readonly mode: number;
  /** Operations for a new open. */
  open(): FileOperations;
  /** The name its driver registered the major under (register_chrdev: "mem", "misc"), for /proc/devices. */
  readonly driver?: string;
  /** Mapping gives anonymous memory (mmap_zero). Absent: mmap is ENODEV. */
  readonly mapsAnonymous?: boolean;
}

/**
 * A device node: an inode with S_IFCHR and the device number as st_rdev,
 * size 0, whose opens get the driver's operations (chrdev_open).
 */
export class CharDeviceInode extends SimpleInode {
  override readonly rdev: number;
  readonly mapsAnonymous: boolean;

  constructor(
    fs: FileSystem,
    ino: number,
    readonly device: CharDevice,
    owner: { readonly uid: number; readonly gid: number },
    clock: Clock,
  ) {
    super(fs, ino, { mode: S.S_IFCHR | (device.mode & 0o7777), uid: owner.uid, gid: owner.gid }, clock);
    this.rdev = makeDeviceNumber(device.major, device.minor);
    this.mapsAnonymous = device.mapsAnonymous === true;
  }

  size(): number {
    return 0;
  }

  open(): FileOperations {
    return this.device.open();
  }
}
