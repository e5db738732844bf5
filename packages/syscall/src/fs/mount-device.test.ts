import { Errno, MOUNT, O, SYS, UMOUNT } from '@tskern/abi';
import type { BlockDevice } from '@tskern/block-api';
import { BlockLayer, DevFs, mountDev } from '@tskern/devices';
import { store } from '@tskern/mman';
import { RamFs, type RamFsOptions } from '@tskern/ramfs';
import type { FileSystemType, FsRequest } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { world } from '../testing/world';

/** A RAM disk whose first four bytes say what is on it. */
function ramDisk(deviceNumber: number, readOnly = false): BlockDevice & { readonly data: Uint8Array } {
  const data = new Uint8Array(64 * 1024);
  return {
    data,
    name: `ram${deviceNumber & 0xff}`,
    deviceNumber,
    logicalBlockSize: 512,
    physicalBlockSize: 512,
    size: () => data.length,
    readOnly: () => readOnly,
    read: (pos, dst, off, len) => (dst.set(data.subarray(pos, pos + len), off), len),
    write: (pos, src, off, len) => (data.set(src.subarray(off, off + len), pos), len),
    flush: () => 0,
  };
}

/** A disk file system for the test: a ramfs that needs "DISK" at the start of its device and logs its end. */
class DiskFs extends RamFs {
  constructor(
    options: RamFsOptions,
    readonly device: BlockDevice,
    private readonly log: string[],
  ) {
    super(options);
  }
  sync(): number {
    this.log.push(`sync ${this.device.name}`);
    return 0;
  }
  shutdown(): void {
    this.log.push(`shutdown ${this.device.name}`);
  }
}

function diskType(frames: ConstructorParameters<typeof RamFs>[0]['frames'], log: string[]): FileSystemType & { readonly requests: FsRequest[] } {
  const requests: FsRequest[] = [];
  return {
    name: 'diskfs',
    requiresDevice: true,
    requests,
    mount(request) {
      requests.push(request);
      const d = request.device;
      if (d === undefined) return -Errno.EINVAL;
      const magic = new Uint8Array(4);
      d.read(0, magic, 0, 4);
      if (new TextDecoder().decode(magic) !== 'DISK') return -Errno.EINVAL; // no valid superblock
      log.push(`fill_super ${d.name}`);
      return new DiskFs({ frames, type: 'diskfs', deviceId: d.deviceNumber }, d, log);
    },
    reconfigure: () => 0,
    showOptions: () => '',
  };
}

function setup() {
  const w = world(0);
  const { vfs, frames, p } = w;
  const log: string[] = [];
  const type = diskType(frames, log);
  vfs.fileSystemTypes.register(type);
  const layer = new BlockLayer(vfs.blockDevices);
  const dev = new DevFs({ frames });
  expect(mountDev(vfs, dev)).toBe(0);
  const disk = ramDisk(0x0100);
  disk.data.set(new TextEncoder().encode('DISK'));
  vfs.blockDevices.add(disk);
  dev.addBlockDevice('ram0', 0x0100, 0o660, layer);
  dev.addBlockDevice('ram9', 0x0109, 0o660, layer);
  const root = vfs.kernelTask();
  for (const d of ['/mnt', '/mnt2']) expect(vfs.mkdir(root, d, 0o755)).toBe(0);
  let at = p.stack.end - 4096;
  const str = (s: string): number => {
    const b = new TextEncoder().encode(`${s}\0`);
    const addr = at;
    store(p.mm, addr, b, 0, b.length);
    at += b.length;
    return addr;
  };
  const sys = (nr: number, ...args: number[]) => w.sys(p.tid, nr, ...args);
  const mount = (source: string, target: string, flags = 0) => sys(SYS.mount, str(source), str(target), str('diskfs'), flags, 0);
  return { ...w, log, type, disk, layer, dev, str, sys, mount };
}

describe('mount(2) of a type that needs a block device', () => {
  it('claims the device, gives it to the type, and at umount syncs, shuts down and releases it', () => {
    const { mount, sys, str, vfs, disk, log, type } = setup();
    expect(mount('/dev/ram0', '/mnt')).toBe(0);
    expect(type.requests[0]!.device).toBe(disk);
    expect(vfs.blockDevices.holder(disk)).toBeDefined();
    expect(vfs.blockDevices.openers(disk)).toBe(1);
    const m = vfs.mounts().find((x) => x.fs.type === 'diskfs')!;
    expect(m.source).toBe('/dev/ram0');
    expect(m.fs.deviceId).toBe(0x0100);
    // An exclusive opener finds it held (bd_prepare_to_claim: EBUSY).
    expect(sys(SYS.open, str('/dev/ram0'), O.O_RDONLY | O.O_EXCL, 0)).toBe(-Errno.EBUSY);
    const fd = sys(SYS.open, str('/mnt'), O.O_RDONLY | O.O_DIRECTORY, 0);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(sys(SYS.syncfs, fd)).toBe(0);
    expect(sys(SYS.sync)).toBe(0);
    expect(log).toEqual(['fill_super ram0', 'sync ram0', 'sync ram0']);
    expect(sys(SYS.umount2, str('/mnt'), 0)).toBe(-Errno.EBUSY);
    expect(sys(SYS.close, fd)).toBe(0);
    expect(sys(SYS.umount2, str('/mnt'), 0)).toBe(0);
    expect(log.slice(3)).toEqual(['sync ram0', 'shutdown ram0']);
    expect(vfs.blockDevices.holder(disk)).toBeUndefined();
    expect(vfs.blockDevices.openers(disk)).toBe(0);
    const ex = sys(SYS.open, str('/dev/ram0'), O.O_RDONLY | O.O_EXCL, 0);
    expect(ex).toBeGreaterThanOrEqual(0);
    // ...and a device held by an O_EXCL opener cannot be mounted.
    expect(mount('/dev/ram0', '/mnt')).toBe(-Errno.EBUSY);
  });

  it('after a lazy umount, lets the device go with the last open file', () => {
    const { mount, sys, str, vfs, disk, log } = setup();
    expect(mount('/dev/ram0', '/mnt')).toBe(0);
    const fd = sys(SYS.open, str('/mnt/f'), O.O_RDWR | O.O_CREAT, 0o600);
    expect(sys(SYS.umount2, str('/mnt'), UMOUNT.MNT_DETACH)).toBe(0);
    expect(vfs.blockDevices.holder(disk)).toBeDefined();
    expect(sys(SYS.close, fd)).toBe(0);
    expect(log).toEqual(['fill_super ram0', 'sync ram0', 'shutdown ram0']);
    expect(vfs.blockDevices.holder(disk)).toBeUndefined();
  });

  it('mounts the same device again as the same file system, ended by the last umount', () => {
    const { mount, sys, str, vfs, log } = setup();
    expect(mount('/dev/ram0', '/mnt')).toBe(0);
    expect(mount('/dev/ram0', '/mnt2')).toBe(0);
    const fss = vfs.mounts().filter((x) => x.fs.type === 'diskfs').map((x) => x.fs);
    expect(fss).toHaveLength(2);
    expect(fss[0]).toBe(fss[1]);
    expect(sys(SYS.umount2, str('/mnt'), 0)).toBe(0);
    expect(log).toEqual(['fill_super ram0']);
    expect(sys(SYS.umount2, str('/mnt2'), 0)).toBe(0);
    expect(log).toEqual(['fill_super ram0', 'sync ram0', 'shutdown ram0']);
  });

  it('answers lookup_bdev and get_tree_bdev errors: ENOENT, ENOTBLK, ENXIO, EINVAL without a source, and releases the claim when the type fails', () => {
    const { mount, sys, str, vfs, disk, log } = setup();
    expect(mount('/dev/none', '/mnt')).toBe(-Errno.ENOENT);
    expect(mount('/dev', '/mnt')).toBe(-Errno.ENOTBLK);
    expect(mount('/dev/ram9', '/mnt')).toBe(-Errno.ENXIO);
    expect(sys(SYS.mount, 0, str('/mnt'), str('diskfs'), 0, 0)).toBe(-Errno.EINVAL);
    disk.data.fill(0, 0, 4);
    expect(mount('/dev/ram0', '/mnt')).toBe(-Errno.EINVAL);
    expect(vfs.blockDevices.holder(disk)).toBeUndefined();
    expect(vfs.blockDevices.openers(disk)).toBe(0);
    expect(log).toEqual([]);
  });

  it('refuses a device node reached through a nodev mount (may_open_dev: EACCES)', () => {
    const { mount, sys, str, vfs } = setup();
    expect(vfs.mkdir(vfs.kernelTask(), '/d2', 0o755)).toBe(0);
    expect(sys(SYS.mount, str('/dev'), str('/d2'), 0, MOUNT.MS_BIND, 0)).toBe(0);
    expect(sys(SYS.mount, 0, str('/d2'), 0, MOUNT.MS_REMOUNT | MOUNT.MS_BIND | MOUNT.MS_NODEV, 0)).toBe(0);
    expect(mount('/d2/ram0', '/mnt')).toBe(-Errno.EACCES);
    expect(mount('/dev/ram0', '/mnt')).toBe(0);
  });

  it('refuses a read-write mount of a read-only device (EACCES) and takes a read-only one', () => {
    const { mount, vfs, layer, dev } = setup();
    const ro = ramDisk(0x0102, true);
    ro.data.set(new TextEncoder().encode('DISK'));
    vfs.blockDevices.add(ro);
    dev.addBlockDevice('ram2', 0x0102, 0o660, layer);
    expect(mount('/dev/ram2', '/mnt')).toBe(-Errno.EACCES);
    expect(vfs.blockDevices.holder(ro)).toBeUndefined();
    expect(mount('/dev/ram2', '/mnt', 1 /* MS_RDONLY */)).toBe(0);
  });

  it('sends other ioctls to the file: a block node answers BLKGETSIZE64', () => {
    const { sys, str, p } = setup();
    const fd = sys(SYS.open, str('/dev/ram0'), O.O_RDONLY, 0);
    const at = p.stack.end - 64;
    expect(sys(SYS.ioctl, fd, 0x80081272, at)).toBe(0);
    const out = new Uint8Array(8);
    p.mem.copyIn(at, out, 0, 8);
    expect(new DataView(out.buffer).getBigUint64(0, true)).toBe(64n * 1024n);
    expect(sys(SYS.syncfs, 99)).toBe(-Errno.EBADF);
  });
});
