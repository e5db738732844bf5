import { Errno, O, offsetSub, S, SEEK } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import type { MappingIdentity } from '@tskern/mm-api';
import { Vfs, type OpenFileDescription } from './index';
import { dec, enc, openOk, world } from './testing/world';

const E = Errno;

describe('read and write', () => {
  it('advance the offset; pread/pwrite leave it', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR);
    expect(f.write(enc('hello world'), 0, 11)).toBe(11);
    expect(f.pos).toBe(11);
    const buf = new Uint8Array(5);
    expect(f.pread(buf, 0, 5, 6)).toBe(5);
    expect(dec(buf)).toBe('world');
    expect(f.pwrite(enc('W'), 0, 1, 6)).toBe(1);
    expect(f.pos).toBe(11);
    expect(f.lseek(0, SEEK.SEEK_SET)).toBe(0);
    const all = new Uint8Array(20);
    expect(f.read(all, 0, 20)).toBe(11);
    expect(dec(all.subarray(0, 11))).toBe('hello World');
    expect(f.read(all, 0, 20)).toBe(0);
    expect(f.pread(all, 0, 1, -1)).toBe(-E.EINVAL);
    expect(f.pwrite(all, 0, 1, -1)).toBe(-E.EINVAL);
  });

  it('checks the access mode (EBADF)', () => {
    const { vfs, user } = world();
    const w = openOk(vfs, user, 'f', O.O_CREAT | O.O_WRONLY);
    expect(w.read(new Uint8Array(1), 0, 1)).toBe(-E.EBADF);
    const r = openOk(vfs, user, 'f', O.O_RDONLY);
    expect(r.write(enc('x'), 0, 1)).toBe(-E.EBADF);
    expect(r.pwrite(enc('x'), 0, 1, 0)).toBe(-E.EBADF);
  });

  it('O_APPEND writes at the end, also for pwrite, and two appenders interleave', () => {
    const { vfs, user } = world();
    const a = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR | O.O_APPEND);
    const b = openOk(vfs, user, 'f', O.O_RDWR | O.O_APPEND);
    expect(a.write(enc('aa'), 0, 2)).toBe(2);
    expect(b.write(enc('bb'), 0, 2)).toBe(2);
    expect(b.pos).toBe(4);
    expect(a.lseek(0, SEEK.SEEK_SET)).toBe(0);
    expect(a.write(enc('c'), 0, 1)).toBe(1);
    expect(a.pos).toBe(5);
    expect(a.pwrite(enc('d'), 0, 1, 0)).toBe(1);
    const all = new Uint8Array(6);
    expect(a.pread(all, 0, 6, 0)).toBe(6);
    expect(dec(all)).toBe('aabbcd');
  });

  it('read of a directory is EISDIR; writes past the size limit are EFBIG or short', () => {
    const { vfs, user } = world();
    const d = openOk(vfs, user, '/tmp', O.O_RDONLY);
    expect(d.read(new Uint8Array(1), 0, 1)).toBe(-E.EISDIR);
    const f = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR);
    const max = f.inode.fs.maxFileSize;
    expect(f.pwrite(enc('xyz'), 0, 3, max)).toBe(-E.EFBIG);
    expect(f.pwrite(enc('xyz'), 0, 3, offsetSub(max, 1))).toBe(1);
  });
});

describe('lseek', () => {
  it('SEEK_SET/CUR/END and EINVAL for negative results or bad whence', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR);
    f.write(enc('0123456789'), 0, 10);
    expect(f.lseek(3, SEEK.SEEK_SET)).toBe(3);
    expect(f.lseek(2, SEEK.SEEK_CUR)).toBe(5);
    expect(f.lseek(-1, SEEK.SEEK_END)).toBe(9);
    expect(f.lseek(100, SEEK.SEEK_END)).toBe(110);
    expect(f.lseek(-1, SEEK.SEEK_SET)).toBe(-E.EINVAL);
    expect(f.lseek(-200, SEEK.SEEK_CUR)).toBe(-E.EINVAL);
    expect(f.lseek(0, 5)).toBe(-E.EINVAL);
    expect(f.pos).toBe(110);
  });

  it('SEEK_DATA/SEEK_HOLE without a hole map: data to EOF, ENXIO at or past it', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR);
    f.write(enc('0123456789'), 0, 10);
    expect(f.lseek(4, SEEK.SEEK_DATA)).toBe(4);
    expect(f.lseek(4, SEEK.SEEK_HOLE)).toBe(10);
    expect(f.lseek(10, SEEK.SEEK_DATA)).toBe(-E.ENXIO);
    expect(f.lseek(-1, SEEK.SEEK_HOLE)).toBe(-E.ENXIO);
  });

  it('directories seek with SET and CUR only', () => {
    const { vfs, user } = world();
    const d = openOk(vfs, user, '/tmp', O.O_RDONLY);
    expect(d.lseek(1, SEEK.SEEK_SET)).toBe(1);
    expect(d.lseek(1, SEEK.SEEK_CUR)).toBe(2);
    expect(d.lseek(0, SEEK.SEEK_END)).toBe(-E.EINVAL);
    expect(d.lseek(-5, SEEK.SEEK_CUR)).toBe(-E.EINVAL);
  });
});

describe('ftruncate', () => {
  it('EINVAL on a read-only descriptor, a negative length, or a directory', () => {
    const { vfs, user } = world();
    const w = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR);
    const r = openOk(vfs, user, 'f', O.O_RDONLY);
    expect(r.truncate(10, user.cred)).toBe(-E.EINVAL);
    expect(w.truncate(-1, user.cred)).toBe(-E.EINVAL);
    const d = openOk(vfs, user, '/tmp', O.O_RDONLY);
    expect(d.truncate(0, user.cred)).toBe(-E.EINVAL);
    const p = openOk(vfs, user, 'f', O.O_PATH);
    expect(p.truncate(0, user.cred)).toBe(-E.EBADF);
    expect(w.truncate(10, user.cred)).toBe(0);
    expect(r.stat().size).toBe(10);
  });

  it('works on a writable descriptor whatever the file mode', () => {
    const { vfs, user } = world();
    const w = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR, 0o444);
    expect(w.truncate(100, user.cred)).toBe(0);
    expect(w.stat().size).toBe(100);
  });

  it('shrink then grow reads zeros', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR);
    f.write(enc('aaaaaaaaaa'), 0, 10);
    expect(f.truncate(5, user.cred)).toBe(0);
    expect(f.truncate(10, user.cred)).toBe(0);
    const b = new Uint8Array(10);
    expect(f.pread(b, 0, 10, 0)).toBe(10);
    expect([...b]).toEqual([97, 97, 97, 97, 97, 0, 0, 0, 0, 0]);
  });

  it('drops set-user-ID from a file truncated by its non-root owner', () => {
    const { vfs, user } = world();
    const w = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR, 0o4755);
    expect(w.inode.mode & S.S_ISUID).toBe(S.S_ISUID);
    expect(w.truncate(1, user.cred)).toBe(0);
    expect(w.inode.mode & S.S_ISUID).toBe(0);
  });

  it('a write by an unprivileged caller drops set-user-ID and group-executable set-group-ID (file_remove_privs)', () => {
    const { vfs, user, root } = world();
    const w = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR, 0o6755);
    expect(w.inode.mode & 0o7777).toBe(0o6755);
    expect(w.write(enc(''), 0, 0)).toBe(0); // nothing written: nothing dropped
    expect(w.inode.mode & 0o7777).toBe(0o6755);
    expect(w.write(enc('x'), 0, 1)).toBe(1);
    expect(w.inode.mode & 0o7777).toBe(0o0755);
    // S_ISGID without group execute stays for a caller in the group; pwrite too, and the caller's credentials win.
    expect(vfs.chmod(user, 'f', 0o6744)).toBe(0);
    expect(w.pwrite(enc('y'), 0, 1, 5)).toBe(1);
    expect(w.inode.mode & 0o7777).toBe(0o2744);
    // A caller with CAP_FSETID keeps both.
    expect(vfs.chmod(user, 'f', 0o6755)).toBe(0);
    expect(w.write(enc('z'), 0, 1, root.cred)).toBe(1);
    expect(w.inode.mode & 0o7777).toBe(0o6755);
  });
});

describe('fcntl flags, fsync, fstat', () => {
  it('F_GETFL shows the open flags but creation flags, plus O_LARGEFILE; F_SETFL changes SETFL_MASK only', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 'f', O.O_CREAT | O.O_EXCL | O.O_TRUNC | O.O_WRONLY | O.O_CLOEXEC);
    expect(f.getFlags()).toBe(O.O_WRONLY | O.O_CLOEXEC | O.O_LARGEFILE);
    expect(f.setFlags(O.O_APPEND | O.O_RDWR | O.O_NONBLOCK | O.O_SYNC, user.cred)).toBe(0);
    expect(f.getFlags()).toBe(O.O_WRONLY | O.O_CLOEXEC | O.O_LARGEFILE | O.O_APPEND | O.O_NONBLOCK);
    expect(f.setFlags(0, user.cred)).toBe(0);
    expect(f.getFlags()).toBe(O.O_WRONLY | O.O_CLOEXEC | O.O_LARGEFILE);
  });

  it('O_NOATIME needs ownership (EPERM)', () => {
    const { vfs, root, user } = world();
    openOk(vfs, root, '/tmp/r', O.O_CREAT | O.O_WRONLY, 0o644);
    const f = openOk(vfs, user, 'r', O.O_RDONLY);
    expect(f.setFlags(O.O_NOATIME, user.cred)).toBe(-E.EPERM);
    expect(vfs.open(user, 'r', O.O_RDONLY | O.O_NOATIME, 0)).toBe(-E.EPERM);
  });

  it('fsync works on any descriptor of a file with fsync, EINVAL without, EBADF for O_PATH', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDONLY);
    expect(f.fsync(false)).toBe(0);
    expect(openOk(vfs, user, '/tmp', O.O_RDONLY).fsync(true)).toBe(-E.EINVAL);
    expect(openOk(vfs, user, 'f', O.O_PATH).fsync(false)).toBe(-E.EBADF);
  });

  it('fstat reports the inode', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR, 0o600);
    f.write(enc('abc'), 0, 3);
    const st = f.stat();
    expect(st).toMatchObject({ size: 3, nlink: 1, mode: S.S_IFREG | 0o600, uid: 1000, gid: 1000, ino: f.inode.ino });
    expect(st.dev).toBe(f.inode.fs.deviceId);
    expect(vfs.unlink(user, 'f')).toBe(0);
    expect(f.stat().nlink).toBe(0);
  });
});

describe('directories', () => {
  function list(d: OpenFileDescription, room = Infinity, caller = { cred: world().user.cred }) {
    const names: string[] = [];
    let left = room;
    d.iterateDir((name) => {
      if (left-- <= 0) return false;
      names.push(name);
      return true;
    }, caller);
    return names;
  }

  it('lists ".", "..", then entries in creation order, resuming where it stopped', () => {
    const { vfs, user } = world();
    for (const n of ['a', 'b', 'c']) openOk(vfs, user, n, O.O_CREAT | O.O_WRONLY);
    const d = openOk(vfs, user, '/tmp', O.O_RDONLY);
    expect(list(d, 3)).toEqual(['.', '..', 'a']);
    expect(vfs.unlink(user, 'b')).toBe(0);
    openOk(vfs, user, 'e', O.O_CREAT | O.O_WRONLY);
    expect(list(d)).toEqual(['c', 'e']);
    expect(list(d)).toEqual([]);
    expect(d.lseek(0, SEEK.SEEK_SET)).toBe(0);
    expect(list(d)).toEqual(['.', '..', 'a', 'c', 'e']);
  });

  it('a file is ENOTDIR; a removed directory is ENOENT and lists nothing (IS_DEADDIR)', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDONLY);
    expect(f.iterateDir(() => true, user)).toBe(-E.ENOTDIR);
    expect(vfs.mkdir(user, 'd', 0o777)).toBe(0);
    const d = openOk(vfs, user, 'd', O.O_RDONLY);
    expect(vfs.rmdir(user, 'd')).toBe(0);
    const names: string[] = [];
    expect(d.iterateDir((name) => (names.push(name), true), user)).toBe(-E.ENOENT);
    expect(names).toEqual([]);
  });
});

describe('names and mapping', () => {
  it('an open file keeps its name; unlink marks it (deleted)', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR);
    expect(vfs.displayPath(f.path)).toBe('/tmp/f');
    expect(vfs.unlink(user, 'f')).toBe(0);
    expect(vfs.displayPath(f.path)).toBe('/tmp/f (deleted)');
    // A new file of the same name is a different dentry.
    const g = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR);
    expect(vfs.displayPath(g.path)).toBe('/tmp/f');
    expect(vfs.displayPath(f.path)).toBe('/tmp/f (deleted)');
  });

  it('mmapSource: no object for files that cannot be mapped or without an identity provider (mmap decides ENODEV); EBADF for O_PATH', () => {
    const { vfs, user } = world();
    const f = openOk(vfs, user, 'f', O.O_CREAT | O.O_RDWR);
    expect(f.mmapSource()).toEqual({ mappable: null, identity: null, readable: true, writable: true });
    expect(openOk(vfs, user, 'f', O.O_PATH).mmapSource()).toBe(-E.EBADF);
  });

  it('mmapSource asks the provider and reports the access mode', () => {
    const w = world();
    const identity = { incRef() {}, decRef() {}, mappedName: () => 'x', deviceId: () => 0, inodeId: () => 0, sync: () => 0 } satisfies MappingIdentity;
    const vfs = new Vfs(w.fs, { mappingIdentities: { identityFor: () => identity } });
    const task = { fs: vfs.newFsContext(), cred: w.user.cred };
    const mappable = { fake: true };
    (w.fs.root() as unknown as { mappable: () => unknown }).mappable = () => mappable; // pretend /tmp's inode is mappable
    const tmp = openOk(vfs, task, '/', O.O_RDONLY);
    const src = tmp.mmapSource();
    expect(typeof src === 'object' && [src.identity, src.mappable, src.readable, src.writable]).toEqual([identity, mappable, true, false]);
  });
});
