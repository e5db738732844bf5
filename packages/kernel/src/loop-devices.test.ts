import { describe, expect, it } from 'vitest';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { Errno, O, S, SYS } from '@tskern/abi';
import { RamFs } from '@tskern/ramfs';
import type { FileSystemType } from '@tskern/vfs';
import { createKernel } from './kernel';

/*
 * The calls LTP's tst_device.c makes to acquire, use and release a loop
 * device; the loop answers are those Linux 6.18 gave to the same calls on
 * the host (a C probe run as root against /dev/loop0 over a file). The disk
 * file system is a test stand-in until ext2/3/4 exist.
 */

const enc = new TextEncoder();
const dec = new TextDecoder();

function boot() {
  const k = createKernel();
  k.registerProgram('/bin/app', {});
  const pid = k.spawn('/bin/app', { uid: 0, gid: 0 });
  let next = k.stack(pid).end - 300_000;
  const s = (text: string) => {
    const at = next;
    k.store(pid, at, enc.encode(`${text}\0`));
    next += text.length + 1;
    return at;
  };
  const sys = (nr: number, ...args: number[]) => k.syscall(pid, nr, ...args);
  const buf = k.stack(pid).end - 200_000;
  const read = (path: string): string | number => {
    const fd = sys(SYS.open, s(path), O.O_RDONLY, 0);
    if (fd < 0) return fd;
    const n = sys(SYS.read, fd, buf, 4096);
    sys(SYS.close, fd);
    const out = new Uint8Array(n);
    k.load(pid, buf, out);
    return dec.decode(out);
  };
  const u64 = (at: number) => {
    const b = new Uint8Array(8);
    k.load(pid, at, b);
    return new DataView(b.buffer).getBigUint64(0, true);
  };
  return { k, pid, s, sys, read, buf, u64 };
}

/** A disk file system for the test: a ramfs on the device it is given, logging its end. */
function diskType(log: string[]): FileSystemType {
  const frames = new ArenaFrameAllocator({ frames: 64 });
  return {
    name: 'diskfs',
    requiresDevice: true,
    mount(request) {
      const device = request.device;
      if (device === undefined) return -Errno.EINVAL;
      const fs = new RamFs({ frames, type: 'diskfs', deviceId: device.deviceNumber });
      return Object.assign(fs, { device, sync: () => (log.push('sync'), device.flush()), shutdown: () => log.push('shutdown') });
    },
    reconfigure: () => 0,
    showOptions: () => '',
  };
}

describe('loop devices on a booted kernel', () => {
  it('has loop0..loop7 and /dev/loop-control, and an empty /proc/partitions', () => {
    const { read, sys, s, k } = boot();
    expect(read('/proc/partitions')).toBe('major minor  #blocks  name\n\n');
    expect(read('/proc/devices')).toBe('Character devices:\n  1 mem\n 10 misc\n\nBlock devices:\n  7 loop\n259 blkext\n');
    const st = k.vfs.stat(k.vfs.kernelTask(), '/dev/loop7', true);
    expect(st).toMatchObject({ mode: S.S_IFBLK | 0o600, rdev: 0x707 });
    expect(read('/sys/block/loop3/dev')).toBe('7:3\n');
    const ctl = sys(SYS.open, s('/dev/loop-control'), O.O_RDWR, 0);
    expect(sys(SYS.ioctl, ctl, 0x4c82, 0)).toBe(0); // LOOP_CTL_GET_FREE
  });

  it('attaches a file, mounts a disk file system from /dev/loop0, and detaches at the last close after umount', () => {
    const { k, read, sys, s, buf, u64 } = boot();
    const log: string[] = [];
    k.vfs.fileSystemTypes.register(diskType(log));
    const img = sys(SYS.open, s('/test_dev.img'), O.O_RDWR | O.O_CREAT, 0o600);
    expect(sys(SYS.fallocate, img, 0, 0, 1 << 20)).toBe(0);
    const ctl = sys(SYS.open, s('/dev/loop-control'), O.O_RDWR, 0);
    const n = sys(SYS.ioctl, ctl, 0x4c82, 0);
    expect(n).toBe(0);
    const dev = sys(SYS.open, s('/dev/loop0'), O.O_RDWR, 0);
    expect(sys(SYS.ioctl, dev, 0x4c00, img)).toBe(0); // LOOP_SET_FD
    expect(sys(SYS.ioctl, ctl, 0x4c82, 0)).toBe(1);
    expect(sys(SYS.ioctl, dev, 0x80081272, buf)).toBe(0); // BLKGETSIZE64
    expect(u64(buf)).toBe(1n << 20n);
    expect(read('/proc/partitions')).toBe('major minor  #blocks  name\n\n   7        0       1024 loop0\n');
    expect(read('/sys/block/loop0/loop/backing_file')).toBe('/test_dev.img\n');
    expect(sys(SYS.mkdir, s('/mnt'), 0o755)).toBe(0);
    expect(sys(SYS.mount, s('/dev/loop0'), s('/mnt'), s('diskfs'), 0, 0)).toBe(0);
    const line = (read('/proc/self/mountinfo') as string).split('\n').find((l) => l.includes(' /mnt '))!;
    expect(line).toMatch(/^\d+ \d+ 7:0 \/ \/mnt rw,relatime - diskfs \/dev\/loop0 /);
    expect(sys(SYS.open, s('/dev/loop0'), O.O_RDONLY | O.O_EXCL, 0)).toBe(-Errno.EBUSY);
    // Clearing while mounted (two openers: this fd and the mount) marks the device autoclear.
    expect(sys(SYS.ioctl, dev, 0x4c01, 0)).toBe(0);
    expect(sys(SYS.ioctl, dev, 0x4c05, buf)).toBe(0); // LOOP_GET_STATUS64: still bound
    expect(sys(SYS.umount2, s('/mnt'), 0)).toBe(0);
    expect(log).toEqual(['sync', 'shutdown']);
    expect(sys(SYS.ioctl, dev, 0x4c05, buf)).toBe(0);
    expect(sys(SYS.close, dev)).toBe(0);
    expect(read('/proc/partitions')).toBe('major minor  #blocks  name\n\n');
    expect(sys(SYS.ioctl, ctl, 0x4c82, 0)).toBe(0);
    const again = sys(SYS.open, s('/dev/loop0'), O.O_RDONLY, 0);
    expect(sys(SYS.ioctl, again, 0x4c05, buf)).toBe(-Errno.ENXIO);
  });
});
