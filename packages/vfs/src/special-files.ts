import { Errno, O, S } from '@tskern/abi';
import type { FsCaller } from './credentials';
import type { FileOperations, Inode } from './inode';

/** Opens the device with number `rdev` (chrdev_open, blkdev_open): its file operations, or `-errno`. */
export type DeviceOpener = (rdev: number, flags: number, caller: FsCaller) => FileOperations | number;

/** Opens the FIFO `inode` (fifo_open): one end of the pipe the inode shares while open, or `-errno`. */
export type FifoOpener = (inode: Inode, flags: number, caller: FsCaller) => FileOperations | number;

/**
 * What opening a special file does whatever file system holds it, as
 * Linux's init_special_inode gives every FIFO, socket and device node the
 * VFS's own file operations: def_chr_fops and def_blk_fops find the driver
 * by st_rdev, pipefifo_fops makes the inode a pipe, bad_sock_fops refuses.
 * The kernel registers the openers (its character and block drivers and
 * pipes); a node whose driver is missing is ENXIO, as a socket node always
 * is (sock_no_open). A node with its own `open` (/dev's device nodes) does
 * not come here.
 */
export class SpecialFiles {
  /** Character devices by number; absent: every character node is ENXIO. */
  charDevices: DeviceOpener | null = null;
  /** Block devices by number; absent: every block node is ENXIO. */
  blockDevices: DeviceOpener | null = null;
  /** Named pipes; absent: a FIFO is ENXIO. */
  fifos: FifoOpener | null = null;

  /** Whether `inode` is a special file this registry opens. */
  handles(inode: Inode): boolean {
    if (inode.open !== undefined) return false;
    const type = inode.mode & S.S_IFMT;
    return type === S.S_IFCHR || type === S.S_IFBLK || type === S.S_IFIFO || type === S.S_IFSOCK;
  }

  /** Open the special file `inode` with `flags` (not O_PATH): its operations, or `-errno`. */
  open(inode: Inode, flags: number, caller: FsCaller): FileOperations | number {
    if ((flags & O.O_PATH) !== 0) return -Errno.EINVAL;
    switch (inode.mode & S.S_IFMT) {
      case S.S_IFCHR:
        return this.charDevices?.(inode.rdev, flags, caller) ?? -Errno.ENXIO;
      case S.S_IFBLK:
        return this.blockDevices?.(inode.rdev, flags, caller) ?? -Errno.ENXIO;
      case S.S_IFIFO:
        return this.fifos?.(inode, flags, caller) ?? -Errno.ENXIO;
      default:
        return -Errno.ENXIO;
    }
  }
}
