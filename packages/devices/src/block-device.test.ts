import { CAP, Errno, FALLOC_FL, O, S, SEEK } from '@tskern/abi';
import { BlockDevices, type BlockDevice } from '@tskern/block-api';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { capable, Credentials, fallocateFile, MNT, Vfs, type FsTask, type IoctlContext, type OpenFileDescription } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { BlockLayer } from './block-driver';
import { BLK } from './block-ioctl';
import { DevFs, mountDev, standardDevices } from './dev-fs';
import { SeededRandomSource } from './random-source';
import { formatDeviceMajors, formatPartitions } from './partitions';

/** A RAM disk of `bytes` bytes that records flushes and discards. */
function ramDisk(deviceNumber: number, bytes: number) {
  const data = new Uint8Array(bytes);
  const log: string[] = [];
  const disk: BlockDevice = {
    name: 'ram0',
    deviceNumber,
    logicalBlockSize: 512,
    physicalBlockSize: 512,
    size: () => bytes,
    readOnly: () => false,
    read(pos, dst, off, len) {
      dst.set(data.subarray(pos, pos + len), off);
      return Math.min(len, bytes - pos);
    },
    write(pos, src, off, len) {
      data.set(src.subarray(off, off + len), pos);
      return len;
    },
    flush: () => (log.push('flush'), 0),
    discard: (pos, len) => (log.push(`discard ${pos} ${len}`), data.fill(0, pos, pos + len), 0),
    open: (w) => (log.push(`open ${w}`), 0),
    release: () => log.push('release'),
  };
  return { disk, data, log };
}

/** User memory for ioctls: a flat buffer where addresses are offsets (0x10000 and up faults). */
function ioctlContext(file: OpenFileDescription, cred: Credentials) {
  const mem = new Uint8Array(4096);
  const ctx: IoctlContext = {
    file,
    cred,
    arch: 'riscv64',
    copyIn: (addr, dst, off, len) => (addr + len > mem.length ? -Errno.EFAULT : (dst.set(mem.subarray(addr, addr + len), off), 0)),
    copyOut: (addr, src, off, len) => (addr + len > mem.length ? -Errno.EFAULT : (mem.set(src.subarray(off, off + len), addr), 0)),
    fileAt: () => null,
  };
  return { ctx, view: new DataView(mem.buffer) };
}

function setup(bytes = 1 << 20) {
  const frames = new ArenaFrameAllocator({ frames: 64 });
  const devices = new BlockDevices();
  const vfs = new Vfs(new RamFs({ frames }), { blockDevices: devices });
  const layer = new BlockLayer(devices);
  const dev = new DevFs({ frames });
  expect(mountDev(vfs, dev)).toBe(0);
  const ram = ramDisk(0x0101, bytes);
  devices.add(ram.disk);
  expect(typeof dev.addBlockDevice('ram0', 0x0101, 0o660, layer)).toBe('object');
  expect(typeof dev.addBlockDevice('ram1', 0x0102, 0o660, layer)).toBe('object');
  const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
  const open = (path: string, flags: number): OpenFileDescription | number => vfs.open(root, path, flags, 0);
  const openOk = (path: string, flags: number): OpenFileDescription => {
    const f = open(path, flags);
    if (typeof f === 'number') throw new Error(`open ${path}: ${f}`);
    return f;
  };
  return { vfs, devices, layer, dev, ram, root, open, openOk };
}

describe('block special files', () => {
  it('stat as S_IFBLK with the number, size 0 and the logical block size as st_blksize', () => {
    const { vfs, root } = setup();
    expect(vfs.stat(root, '/dev/ram0', true)).toMatchObject({ mode: S.S_IFBLK | 0o660, rdev: 0x0101, size: 0, blksize: 512, uid: 0 });
  });

  it('open through a nodev mount is EACCES (may_open_dev), except O_PATH', () => {
    const { vfs, root, open } = setup();
    expect(vfs.mkdir(root, '/d2', 0o755)).toBe(0);
    const dev = vfs.lookup(root, '/dev', true);
    const d2 = vfs.lookup(root, '/d2', true);
    if (typeof dev === 'number' || typeof d2 === 'number') throw new Error('lookup');
    expect(vfs.bindMount(dev, d2)).toBe(0);
    const bound = vfs.lookup(root, '/d2', true);
    if (typeof bound === 'number') throw new Error('lookup');
    bound.mount.flags |= MNT.NODEV;
    expect(open('/d2/ram0', O.O_RDONLY)).toBe(-Errno.EACCES);
    expect(typeof open('/d2/ram0', O.O_PATH)).toBe('object');
    expect(typeof open('/dev/ram0', O.O_RDONLY)).toBe('object');
  });

  it('open is ENXIO when no driver has the number', () => {
    const { open } = setup();
    expect(open('/dev/ram1', O.O_RDWR)).toBe(-Errno.ENXIO);
  });

  it('reads and writes the device, stopping at its end (0 to read, ENOSPC to write)', () => {
    const { openOk, ram } = setup(4096);
    const f = openOk('/dev/ram0', O.O_RDWR);
    expect(f.pwrite(new Uint8Array([1, 2, 3]), 0, 3, 100)).toBe(3);
    expect([...ram.data.subarray(100, 103)]).toEqual([1, 2, 3]);
    const buf = new Uint8Array(200);
    expect(f.pread(buf, 0, 200, 4000)).toBe(96);
    expect(f.pread(buf, 0, 200, 4096)).toBe(0);
    expect(f.pwrite(buf, 0, 200, 4000)).toBe(96);
    expect(f.pwrite(buf, 0, 1, 4096)).toBe(-Errno.ENOSPC);
    expect(f.lseek(0, SEEK.SEEK_END)).toBe(4096);
    expect(f.lseek(1, SEEK.SEEK_END)).toBe(-Errno.EINVAL);
    expect(f.lseek(0, SEEK.SEEK_DATA)).toBe(-Errno.EINVAL);
    expect(f.fsync(false)).toBe(0);
    expect(ram.log).toContain('flush');
    f.decRef();
    expect(ram.log).toEqual(['open true', 'flush', 'release']);
  });

  it('O_EXCL claims the device until the last close: a second O_EXCL open or a holder is EBUSY', () => {
    const { open, openOk, devices, ram } = setup();
    const ex = openOk('/dev/ram0', O.O_RDONLY | O.O_EXCL);
    expect(open('/dev/ram0', O.O_RDONLY | O.O_EXCL)).toBe(-Errno.EBUSY);
    const plain = openOk('/dev/ram0', O.O_RDONLY);
    ex.decRef();
    openOk('/dev/ram0', O.O_RDONLY | O.O_EXCL).decRef();
    const mount = {};
    expect(devices.claim(ram.disk, mount)).toBe(true);
    expect(open('/dev/ram0', O.O_RDONLY | O.O_EXCL)).toBe(-Errno.EBUSY);
    plain.decRef();
    expect(devices.openers(ram.disk)).toBe(0);
  });

  it('answers the block ioctls as block/ioctl.c', () => {
    const { openOk, devices, ram } = setup(10 << 20);
    const f = openOk('/dev/ram0', O.O_RDWR);
    const { ctx, view } = ioctlContext(f, Credentials.root());
    expect(f.ioctl(BLK.BLKGETSIZE64, 0, ctx)).toBe(0);
    expect(view.getBigUint64(0, true)).toBe(10n << 20n);
    expect(f.ioctl(BLK.BLKGETSIZE, 0, ctx)).toBe(0);
    expect(view.getBigUint64(0, true)).toBe(20480n);
    view.setBigUint64(0, 0xaaaaaaaaaaaaaaaan, true);
    expect(f.ioctl(BLK.BLKBSZGET, 0, ctx)).toBe(0);
    expect(view.getBigUint64(0, true)).toBe(0xaaaaaaaa00001000n); // put_int: four bytes
    for (const [req, want] of [[BLK.BLKSSZGET, 512], [BLK.BLKPBSZGET, 512], [BLK.BLKIOMIN, 512], [BLK.BLKIOOPT, 0], [BLK.BLKALIGNOFF, 0], [BLK.BLKROGET, 0], [BLK.BLKDISCARDZEROES, 0]] as const) {
      view.setInt32(0, 7, true);
      expect(f.ioctl(req, 0, ctx)).toBe(0);
      expect(view.getInt32(0, true)).toBe(want);
    }
    expect(f.ioctl(BLK.BLKRAGET, 0, ctx)).toBe(0);
    expect(view.getBigUint64(0, true)).toBe(5120n);
    expect(f.ioctl(BLK.BLKRASET, 1000, ctx)).toBe(0);
    expect(f.ioctl(BLK.BLKFRAGET, 0, ctx)).toBe(0);
    expect(view.getBigUint64(0, true)).toBe(1000n);
    view.setUint32(0, 0xffffffff, true);
    expect(f.ioctl(BLK.BLKSECTGET, 0, ctx)).toBe(0);
    expect(view.getUint32(0, true)).toBe(0xffff0000 + 2560);
    expect(f.ioctl(BLK.BLKROTATIONAL, 0, ctx)).toBe(0);
    expect(view.getUint16(0, true)).toBe(0);
    expect(f.ioctl(BLK.BLKRRPART, 0, ctx)).toBe(-Errno.EINVAL);
    expect(f.ioctl(BLK.BLKFLSBUF, 0, ctx)).toBe(0);
    view.setUint32(0, 77, true);
    expect(f.ioctl(BLK.BLKGETZONESZ, 0, ctx)).toBe(0);
    expect(view.getUint32(0, true)).toBe(0);
    for (const req of [BLK.BLKREPORTZONE, BLK.BLKRESETZONE, BLK.BLKOPENZONE, BLK.HDIO_GETGEO]) expect(f.ioctl(req, 0, ctx)).toBe(-Errno.ENOTTY);
    expect(f.ioctl(0x401870c8, 0, ctx)).toBe(-Errno.EOPNOTSUPP); // IOC_PR_REGISTER
    // BLKPG: struct blkpg_ioctl_arg at 64 pointing at a struct blkpg_partition at 128; data out of memory faults.
    view.setInt32(64, 1, true);
    view.setBigUint64(80, 0x10000n, true);
    expect(f.ioctl(BLK.BLKPG, 64, ctx)).toBe(-Errno.EFAULT);
    view.setBigUint64(80, 128n, true);
    view.setInt32(128 + 16, 1, true);
    expect(f.ioctl(BLK.BLKPG, 64, ctx)).toBe(-Errno.EINVAL);
    view.setInt32(64, 2, true);
    expect(f.ioctl(BLK.BLKPG, 64, ctx)).toBe(-Errno.ENXIO);
    expect(f.ioctl(0x5401, 0, ctx)).toBe(-Errno.ENOTTY);
    expect(f.ioctl(BLK.BLKGETSIZE64, 0x10000, ctx)).toBe(-Errno.EFAULT);
    const range = (start: number, len: number) => (view.setBigUint64(16, BigInt(start), true), view.setBigUint64(24, BigInt(len), true), 16);
    expect(f.ioctl(BLK.BLKDISCARD, range(0, 4096), ctx)).toBe(0);
    expect(ram.log).toContain('discard 0 4096');
    expect(f.ioctl(BLK.BLKDISCARD, range(1, 4096), ctx)).toBe(-Errno.EINVAL);
    expect(f.ioctl(BLK.BLKDISCARD, range(0, 0), ctx)).toBe(-Errno.EINVAL);
    expect(f.ioctl(BLK.BLKDISCARD, range(0, 20 << 20), ctx)).toBe(-Errno.EINVAL);
    ram.data.fill(9, 0, 8192);
    expect(f.ioctl(BLK.BLKZEROOUT, range(4096, 4096), ctx)).toBe(0);
    expect(ram.data[4096]).toBe(0);
    expect(ram.data[4095]).toBe(9);
    expect(f.ioctl(BLK.BLKZEROOUT, range(512, 100), ctx)).toBe(-Errno.EINVAL);
    expect(f.ioctl(BLK.BLKSECDISCARD, range(0, 4096), ctx)).toBe(-Errno.EOPNOTSUPP);
    for (const [size, want] of [[8192, 0], [1000, -Errno.EINVAL], [256, -Errno.EINVAL], [131072, -Errno.EINVAL], [1024, 0]] as const) {
      view.setInt32(0, size, true);
      expect(f.ioctl(BLK.BLKBSZSET, 0, ctx)).toBe(want);
    }
    expect(devices.blockSize(ram.disk)).toBe(1024);
    view.setInt32(0, 1, true);
    expect(f.ioctl(BLK.BLKROSET, 0, ctx)).toBe(0);
    expect(f.ioctl(BLK.BLKROGET, 0, ctx)).toBe(0);
    expect(view.getInt32(0, true)).toBe(1);
    expect(f.pwrite(new Uint8Array(512), 0, 512, 0)).toBe(-Errno.EPERM);
    expect(f.ioctl(BLK.BLKDISCARD, range(0, 4096), ctx)).toBe(-Errno.EPERM);
  });

  it('needs CAP_SYS_ADMIN for BLKROSET, BLKBSZSET, BLKFLSBUF and BLKRRPART (EACCES), and write access for discards (EBADF)', () => {
    const { openOk } = setup();
    const f = openOk('/dev/ram0', O.O_RDONLY);
    const user = new Credentials(1000, 1000);
    expect(capable(user, CAP.CAP_SYS_ADMIN)).toBe(false);
    const { ctx } = ioctlContext(f, user);
    for (const req of [BLK.BLKROSET, BLK.BLKBSZSET, BLK.BLKFLSBUF, BLK.BLKRRPART, BLK.BLKRASET, BLK.BLKPG]) expect(f.ioctl(req, 0, ctx)).toBe(-Errno.EACCES);
    for (const req of [BLK.BLKDISCARD, BLK.BLKZEROOUT, BLK.BLKSECDISCARD]) expect(f.ioctl(req, 0, ctx)).toBe(-Errno.EBADF);
  });
});

describe('/proc/devices', () => {
  it('lists the named character majors of /dev and the block majors in order', () => {
    const { dev, layer } = setup();
    for (const d of standardDevices(new SeededRandomSource(1))) dev.addCharDevice(d);
    layer.registerDriver(7, { name: 'loop' });
    expect(formatDeviceMajors(dev.charMajors(), layer.blockMajors())).toBe('Character devices:\n  1 mem\n\nBlock devices:\n  7 loop\n259 blkext\n');
  });
});

describe('/proc/partitions', () => {
  it('lists the disks that have a size, in 1 KiB blocks, as show_partition', () => {
    const { ram } = setup(10 << 20);
    const empty = { ...ram.disk, name: 'loop1', deviceNumber: 0x701, size: () => 0 };
    const big = { ...ram.disk, name: 'loop300', deviceNumber: (300 & 0xff) + 7 * 256 + 256 * 4096 };
    expect(formatPartitions([{ ...ram.disk, name: 'loop0', deviceNumber: 0x700 }, empty, big])).toBe(
      'major minor  #blocks  name\n\n   7        0      10240 loop0\n   7      300      10240 loop300\n',
    );
  });
});

describe('fallocate on a block special file (blkdev_fallocate)', () => {
  it('punches (discards) and zeroes ranges, refuses plain allocation and ranges off the device', () => {
    const { openOk, ram } = setup(1 << 20);
    const f = openOk('/dev/ram0', O.O_RDWR);
    ram.data.fill(9);
    expect(fallocateFile(f, 0, 0, 4096)).toBe(-Errno.EOPNOTSUPP);
    expect(fallocateFile(f, FALLOC_FL.FALLOC_FL_PUNCH_HOLE | FALLOC_FL.FALLOC_FL_KEEP_SIZE, 0, 4096)).toBe(0);
    expect(ram.log).toContain('discard 0 4096');
    expect(fallocateFile(f, FALLOC_FL.FALLOC_FL_ZERO_RANGE, 8192, 512)).toBe(0);
    expect([ram.data[8191], ram.data[8192], ram.data[8703], ram.data[8704]]).toEqual([9, 0, 0, 9]);
    expect(fallocateFile(f, FALLOC_FL.FALLOC_FL_ZERO_RANGE, 100, 512)).toBe(-Errno.EINVAL);
    expect(fallocateFile(f, FALLOC_FL.FALLOC_FL_ZERO_RANGE, (1 << 20) - 512, 1024)).toBe(-Errno.EINVAL);
    expect(fallocateFile(f, FALLOC_FL.FALLOC_FL_ZERO_RANGE | FALLOC_FL.FALLOC_FL_KEEP_SIZE, (1 << 20) - 512, 1024)).toBe(0);
    expect(fallocateFile(f, FALLOC_FL.FALLOC_FL_ZERO_RANGE, 1 << 20, 512)).toBe(-Errno.EINVAL);
  });
});
