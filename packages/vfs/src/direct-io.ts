import { type FileOffset } from '@tskern/abi';
import type { Inode } from './inode';
import { isDir, isReg } from './mode';

/**
 * Whether O_DIRECT is refused on a file of `inode` (FMODE_CAN_ODIRECT
 * missing, EINVAL from do_dentry_open and fcntl's setfl): a regular file of
 * a file system without `directIoAlignment`, and any directory (Linux 6.18
 * refuses O_DIRECT on ext4's and tmpfs's directories alike). Devices and
 * pipes decide for themselves (pipe2's packet mode is O_DIRECT).
 */
export function refusesDirectIo(inode: Inode): boolean {
  if (isDir(inode.mode)) return true;
  return isReg(inode.mode) && inode.fs.directIoAlignment === undefined;
}

/**
 * Whether a direct read or write of `length` bytes at `pos` of a regular
 * file breaks its file system's alignment (EINVAL, as iomap_dio_rw checks
 * position and length against the logical block size; measured on Linux
 * 6.18 ext4: 512-byte steps, even past EOF). A zero-length transfer is
 * never misaligned: it returns 0 before any check.
 */
export function misalignedDirectIo(inode: Inode, pos: FileOffset, length: number): boolean {
  const align = inode.fs.directIoAlignment;
  if (align === undefined || align <= 1 || length === 0 || !isReg(inode.mode)) return false;
  if (length % align !== 0) return true;
  return typeof pos === 'number' ? pos % align !== 0 : pos % BigInt(align) !== 0n;
}
