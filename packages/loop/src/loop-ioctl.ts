import { CAP, Errno, S } from '@tskern/abi';
import type { BlockDevices } from '@tskern/block-api';
import type { BlockOpenMode } from '@tskern/devices';
import { capable, type IoctlContext, type OpenFileDescription } from '@tskern/vfs';
import {
  decodeInfo64,
  decodeOldInfo,
  emptyInfo64,
  encodeInfo64,
  encodeOldInfo,
  LO_FLAGS,
  LOOP,
  LOOP_CONFIG_SIZE,
  LOOP_CONFIGURE_SETTABLE_FLAGS,
  LOOP_INFO64_SIZE,
  LOOP_MAJOR,
  LOOP_SET_STATUS_CLEARABLE_FLAGS,
  LOOP_SET_STATUS_SETTABLE_FLAGS,
  oldLoopInfoLayout,
  type LoopInfo64,
} from './loop-abi';
import type { LoopDevice } from './loop-device';

/** What lo_ioctl needs of the driver: the devices by number and the block layer's claims. */
export interface LoopIoctlHost {
  readonly devices: BlockDevices;
  /** The loop device with number `deviceNumber`, if there is one. */
  loopByNumber(deviceNumber: number): LoopDevice | undefined;
}

/** blk_validate_block_size: a power of two from 512 to the page size. */
function validBlockSize(size: number): boolean {
  return size >= 512 && size <= 4096 && (size & (size - 1)) === 0;
}

/** is_loop_device: a block special file of the loop major. */
function isLoopFile(file: OpenFileDescription): boolean {
  const inode = file.inode;
  return (inode.mode & S.S_IFMT) === S.S_IFBLK && Math.floor(inode.rdev / 256) % 4096 === LOOP_MAJOR;
}

/**
 * loop_validate_file: following a chain of loop devices, EBADF when it
 * leads back to `lo`, EINVAL through an unbound one; the file at the end
 * must be a regular file or a block device (EINVAL).
 */
function validateFile(host: LoopIoctlHost, lo: LoopDevice, file: OpenFileDescription): number {
  let f: OpenFileDescription | null = file;
  while (f !== null && isLoopFile(f)) {
    if (f.inode.rdev === lo.deviceNumber) return -Errno.EBADF;
    const other = host.loopByNumber(f.inode.rdev);
    if (other === undefined || other.state !== 'bound') return -Errno.EINVAL;
    f = other.backing;
  }
  if (f === null) return -Errno.EINVAL;
  const type = f.inode.mode & S.S_IFMT;
  return type === S.S_IFREG || type === S.S_IFBLK ? 0 : -Errno.EINVAL;
}

/**
 * loop_configure (LOOP_SET_FD, LOOP_CONFIGURE), in its order: EBADF
 * without the fd; EBUSY when another holder has the device (a mount, an
 * O_EXCL opener) or it is bound already; the file's validity; EINVAL for
 * flags LOOP_CONFIGURE may not set or a bad block size; the status. The
 * device is read-only when the file or the device was not opened for
 * writing.
 */
export function configure(host: LoopIoctlHost, lo: LoopDevice, mode: BlockOpenMode, file: OpenFileDescription | null, blockSize: number, info: LoopInfo64): number {
  if (file === null) return -Errno.EBADF;
  if (!mode.exclusive && host.devices.holder(lo) !== undefined) return -Errno.EBUSY; // bd_prepare_to_claim
  if (lo.state !== 'unbound') return -Errno.EBUSY;
  const err = validateFile(host, lo, file);
  if (err < 0) return err;
  if ((info.flags & ~LOOP_CONFIGURE_SETTABLE_FLAGS) !== 0) return -Errno.EINVAL;
  if (blockSize !== 0 && !validBlockSize(blockSize)) return -Errno.EINVAL;
  const saved = { offset: lo.offset, sizeLimit: lo.sizeLimit, fileName: lo.fileName };
  const st = lo.statusFromInfo(info);
  if (st < 0) {
    Object.assign(lo, saved);
    return st;
  }
  let flags = info.flags;
  if (!file.writable || !mode.writable) flags |= LO_FLAGS.READ_ONLY;
  lo.bind(file, flags, blockSize === 0 ? 512 : blockSize);
  return 0;
}

/** loop_set_status: ENXIO unless bound; AUTOCLEAR may be set or cleared, PARTSCAN only set. */
function setStatus(lo: LoopDevice, info: LoopInfo64): number {
  if (lo.state !== 'bound') return -Errno.ENXIO;
  const sizeChanged = BigInt(lo.offset) !== info.offset || BigInt(lo.sizeLimit) !== info.sizelimit;
  const err = lo.statusFromInfo(info);
  if (err < 0) return err;
  lo.flags &= ~LOOP_SET_STATUS_CLEARABLE_FLAGS;
  lo.flags |= info.flags & LOOP_SET_STATUS_SETTABLE_FLAGS;
  if (sizeChanged) lo.updateCapacity();
  return 0;
}

/**
 * loop_change_fd: a read-only bound device switches to another file of
 * the same size (ENXIO unbound, EINVAL when writable or the size differs).
 */
function changeFd(host: LoopIoctlHost, lo: LoopDevice, file: OpenFileDescription | null): number {
  if (file === null) return -Errno.EBADF;
  if (lo.state !== 'bound') return -Errno.ENXIO;
  if (!lo.readOnly()) return -Errno.EINVAL;
  const err = validateFile(host, lo, file);
  if (err < 0) return err;
  const old = lo.backing;
  if (old === null || lo.backingSize(file) !== lo.backingSize(old)) return -Errno.EINVAL;
  lo.replaceBacking(file);
  return 0;
}

/**
 * loop_clr_fd: ENXIO unless bound. The device is marked AUTOCLEAR and is
 * detached at its last close; when the caller is the only opener it stops
 * taking openers now (Lo_rundown), so the next LOOP_CLR_FD is ENXIO.
 */
function clearFd(host: LoopIoctlHost, lo: LoopDevice): number {
  if (lo.state !== 'bound') return -Errno.ENXIO;
  lo.flags |= LO_FLAGS.AUTOCLEAR;
  if (host.devices.openers(lo) === 1) lo.state = 'rundown';
  return 0;
}

function copyIn(ctx: IoctlContext, arg: number, size: number): Uint8Array | number {
  const b = new Uint8Array(size);
  return ctx.copyIn(arg, b, 0, size) < 0 ? -Errno.EFAULT : b;
}

/** lo_ioctl: the LOOP_* requests on /dev/loopN; anything else is EINVAL. */
export function loopIoctl(host: LoopIoctlHost, lo: LoopDevice, request: number, arg: number, ctx: IoctlContext, mode: BlockOpenMode): number {
  const mayChange = mode.writable || capable(ctx.cred, CAP.CAP_SYS_ADMIN);
  const fdOf = (a: number) => ctx.fileAt(a >>> 0 === a ? a : -1);
  switch (request) {
    case LOOP.LOOP_SET_FD:
      return configure(host, lo, mode, fdOf(arg), 0, emptyInfo64());
    case LOOP.LOOP_CONFIGURE: {
      const b = copyIn(ctx, arg, LOOP_CONFIG_SIZE);
      if (typeof b === 'number') return b;
      const v = new DataView(b.buffer);
      return configure(host, lo, mode, fdOf(v.getUint32(0, true)), v.getUint32(4, true), decodeInfo64(b, 8));
    }
    case LOOP.LOOP_CHANGE_FD:
      return changeFd(host, lo, fdOf(arg));
    case LOOP.LOOP_CLR_FD:
      return clearFd(host, lo);
    case LOOP.LOOP_SET_STATUS: {
      if (!mayChange) return -Errno.EPERM;
      const layout = oldLoopInfoLayout(ctx.arch);
      const b = copyIn(ctx, arg, layout.size);
      if (typeof b === 'number') return b;
      return setStatus(lo, decodeOldInfo(b, layout));
    }
    case LOOP.LOOP_SET_STATUS64: {
      if (!mayChange) return -Errno.EPERM;
      const b = copyIn(ctx, arg, LOOP_INFO64_SIZE);
      if (typeof b === 'number') return b;
      return setStatus(lo, decodeInfo64(b));
    }
    case LOOP.LOOP_GET_STATUS: {
      if (arg === 0) return -Errno.EINVAL;
      const info = lo.status();
      if (typeof info === 'number') return info;
      const b = encodeOldInfo(info, oldLoopInfoLayout(ctx.arch));
      if (b === null) return -Errno.EOVERFLOW;
      return ctx.copyOut(arg, b, 0, b.length) < 0 ? -Errno.EFAULT : 0;
    }
    case LOOP.LOOP_GET_STATUS64: {
      if (arg === 0) return -Errno.EINVAL;
      const info = lo.status();
      if (typeof info === 'number') return info;
      const b = encodeInfo64(info);
      return ctx.copyOut(arg, b, 0, b.length) < 0 ? -Errno.EFAULT : 0;
    }
    case LOOP.LOOP_SET_CAPACITY:
    case LOOP.LOOP_SET_DIRECT_IO:
    case LOOP.LOOP_SET_BLOCK_SIZE:
      if (!mayChange) return -Errno.EPERM;
      if (lo.state !== 'bound') return -Errno.ENXIO;
      if (request === LOOP.LOOP_SET_CAPACITY) {
        lo.updateCapacity();
        return 0;
      }
      if (request === LOOP.LOOP_SET_DIRECT_IO) {
        // lo_can_use_dio: the offset must be aligned to the backing store's direct I/O size (a sector here).
        if (arg !== 0 && lo.offset % 512 !== 0) return -Errno.EINVAL;
        lo.flags = arg !== 0 ? lo.flags | LO_FLAGS.DIRECT_IO : lo.flags & ~LO_FLAGS.DIRECT_IO;
        return 0;
      }
      if (lo.logicalBlockSize === arg) return 0;
      if (!validBlockSize(arg)) return -Errno.EINVAL;
      lo.setBlockSize(arg);
      return 0;
    default:
      return -Errno.EINVAL;
  }
}
