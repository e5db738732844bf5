import { CAP, Errno } from '@tskern/abi';
import type { BlockDevice } from '@tskern/block-api';
import { capable, type IoctlContext } from '@tskern/vfs';
import { MAX_SECTORS, type BlockLayer, type BlockOpenMode } from './block-driver';

/**
 * The block layer's ioctl requests (include/uapi/linux/fs.h): _IO(0x12, n)
 * and, for the size_t and __u64 ones, _IOR/_IOW with size 8, the same
 * numbers on x86-64 and riscv64.
 */
export const BLK = {
  BLKROSET: 0x125d,
  BLKROGET: 0x125e,
  BLKRRPART: 0x125f,
  BLKGETSIZE: 0x1260,
  BLKFLSBUF: 0x1261,
  BLKRASET: 0x1262,
  BLKRAGET: 0x1263,
  BLKFRASET: 0x1264,
  BLKFRAGET: 0x1265,
  BLKSECTGET: 0x1267,
  BLKSSZGET: 0x1268,
  BLKBSZGET: 0x80081270,
  BLKBSZSET: 0x40081271,
  BLKGETSIZE64: 0x80081272,
  BLKDISCARD: 0x1277,
  BLKIOMIN: 0x1278,
  BLKIOOPT: 0x1279,
  BLKALIGNOFF: 0x127a,
  BLKPBSZGET: 0x127b,
  BLKDISCARDZEROES: 0x127c,
  BLKSECDISCARD: 0x127d,
  BLKROTATIONAL: 0x127e,
  BLKZEROOUT: 0x127f,
  BLKGETDISKSEQ: 0x80081280,
  BLKREPORTZONE: 0xc0101282,
  BLKRESETZONE: 0x40101283,
  BLKGETZONESZ: 0x80041284,
  BLKGETNRZONES: 0x80041285,
  BLKOPENZONE: 0x40101286,
  BLKCLOSEZONE: 0x40101287,
  BLKFINISHZONE: 0x40101288,
  HDIO_GETGEO: 0x0301,
  BLKPG: 0x1269,
} as const;

/**
 * blkpg_ioctl: CAP_SYS_ADMIN (EACCES), the 24-byte struct blkpg_ioctl_arg
 * and the 152-byte struct blkpg_partition its `data` points at (EFAULT), a
 * partition number above 0 (EINVAL). No tskern disk holds partitions: adding
 * or resizing one is EINVAL (GENHD_FL_NO_PART), deleting one ENXIO (none
 * has that number).
 */
function blkpg(ctx: IoctlContext, arg: number, admin: boolean): number {
  if (!admin) return -Errno.EACCES;
  const a = new Uint8Array(24);
  if (ctx.copyIn(arg, a, 0, 24) < 0) return -Errno.EFAULT;
  const av = new DataView(a.buffer);
  const op = av.getInt32(0, true);
  const p = new Uint8Array(152);
  if (ctx.copyIn(Number(av.getBigUint64(16, true)), p, 0, 152) < 0) return -Errno.EFAULT;
  if (new DataView(p.buffer).getInt32(16, true) <= 0) return -Errno.EINVAL;
  return op === BLKPG_DEL_PARTITION ? -Errno.ENXIO : -Errno.EINVAL;
}

const BLKPG_DEL_PARTITION = 2;

/** The persistent-reservation requests (linux/pr.h IOC_PR_*): EOPNOTSUPP for a disk without pr_ops. */
const PR_REQUESTS = new Set([0x401870c8, 0x401070c9, 0x401070ca, 0x401870cb, 0x401870cc, 0x401070cd]);

/** put_int/put_uint/put_ulong/put_u64: a little-endian integer of `bytes` bytes at `arg`. */
function put(ctx: IoctlContext, arg: number, value: number, bytes: 2 | 4 | 8): number {
  const b = new Uint8Array(bytes);
  const v = new DataView(b.buffer);
  if (bytes === 2) v.setUint16(0, value, true);
  else if (bytes === 4) v.setUint32(0, value >>> 0, true);
  else v.setBigUint64(0, BigInt(value), true);
  return ctx.copyOut(arg, b, 0, bytes) < 0 ? -Errno.EFAULT : 0;
}

/** get_user of an int at `arg`, or -EFAULT. */
function getInt(ctx: IoctlContext, arg: number): number | { readonly fault: true } {
  const b = new Uint8Array(4);
  if (ctx.copyIn(arg, b, 0, 4) < 0) return { fault: true };
  return new DataView(b.buffer).getInt32(0, true);
}

/** The `uint64_t range[2]` of BLKDISCARD, BLKZEROOUT and BLKSECDISCARD, or -EFAULT. */
function getRange(ctx: IoctlContext, arg: number): [bigint, bigint] | number {
  const b = new Uint8Array(16);
  if (ctx.copyIn(arg, b, 0, 16) < 0) return -Errno.EFAULT;
  const v = new DataView(b.buffer);
  return [v.getBigUint64(0, true), v.getBigUint64(8, true)];
}

/** Write zeros over [start, start + length) in chunks (blkdev_issue_zeroout without a driver's help). */
export function zeroOut(device: BlockDevice, start: number, length: number): number {
  const chunk = new Uint8Array(Math.min(length, 1 << 20));
  for (let at = start; at < start + length; at += chunk.length) {
    const n = Math.min(chunk.length, start + length - at);
    const r = device.write(at, chunk, 0, n);
    if (r < 0) return r;
    if (r < n) return -Errno.EIO;
  }
  return 0;
}

/**
 * blkdev_ioctl (block/ioctl.c): the block layer's requests for a device
 * opened with `mode`, then the driver's (lo_ioctl), ENOTTY without one.
 */
export function blockIoctl(layer: BlockLayer, device: BlockDevice, mode: BlockOpenMode, holder: object, request: number, arg: number, ctx: IoctlContext): number {
  const devices = layer.devices;
  const admin = () => capable(ctx.cred, CAP.CAP_SYS_ADMIN);
  switch (request >>> 0) {
    // blkdev_common_ioctl
    case BLK.BLKFLSBUF: // blkdev_flushbuf: nothing is buffered above the device
      if (!admin()) return -Errno.EACCES;
      return 0;
    case BLK.BLKROSET: {
      // blkdev_roset: the bdev's read-only policy flag
      if (!admin()) return -Errno.EACCES;
      const n = getInt(ctx, arg);
      if (typeof n !== 'number') return -Errno.EFAULT;
      devices.setReadOnly(device, n !== 0);
      return 0;
    }
    case BLK.BLKDISCARD: {
      // blk_ioctl_discard
      if (!mode.writable) return -Errno.EBADF;
      if (device.discard === undefined) return -Errno.EOPNOTSUPP;
      if (devices.readOnly(device)) return -Errno.EPERM;
      const r = getRange(ctx, arg);
      if (typeof r === 'number') return r;
      const [start, len] = r;
      const mask = BigInt(device.logicalBlockSize - 1);
      if (len === 0n || ((start | len) & mask) !== 0n || start + len > BigInt(device.size())) return -Errno.EINVAL;
      return device.discard(Number(start), Number(len));
    }
    case BLK.BLKZEROOUT: {
      // blk_ioctl_zeroout
      if (!mode.writable) return -Errno.EBADF;
      const r = getRange(ctx, arg);
      if (typeof r === 'number') return r;
      const [start, len] = r;
      const end = start + len - 1n;
      if ((start & 511n) !== 0n || (len & 511n) !== 0n || end >= BigInt(device.size()) || end < start) return -Errno.EINVAL;
      return zeroOut(device, Number(start), Number(len));
    }
    case BLK.BLKSECDISCARD: // blk_ioctl_secure_erase: no driver here can erase securely
      if (!mode.writable) return -Errno.EBADF;
      return -Errno.EOPNOTSUPP;
    case BLK.BLKRASET: // the value itself, not a pointer
    case BLK.BLKFRASET:
      if (!admin()) return -Errno.EACCES;
      layer.setReadAhead(device, arg);
      return 0;
    case BLK.BLKRAGET:
    case BLK.BLKFRAGET:
      return put(ctx, arg, layer.readAhead(device), 8);
    case BLK.BLKSECTGET: // an unsigned short
      return put(ctx, arg, MAX_SECTORS, 2);
    case BLK.BLKROTATIONAL: // no tskern disk is rotational (BLK_FEAT_ROTATIONAL is not set)
      return put(ctx, arg, 0, 2);
    // No tskern disk is zoned: the zone geometry is 0 and the zone operations ENOTTY (blkdev_report_zones_ioctl).
    case BLK.BLKGETZONESZ:
    case BLK.BLKGETNRZONES:
      return put(ctx, arg, 0, 4);
    case BLK.BLKREPORTZONE:
    case BLK.BLKRESETZONE:
    case BLK.BLKOPENZONE:
    case BLK.BLKCLOSEZONE:
    case BLK.BLKFINISHZONE:
      return -Errno.ENOTTY;
    case BLK.HDIO_GETGEO: // blkdev_getgeo: no driver here has a geometry
      return -Errno.ENOTTY;
    case BLK.BLKPG:
      return blkpg(ctx, arg, admin());
    case BLK.BLKGETDISKSEQ:
      return put(ctx, arg, layer.driverOf(device)?.diskSequence?.(device) ?? 0, 8);
    case BLK.BLKROGET:
      return put(ctx, arg, devices.readOnly(device) ? 1 : 0, 4);
    case BLK.BLKSSZGET:
      return put(ctx, arg, device.logicalBlockSize, 4);
    case BLK.BLKPBSZGET:
      return put(ctx, arg, device.physicalBlockSize, 4);
    case BLK.BLKIOMIN: // io_min: the logical block size for the drivers here
      return put(ctx, arg, device.logicalBlockSize, 4);
    case BLK.BLKIOOPT:
    case BLK.BLKALIGNOFF:
    case BLK.BLKDISCARDZEROES: // always 0 since Linux 4.12
      return put(ctx, arg, 0, 4);
    case BLK.BLKGETSIZE: // in 512-byte sectors, an unsigned long
      return put(ctx, arg, Math.floor(device.size() / 512), 8);
    case BLK.BLKGETSIZE64:
      return put(ctx, arg, device.size(), 8);
    case BLK.BLKBSZGET: // put_int, though the number says size_t
      return put(ctx, arg, devices.blockSize(device), 4);
    case BLK.BLKBSZSET: {
      // blkdev_bszset: only the exclusive opener, or while nobody holds the device
      if (!admin()) return -Errno.EACCES;
      const n = getInt(ctx, arg);
      if (typeof n !== 'number') return -Errno.EFAULT;
      const h = devices.holder(device);
      if (!mode.exclusive && h !== undefined && h !== holder) return -Errno.EBUSY;
      return devices.setBlockSize(device, n) ? 0 : -Errno.EINVAL;
    }
    case BLK.BLKRRPART: // disk_scan_partitions: EINVAL for a disk that may not have any
      if (!admin()) return -Errno.EACCES;
      return layer.driverOf(device)?.partitionScan?.(device) === true ? 0 : -Errno.EINVAL;
    default: {
      if (PR_REQUESTS.has(request >>> 0)) return -Errno.EOPNOTSUPP; // blkdev_pr_*: no pr_ops
      const driver = layer.driverOf(device);
      if (driver?.ioctl === undefined) return -Errno.ENOTTY;
      return driver.ioctl(device, request, arg, ctx, mode);
    }
  }
}
