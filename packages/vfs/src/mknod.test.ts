import { Errno, O, S } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { Credentials, MNT, type FileOperations, type FsTask } from './index';
import { MemFs } from './testing/mem-fs';
import { dec, enc, openOk, world } from './testing/world';

const E = Errno;

function statOf(vfs: ReturnType<typeof world>['vfs'], task: FsTask, path: string) {
  const st = vfs.stat(task, path, false);
  if (typeof st === 'number') throw new Error(`stat ${path}: ${st}`);
  return st;
}

/** A character driver for a test: reads answer `text`, writes are swallowed. */
function textDevice(text: string): FileOperations {
  return {
    read: (pos, dst, off, len) => {
      const b = enc(text).subarray(pos, pos + len);
      dst.set(b, off);
      return b.length;
    },
    write: (_pos, _src, _off, len) => len,
  };
}

describe('mknod (do_mknodat, may_mknod, vfs_mknod)', () => {
  it('checks the type first: S_IFDIR is EPERM, an unknown type EINVAL, even over an existing name', () => {
    const { vfs, root } = world();
    expect(vfs.mknod(root, '/tmp/d', S.S_IFDIR | 0o755, 0)).toBe(-E.EPERM);
    expect(vfs.mknod(root, '/tmp', S.S_IFDIR | 0o755, 0)).toBe(-E.EPERM);
    expect(vfs.mknod(root, '/tmp/x', S.S_IFMT | 0o755, 0)).toBe(-E.EINVAL);
    expect(vfs.mknod(root, '/tmp/x', 0o070000 | 0o755, 0)).toBe(-E.EINVAL);
    expect(vfs.mknod(root, '/tmp', S.S_IFIFO | 0o600, 0)).toBe(-E.EEXIST);
    expect(vfs.mknod(root, '/nope/x', S.S_IFIFO | 0o600, 0)).toBe(-E.ENOENT);
    expect(vfs.mknod(root, '', S.S_IFIFO | 0o600, 0)).toBe(-E.ENOENT);
  });

  it('makes each type with the umask applied; st_rdev only for device nodes', () => {
    const { vfs, root } = world();
    expect(vfs.mknod(root, '/tmp/r', 0o666, 0x103)).toBe(0);
    expect(statOf(vfs, root, '/tmp/r')).toMatchObject({ mode: S.S_IFREG | 0o644, rdev: 0 });
    expect(vfs.mknod(root, '/tmp/p', S.S_IFIFO | 0o666, 0x103)).toBe(0);
    expect(statOf(vfs, root, '/tmp/p')).toMatchObject({ mode: S.S_IFIFO | 0o644, rdev: 0, size: 0 });
    expect(vfs.mknod(root, '/tmp/s', S.S_IFSOCK | 0o6777, 0)).toBe(0);
    expect(statOf(vfs, root, '/tmp/s').mode).toBe(S.S_IFSOCK | 0o6755);
    expect(vfs.mknod(root, '/tmp/c', S.S_IFCHR | 0o666, 0x12300145)).toBe(0);
    expect(statOf(vfs, root, '/tmp/c')).toMatchObject({ mode: S.S_IFCHR | 0o644, rdev: 0x12300145 });
    expect(vfs.mknod(root, '/tmp/b', S.S_IFBLK | 0o600, 0x700)).toBe(0);
    expect(statOf(vfs, root, '/tmp/b')).toMatchObject({ mode: S.S_IFBLK | 0o600, rdev: 0x700 });
    expect(vfs.mknod(root, '/tmp/b', S.S_IFBLK | 0o600, 0x700)).toBe(-E.EEXIST);
    expect(vfs.mknod(root, '/tmp/r/x', S.S_IFIFO | 0o600, 0)).toBe(-E.ENOTDIR);
  });

  it('needs CAP_MKNOD for device nodes only, and write permission on the directory', () => {
    const { vfs, root, user } = world();
    expect(vfs.mknod(user, 'c', S.S_IFCHR | 0o600, 0x103)).toBe(-E.EPERM);
    expect(vfs.mknod(user, 'b', S.S_IFBLK | 0o600, 0x700)).toBe(-E.EPERM);
    expect(vfs.mknod(user, 'p', S.S_IFIFO | 0o600, 0)).toBe(0);
    expect(statOf(vfs, root, '/tmp/p').uid).toBe(1000);
    expect(vfs.mknod(user, '/x', S.S_IFIFO | 0o600, 0)).toBe(-E.EACCES);
    const nobody: FsTask = { fs: vfs.newFsContext(0o022), cred: new Credentials(2000, 2000) };
    expect(vfs.mknod(nobody, '/c', S.S_IFCHR | 0o600, 0x103)).toBe(-E.EACCES); // may_create before the capability
  });

  it('EROFS on a read-only mount, EPERM where the file system has no mknod', () => {
    const { vfs, root } = world();
    expect(vfs.mkdir(root, '/ro', 0o755)).toBe(0);
    expect(vfs.mount('/ro', new MemFs({ readOnly: true }))).toBe(0);
    expect(vfs.mknod(root, '/ro/p', S.S_IFIFO | 0o600, 0)).toBe(-E.EROFS);
    const fs = new MemFs();
    Object.defineProperty(fs, 'mknod', { value: undefined });
    expect(vfs.mkdir(root, '/nomknod', 0o755)).toBe(0);
    expect(vfs.mount('/nomknod', fs)).toBe(0);
    expect(vfs.mknod(root, '/nomknod/p', S.S_IFIFO | 0o600, 0)).toBe(-E.EPERM);
    expect(vfs.mknod(root, '/nomknod/r', S.S_IFREG | 0o600, 0)).toBe(0); // through create
  });
});

describe('opening special files (init_special_inode)', () => {
  it('finds the character driver by number; ENXIO without one, and for sockets', () => {
    const { vfs, root } = world();
    vfs.specialFiles.charDevices = (rdev) => (rdev === 0x103 ? textDevice('hello') : -E.ENXIO);
    expect(vfs.mknod(root, '/tmp/c', S.S_IFCHR | 0o666, 0x103)).toBe(0);
    const f = openOk(vfs, root, '/tmp/c', O.O_RDWR);
    const buf = new Uint8Array(5);
    expect(f.read(buf, 0, 5)).toBe(5);
    expect(dec(buf)).toBe('hello');
    expect(f.write(enc('abc'), 0, 3)).toBe(3);
    f.decRef();
    expect(vfs.mknod(root, '/tmp/other', S.S_IFCHR | 0o666, 0x104)).toBe(0);
    expect(vfs.open(root, '/tmp/other', O.O_RDONLY, 0)).toBe(-E.ENXIO);
    expect(vfs.mknod(root, '/tmp/b', S.S_IFBLK | 0o666, 0x700)).toBe(0);
    expect(vfs.open(root, '/tmp/b', O.O_RDONLY, 0)).toBe(-E.ENXIO); // no block driver registered
    expect(vfs.mknod(root, '/tmp/s', S.S_IFSOCK | 0o666, 0)).toBe(0);
    expect(vfs.open(root, '/tmp/s', O.O_RDONLY, 0)).toBe(-E.ENXIO);
    const p = vfs.open(root, '/tmp/s', O.O_PATH, 0);
    expect(typeof p).toBe('object'); // O_PATH never opens the node itself
    if (typeof p === 'object') p.decRef();
  });

  it('a device node through a nodev mount is EACCES before the driver is asked', () => {
    const { vfs, root } = world();
    let asked = 0;
    vfs.specialFiles.charDevices = () => (asked++, textDevice(''));
    expect(vfs.mkdir(root, '/nd', 0o755)).toBe(0);
    expect(vfs.mount('/nd', new MemFs({ rootMode: 0o777 }), { flags: MNT.NODEV })).toBe(0);
    expect(vfs.mknod(root, '/nd/c', S.S_IFCHR | 0o666, 0x103)).toBe(0);
    expect(vfs.open(root, '/nd/c', O.O_RDONLY, 0)).toBe(-E.EACCES);
    expect(asked).toBe(0);
  });
});
