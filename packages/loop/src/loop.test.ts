import { Errno, O, S } from '@tskern/abi';
import { BlockDevices } from '@tskern/block-api';
import { BLK, BlockLayer, DevFs, mountDev } from '@tskern/devices';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { mountSys, SysFs } from '@tskern/sysfs';
import { Credentials, fallocateFile, Vfs, type FsTask, type IoctlContext, type OpenFileDescription } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { LO_FLAGS, LOOP } from './loop-abi';
import { LoopDriver } from './loop-driver';

/** Where the tests put ioctl structures in user memory. */
const STRUCT = 1024;

/** A kernel's worth of /dev, /sys and a ramfs root with the loop driver, and a fd table for ioctls. */
function setup(arch = 'riscv64') {
  const frames = new ArenaFrameAllocator({ frames: 4096 });
  const devices = new BlockDevices();
  const vfs = new Vfs(new RamFs({ frames }), { blockDevices: devices });
  const dev = new DevFs({ frames });
  expect(mountDev(vfs, dev)).toBe(0);
  const sys = new SysFs({ cpus: 1 });
  expect(mountSys(vfs, sys)).toBe(0);
  const driver = new LoopDriver({ layer: new BlockLayer(devices), dev, sys });
  const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
  const fds: OpenFileDescription[] = [];
  const open = (path: string, flags: number, mode = 0o644): number => {
    const f = vfs.open(root, path, flags, mode);
    if (typeof f === 'number') return f;
    fds.push(f);
    return fds.length - 1;
  };
  const close = (fd: number) => fds[fd]!.decRef();
  // User memory: 4 KiB at address 0; structures go at STRUCT (address 0 is NULL to the driver).
  const memory = new Uint8Array(4096);
  const mem = memory.subarray(STRUCT);
  const view = new DataView(memory.buffer, STRUCT);
  const ioctl = (fd: number, request: number, arg = STRUCT): number => {
    const file = fds[fd]!;
    const ctx: IoctlContext = {
      file,
      cred: root.cred,
      arch,
      copyIn: (a, dst, off, len) => (a + len > memory.length ? -Errno.EFAULT : (dst.set(memory.subarray(a, a + len), off), 0)),
      copyOut: (a, src, off, len) => (a + len > memory.length ? -Errno.EFAULT : (memory.set(src.subarray(off, off + len), a), 0)),
      fileAt: (n) => fds[n] ?? null,
    };
    return file.ioctl(request, arg, ctx);
  };
  const read = (path: string): string | number => {
    const fd = open(path, O.O_RDONLY);
    if (fd < 0) return fd;
    const buf = new Uint8Array(4096);
    const n = fds[fd]!.read(buf, 0, buf.length);
    close(fd);
    return n < 0 ? n : new TextDecoder().decode(buf.subarray(0, n));
  };
  const image = (path: string, bytes: number): number => {
    const fd = open(path, O.O_RDWR | O.O_CREAT);
    expect(fallocateFile(fds[fd]!, 0, 0, bytes)).toBe(0);
    return fd;
  };
  const name = (text: string, at: number) => mem.set(new TextEncoder().encode(`${text}\0`), at);
  const cstr = (at: number) => new TextDecoder().decode(mem.subarray(at, mem.indexOf(0, at)));
  return { vfs, driver, devices, root, fds, open, close, ioctl, mem, view, read, image, name, cstr };
}

describe('the loop driver', () => {
  it('makes loop0..loop7 and /dev/loop-control at start, as Linux with max_loop 8', () => {
    const { vfs, root, open, ioctl } = setup();
    for (let i = 0; i < 8; i++) expect(vfs.stat(root, `/dev/loop${i}`, true)).toMatchObject({ mode: S.S_IFBLK | 0o600, rdev: 0x700 + i, size: 0, blksize: 512 });
    expect(vfs.stat(root, '/dev/loop8', true)).toBe(-Errno.ENOENT);
    expect(vfs.stat(root, '/dev/loop-control', true)).toMatchObject({ mode: S.S_IFCHR | 0o660, rdev: 10 * 256 + 237 });
    const ctl = open('/dev/loop-control', O.O_RDWR);
    expect(ioctl(ctl, LOOP.LOOP_CTL_GET_FREE)).toBe(0);
    expect(ioctl(ctl, 0x4c99)).toBe(-Errno.ENOSYS);
    expect(ioctl(ctl, LOOP.LOOP_SET_FD)).toBe(-Errno.ENOSYS);
    expect(ioctl(ctl, LOOP.LOOP_CTL_ADD, 0)).toBe(-Errno.EEXIST);
    expect(ioctl(ctl, LOOP.LOOP_CTL_REMOVE, 1000000)).toBe(-Errno.ENODEV);
    expect(ioctl(ctl, LOOP.LOOP_CTL_ADD, 12)).toBe(12);
    expect(vfs.stat(root, '/dev/loop12', true)).toMatchObject({ rdev: 0x70c });
    expect(ioctl(ctl, LOOP.LOOP_CTL_REMOVE, 12)).toBe(0);
    expect(vfs.stat(root, '/dev/loop12', true)).toBe(-Errno.ENOENT);
    expect(vfs.stat(root, '/sys/block/loop12', true)).toBe(-Errno.ENOENT);
  });

  it('answers an unbound device as loop.c: ENXIO for status and clearing, size 0, EINVAL for other requests', () => {
    const { open, ioctl, view, fds, read } = setup();
    const fd = open('/dev/loop0', O.O_RDWR);
    for (const req of [LOOP.LOOP_GET_STATUS, LOOP.LOOP_GET_STATUS64, LOOP.LOOP_SET_STATUS64, LOOP.LOOP_CLR_FD, LOOP.LOOP_SET_CAPACITY, LOOP.LOOP_SET_BLOCK_SIZE, LOOP.LOOP_SET_DIRECT_IO]) {
      expect(ioctl(fd, req)).toBe(-Errno.ENXIO);
    }
    expect(ioctl(fd, BLK.BLKGETSIZE64)).toBe(0);
    expect(view.getBigUint64(0, true)).toBe(0n);
    expect(ioctl(fd, 0x5401)).toBe(-Errno.EINVAL); // TCGETS
    expect(ioctl(fd, LOOP.LOOP_CTL_GET_FREE)).toBe(-Errno.EINVAL);
    expect(fds[fd]!.read(new Uint8Array(512), 0, 512)).toBe(0);
    expect(fds[fd]!.write(new Uint8Array(512), 0, 512)).toBe(-Errno.ENOSPC);
    expect(fds[fd]!.fsync(false)).toBe(-Errno.EIO);
    expect(read('/sys/block/loop0/size')).toBe('0\n');
    expect(read('/sys/block/loop0/loop/backing_file')).toBe(-Errno.ENOENT);
  });

  it('binds a file as LTP does (LOOP_SET_FD, then LOOP_SET_STATUS naming it) and reads and writes it', () => {
    const { open, ioctl, view, mem, fds, read, image, name, cstr, vfs, root, driver } = setup();
    const img = image('/img', 10 << 20);
    const fd = open('/dev/loop0', O.O_RDWR);
    expect(ioctl(fd, LOOP.LOOP_SET_FD, 99)).toBe(-Errno.EBADF);
    expect(ioctl(fd, LOOP.LOOP_SET_FD, img)).toBe(0);
    expect(ioctl(fd, LOOP.LOOP_SET_FD, img)).toBe(-Errno.EBUSY);
    mem.fill(0);
    name('/tmp/test_dev.img', 36); // riscv64's old loop_info: lo_name at 36
    expect(ioctl(fd, LOOP.LOOP_SET_STATUS)).toBe(0);
    mem.fill(0x55);
    expect(ioctl(fd, LOOP.LOOP_GET_STATUS)).toBe(0);
    const st = vfs.stat(root, '/img', true);
    if (typeof st === 'number') throw new Error('stat');
    expect(view.getInt32(0, true)).toBe(0); // lo_number
    expect(view.getUint32(4, true)).toBe(st.dev);
    expect(view.getBigUint64(8, true)).toBe(BigInt(st.ino));
    expect(view.getInt32(32, true)).toBe(0); // lo_flags
    expect(cstr(36)).toBe('/tmp/test_dev.img');
    expect(mem[159]).toBe(0);
    expect(mem[160]).toBe(0x55); // 160 bytes, no more
    expect(ioctl(fd, LOOP.LOOP_GET_STATUS64)).toBe(0);
    expect(view.getBigUint64(24, true)).toBe(0n); // lo_offset
    expect(cstr(56)).toBe('/tmp/test_dev.img');
    expect(ioctl(fd, BLK.BLKGETSIZE64)).toBe(0);
    expect(view.getBigUint64(0, true)).toBe(10n << 20n);
    // The device is the file.
    const dev = fds[fd]!;
    expect(dev.pwrite(new Uint8Array([7, 8, 9]), 0, 3, 8192)).toBe(3);
    const back = new Uint8Array(3);
    expect(fds[img]!.pread(back, 0, 3, 8192)).toBe(3);
    expect([...back]).toEqual([7, 8, 9]);
    expect(dev.pwrite(new Uint8Array(100), 0, 100, (10 << 20) - 60)).toBe(60);
    expect(read('/sys/block/loop0/size')).toBe('20480\n');
    expect(read('/sys/block/loop0/dev')).toBe('7:0\n');
    expect(read('/sys/devices/virtual/block/loop0/loop/backing_file')).toBe('/img\n');
    expect(read('/sys/block/loop0/loop/offset')).toBe('0\n');
    expect(read('/sys/block/loop0/loop/autoclear')).toBe('0\n');
    expect(read('/sys/block/loop0/queue/read_ahead_kb')).toBe('2560\n');
    expect(read('/sys/block/loop0/queue/max_sectors_kb')).toBe('1280\n');
    const stat = (read('/sys/block/loop0/stat') as string).trim().split(/\s+/).map(Number);
    expect(stat).toHaveLength(17);
    expect(stat[4]).toBe(2); // writes completed
    expect(stat[6]).toBe(2); // sectors written: one each
    expect(stat[9]).toBeGreaterThan(0); // io_ticks, which tst_dev_bytes_written requires
    expect(driver.getFree()).toBe(1);
  });

  it('LOOP_CLR_FD with the device open elsewhere marks it autoclear and detaches at the last close', () => {
    const { open, close, ioctl, view, read, image, devices, driver, fds } = setup();
    const img = image('/img', 1 << 20);
    const fd = open('/dev/loop0', O.O_RDWR);
    expect(ioctl(fd, LOOP.LOOP_SET_FD, img)).toBe(0);
    close(img);
    const other = open('/dev/loop0', O.O_RDONLY);
    expect(ioctl(fd, LOOP.LOOP_CLR_FD)).toBe(0);
    expect(ioctl(fd, LOOP.LOOP_GET_STATUS64)).toBe(0);
    expect(view.getUint32(52, true)).toBe(LO_FLAGS.AUTOCLEAR);
    expect(ioctl(fd, LOOP.LOOP_CLR_FD)).toBe(0);
    close(other);
    expect(ioctl(fd, LOOP.LOOP_GET_STATUS64)).toBe(0);
    expect(read('/sys/block/loop0/loop/autoclear')).toBe('1\n');
    const backing = driver.device(0)!.backing!;
    close(fd);
    expect(driver.device(0)!.state).toBe('unbound');
    expect(backing.refCount).toBe(0);
    expect(devices.openers(driver.device(0)!)).toBe(0);
    expect(read('/sys/block/loop0/loop/autoclear')).toBe(-Errno.ENOENT);
    expect(fds[open('/dev/loop0', O.O_RDONLY)]!.stat().rdev).toBe(0x700);
  });

  it('LOOP_CLR_FD by the only opener stops new opens and answers ENXIO after, as LTP waits for', () => {
    const { open, close, ioctl, image, driver } = setup();
    const img = image('/img', 1 << 20);
    const fd = open('/dev/loop0', O.O_RDONLY);
    expect(ioctl(fd, LOOP.LOOP_SET_FD, img)).toBe(0);
    expect(ioctl(fd, LOOP.LOOP_CLR_FD)).toBe(0);
    expect(ioctl(fd, LOOP.LOOP_CLR_FD)).toBe(-Errno.ENXIO);
    expect(ioctl(fd, LOOP.LOOP_GET_STATUS64)).toBe(-Errno.ENXIO);
    expect(open('/dev/loop0', O.O_RDONLY)).toBe(-Errno.ENXIO);
    close(fd);
    expect(driver.device(0)!.state).toBe('unbound');
    expect(open('/dev/loop0', O.O_RDONLY)).toBeGreaterThanOrEqual(0);
  });

  it('takes status flags, offset and size limit as loop_set_status, and configures with LOOP_CONFIGURE', () => {
    const { open, ioctl, view, mem, fds, image } = setup();
    const img = image('/img', 10 << 20);
    const fd = open('/dev/loop0', O.O_RDWR);
    expect(ioctl(fd, LOOP.LOOP_SET_FD, img)).toBe(0);
    const size = () => (ioctl(fd, BLK.BLKGETSIZE64), view.getBigUint64(0, true));
    const set64 = (flags: number, offset: number, limit: number) => {
      mem.fill(0, 0, 232);
      view.setBigUint64(24, BigInt(offset), true);
      view.setBigUint64(32, BigInt(limit), true);
      view.setUint32(52, flags, true);
      return ioctl(fd, LOOP.LOOP_SET_STATUS64);
    };
    const flags = () => (ioctl(fd, LOOP.LOOP_GET_STATUS64), view.getUint32(52, true));
    expect(set64(LO_FLAGS.AUTOCLEAR | LO_FLAGS.READ_ONLY, 512, 1 << 20)).toBe(0);
    expect(flags()).toBe(LO_FLAGS.AUTOCLEAR);
    expect(size()).toBe(1n << 20n);
    expect(set64(0, 0, 0)).toBe(0);
    expect(flags()).toBe(0);
    expect(set64(LO_FLAGS.PARTSCAN, 100, 0)).toBe(0);
    expect(flags()).toBe(LO_FLAGS.PARTSCAN);
    expect(size()).toBe(10485248n);
    expect(ioctl(fd, BLK.BLKRRPART)).toBe(0);
    expect(ioctl(fd, LOOP.LOOP_SET_BLOCK_SIZE, 4096)).toBe(0);
    expect(ioctl(fd, LOOP.LOOP_SET_BLOCK_SIZE, 1000)).toBe(-Errno.EINVAL);
    expect((ioctl(fd, BLK.BLKSSZGET), view.getInt32(0, true))).toBe(4096);
    expect(ioctl(fd, LOOP.LOOP_SET_DIRECT_IO, 1)).toBe(-Errno.EINVAL);
    expect(ioctl(fd, LOOP.LOOP_SET_CAPACITY)).toBe(0);
    expect(ioctl(fd, LOOP.LOOP_CHANGE_FD, img)).toBe(-Errno.EINVAL); // writable device
    // LOOP_CONFIGURE on another device: read-only, with a name.
    const fd1 = open('/dev/loop1', O.O_RDWR);
    mem.fill(0, 0, 304);
    view.setUint32(0, img, true);
    view.setUint32(8 + 52, LO_FLAGS.READ_ONLY | 0x40, true);
    expect(ioctl(fd1, LOOP.LOOP_CONFIGURE)).toBe(-Errno.EINVAL);
    view.setUint32(8 + 52, LO_FLAGS.READ_ONLY, true);
    mem.set(new TextEncoder().encode('given-name'), 8 + 56);
    expect(ioctl(fd1, LOOP.LOOP_CONFIGURE)).toBe(0);
    expect((ioctl(fd1, BLK.BLKROGET), view.getInt32(0, true))).toBe(1);
    expect(fds[fd1]!.pwrite(new Uint8Array(512), 0, 512, 0)).toBe(-Errno.EPERM);
    expect(ioctl(fd1, LOOP.LOOP_CHANGE_FD, img)).toBe(0);
  });

  it('refuses backing files that are no file or the device itself, and makes a device opened read-only read-only', () => {
    const { open, ioctl, view, image } = setup();
    const img = image('/img', 1 << 20);
    const dir = open('/dev', O.O_RDONLY | O.O_DIRECTORY);
    const fd = open('/dev/loop0', O.O_RDWR);
    expect(ioctl(fd, LOOP.LOOP_SET_FD, dir)).toBe(-Errno.EINVAL);
    expect(ioctl(fd, LOOP.LOOP_SET_FD, fd)).toBe(-Errno.EBADF);
    const unbound = open('/dev/loop2', O.O_RDONLY);
    expect(ioctl(fd, LOOP.LOOP_SET_FD, unbound)).toBe(-Errno.EINVAL);
    const ro = open('/dev/loop1', O.O_RDONLY);
    expect(ioctl(ro, LOOP.LOOP_SET_FD, img)).toBe(0);
    expect((ioctl(ro, LOOP.LOOP_GET_STATUS64), view.getUint32(52, true))).toBe(LO_FLAGS.READ_ONLY);
    // A loop device backed by another loop device.
    expect(ioctl(fd, LOOP.LOOP_SET_FD, ro)).toBe(0);
    expect((ioctl(fd, BLK.BLKGETSIZE64), view.getBigUint64(0, true))).toBe(1n << 20n);
  });

  it('lays the old loop_info out per architecture: lo_name at 48 on x86-64', () => {
    const { open, ioctl, name, cstr, view, image } = setup('x86_64');
    const img = image('/img', 1 << 20);
    const fd = open('/dev/loop0', O.O_RDWR);
    expect(ioctl(fd, LOOP.LOOP_SET_FD, img)).toBe(0);
    name('/x', 48);
    view.setInt32(32, 1024, true); // lo_offset
    expect(ioctl(fd, LOOP.LOOP_SET_STATUS)).toBe(0);
    expect(ioctl(fd, LOOP.LOOP_GET_STATUS64)).toBe(0);
    expect(cstr(56)).toBe('/x');
    expect(view.getBigUint64(24, true)).toBe(1024n);
  });
});
