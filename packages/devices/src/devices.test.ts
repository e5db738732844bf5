import { Errno, O, S, SEEK } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/file-mapping';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { createShmFs, mountShm } from '@tskern/shmfs';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { createDevFs, DevFs, mountDev } from './dev-fs';
import { nullDevice } from './mem-devices';
import { SeededRandomSource } from './random-source';

function setup() {
  const frames = new ArenaFrameAllocator({ frames: 16 });
  const vfs = new Vfs(new RamFs({ frames }), { mappingIdentities: new FileMappingRegistry() });
  const dev = createDevFs({ frames, random: new SeededRandomSource(42) });
  expect(mountDev(vfs, dev)).toBe(0);
  expect(mountShm(vfs, createShmFs({ frames }))).toBe(0);
  const user: FsTask = { fs: vfs.newFsContext(), cred: new Credentials(1000, 1000) };
  const open = (path: string, flags: number): OpenFileDescription => {
    const f = vfs.open(user, path, flags, 0);
    if (typeof f === 'number') throw new Error(`open ${path}: ${f}`);
    return f;
  };
  return { vfs, dev, user, open };
}

describe('/dev', () => {
  it('holds the standard nodes as character devices, mode 0666, root-owned, with their numbers', () => {
    const { vfs, dev, user } = setup();
    expect(dev.type).toBe('devtmpfs');
    const want: [string, number][] = [['null', 3], ['zero', 5], ['full', 7], ['random', 8], ['urandom', 9]];
    for (const [name, minor] of want) {
      const st = vfs.stat(user, `/dev/${name}`, true);
      if (typeof st === 'number') throw new Error(name);
      expect(st).toMatchObject({ mode: S.S_IFCHR | 0o666, uid: 0, gid: 0, rdev: 256 + minor, size: 0, nlink: 1 });
    }
    // /dev/shm is still there, a tmpfs mounted inside /dev.
    expect(vfs.stat(user, '/dev/shm', true)).toMatchObject({ mode: S.S_IFDIR | 0o1777 });
    expect(dev.addCharDevice(nullDevice)).toBe(-Errno.EEXIST);
  });

  it('/dev/null: reads are EOF, writes vanish, seeks answer 0, mmap is ENODEV', () => {
    const { open } = setup();
    const f = open('/dev/null', O.O_RDWR);
    const buf = new Uint8Array(8).fill(9);
    expect(f.read(buf, 0, 8)).toBe(0);
    expect(f.write(buf, 0, 8)).toBe(8);
    expect(f.lseek(100, SEEK.SEEK_SET)).toBe(0);
    expect(f.pos).toBe(0);
    expect(f.mmapSource()).toMatchObject({ mappable: null, identity: null }); // no mmap: mman answers ENODEV
    expect(f.inode.mapsAnonymous).toBe(false);
  });

  it('/dev/zero reads zeros, takes writes, does not move the position and maps as anonymous memory', () => {
    const { open } = setup();
    const f = open('/dev/zero', O.O_RDWR);
    const buf = new Uint8Array(8).fill(9);
    expect(f.read(buf, 2, 4)).toBe(4);
    expect([...buf]).toEqual([9, 9, 0, 0, 0, 0, 9, 9]);
    expect(f.pos).toBe(0);
    expect(f.write(buf, 0, 8)).toBe(8);
    expect(f.lseek(5, SEEK.SEEK_CUR)).toBe(0);
    expect(f.inode.mapsAnonymous).toBe(true);
  });

  it('/dev/full: writes are ENOSPC, reads zeros', () => {
    const { open } = setup();
    const f = open('/dev/full', O.O_RDWR);
    const buf = new Uint8Array(4).fill(1);
    expect(f.write(buf, 0, 4)).toBe(-Errno.ENOSPC);
    expect(f.read(buf, 0, 4)).toBe(4);
    expect([...buf]).toEqual([0, 0, 0, 0]);
  });

  it('/dev/urandom and /dev/random read the random source, keep the position, take writes', () => {
    const { open } = setup();
    const u = open('/dev/urandom', O.O_RDWR);
    const r = open('/dev/random', O.O_RDONLY);
    const a = new Uint8Array(64);
    const b = new Uint8Array(64);
    expect(u.read(a, 0, 64)).toBe(64);
    expect(r.read(b, 0, 64)).toBe(64);
    expect(a.some((x) => x !== 0)).toBe(true);
    expect(a).not.toEqual(b); // one stream, two reads
    expect(u.pos).toBe(0);
    expect(u.lseek(0, SEEK.SEEK_CUR)).toBe(0);
    expect(u.write(a, 0, 10)).toBe(10);
    expect(r.mmapSource()).toMatchObject({ mappable: null, identity: null }); // no mmap: mman answers ENODEV
  });

  it('is a tmpfs for everything else: root may create regular files in it', () => {
    const { vfs } = setup();
    const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
    const f = vfs.open(root, '/dev/file', O.O_RDWR | O.O_CREAT, 0o644);
    expect(typeof f).not.toBe('number');
    const user: FsTask = { fs: vfs.newFsContext(), cred: new Credentials(1000, 1000) };
    expect(vfs.open(user, '/dev/other', O.O_RDWR | O.O_CREAT, 0o644)).toBe(-Errno.EACCES);
    expect(new DevFs({ frames: new ArenaFrameAllocator({ frames: 1 }) }).type).toBe('devtmpfs');
  });
});

describe('device nodes made by mknod (chrdev_open by number)', () => {
  it('a node 1:3 anywhere is /dev/null, 1:5 /dev/zero (mapping as anonymous memory), an unknown number ENXIO', () => {
    const { vfs, dev, open } = setup();
    vfs.specialFiles.charDevices = (rdev) => dev.openCharDevice(rdev);
    const root: FsTask = { fs: vfs.newFsContext(0), cred: Credentials.root() };
    expect(vfs.mknod(root, '/null', S.S_IFCHR | 0o666, 0x103)).toBe(0);
    expect(vfs.mknod(root, '/zero', S.S_IFCHR | 0o666, 0x105)).toBe(0);
    expect(vfs.mknod(root, '/none', S.S_IFCHR | 0o666, 0xfa4d)).toBe(0);
    const n = open('/null', O.O_RDWR);
    expect(n.write(new Uint8Array(3), 0, 3)).toBe(3);
    expect(n.read(new Uint8Array(3), 0, 3)).toBe(0);
    expect(n.mapsAnonymous).toBe(false);
    const z = open('/zero', O.O_RDONLY);
    const buf = new Uint8Array(4).fill(9);
    expect(z.read(buf, 0, 4)).toBe(4);
    expect([...buf]).toEqual([0, 0, 0, 0]);
    expect(z.mapsAnonymous).toBe(true);
    expect(vfs.open(root, '/none', O.O_RDONLY, 0)).toBe(-Errno.ENXIO);
    n.decRef();
    z.decRef();
  });
});
