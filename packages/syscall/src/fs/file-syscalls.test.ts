import { AT, AT_FDCWD, Errno, F, FD_CLOEXEC, NAME_MAX, O, PAGE_SIZE, PATH_MAX, S, SEEK, STAT, SYS } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { x86_64Personality } from '../arch/x86-64';
import { READONLY, sys, world } from './testing/world';

const E = Errno;

describe('open, read, write, lseek, close', () => {
  it('round-trips data and shares the offset between dup descriptors', () => {
    const w = world();
    const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o644);
    expect(fd).toBe(0);
    expect(sys(w.ctx, SYS.write, fd, w.str(new TextEncoder().encode('hello world')), 11)).toBe(11);
    const fd2 = sys(w.ctx, SYS.dup, fd);
    expect(fd2).toBe(1);
    expect(sys(w.ctx, SYS.lseek, fd2, 0, SEEK.SEEK_CUR)).toBe(11);
    expect(sys(w.ctx, SYS.lseek, fd, 6, SEEK.SEEK_SET)).toBe(6);
    const buf = w.alloc(16);
    expect(sys(w.ctx, SYS.read, fd2, buf, 16)).toBe(5);
    expect(w.text(buf, 5)).toBe('world');
    expect(sys(w.ctx, SYS.lseek, fd, 0, SEEK.SEEK_CUR)).toBe(11);
    expect(sys(w.ctx, SYS.pread64, fd, buf, 5, 0)).toBe(5);
    expect(w.text(buf, 5)).toBe('hello');
    expect(sys(w.ctx, SYS.pwrite64, fd, w.str(new TextEncoder().encode('J')), 1, 0)).toBe(1);
    expect(sys(w.ctx, SYS.pread64, fd, buf, 5, 0)).toBe(5);
    expect(w.text(buf, 5)).toBe('Jello');
    expect(sys(w.ctx, SYS.close, fd)).toBe(0);
    expect(sys(w.ctx, SYS.close, fd)).toBe(-E.EBADF);
    expect(sys(w.ctx, SYS.read, fd2, buf, 1)).toBe(0);
  });

  it('creat truncates and opens write-only', () => {
    const w = world();
    const fd = sys(w.ctx, SYS.creat, w.str('c'), 0o600);
    expect(sys(w.ctx, SYS.write, fd, w.str('abc'), 3)).toBe(3);
    const again = sys(w.ctx, SYS.creat, w.str('c'), 0o600);
    expect(sys(w.ctx, SYS.read, again, w.alloc(1), 1)).toBe(-E.EBADF);
    const st = w.alloc(STAT.size);
    expect(sys(w.ctx, SYS.fstat, fd, st)).toBe(0);
    const v = new DataView(w.bytes(st, STAT.size).buffer);
    expect(Number(v.getBigInt64(STAT.st_size, true))).toBe(0);
  });

  it('bad descriptors are EBADF everywhere', () => {
    const w = world();
    const buf = w.alloc(64);
    for (const [nr, args] of [
      [SYS.read, [5, buf, 1]], [SYS.write, [5, buf, 1]], [SYS.pread64, [5, buf, 1, 0]], [SYS.pwrite64, [5, buf, 1, 0]],
      [SYS.close, [5]], [SYS.lseek, [5, 0, 0]], [SYS.fstat, [5, buf]], [SYS.ftruncate, [5, 0]], [SYS.dup, [5]],
      [SYS.dup2, [5, 6]], [SYS.dup3, [5, 6, 0]], [SYS.fcntl, [5, F.F_GETFD, 0]], [SYS.fsync, [5]], [SYS.fdatasync, [5]],
      [SYS.getdents64, [5, buf, 64]], [SYS.fchmod, [5, 0o644]], [SYS.fchown, [5, 0, 0]], [SYS.fchdir, [5]],
      [SYS.read, [-1, buf, 1]], [SYS.close, [2 ** 32 - 1]],
    ] as const) {
      expect(sys(w.ctx, nr, ...args), `syscall ${nr}`).toBe(-E.EBADF);
    }
  });

  it('read into an unwritable buffer is EFAULT and leaves the offset; a buffer ending in one reads short', () => {
    const w = world();
    const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o644);
    const data = new Uint8Array(3 * PAGE_SIZE).fill(0x41);
    expect(sys(w.ctx, SYS.write, fd, w.str(data), data.length)).toBe(data.length);
    expect(sys(w.ctx, SYS.lseek, fd, 0, SEEK.SEEK_SET)).toBe(0);
    expect(sys(w.ctx, SYS.read, fd, READONLY, 10)).toBe(-E.EFAULT);
    expect(sys(w.ctx, SYS.read, fd, 0, 10)).toBe(-E.EFAULT);
    expect(sys(w.ctx, SYS.read, fd, 0x7fff_0000_0000, 10)).toBe(-E.EFAULT);
    expect(sys(w.ctx, SYS.read, fd, READONLY - 5, 10)).toBe(5); // the copy stops at the read-only page
    expect(sys(w.ctx, SYS.lseek, fd, 0, SEEK.SEEK_SET)).toBe(0);
    expect(sys(w.ctx, SYS.read, fd, READONLY - PAGE_SIZE, 2 * PAGE_SIZE)).toBe(PAGE_SIZE);
    expect(sys(w.ctx, SYS.lseek, fd, 0, SEEK.SEEK_CUR)).toBe(PAGE_SIZE);
    expect(sys(w.ctx, SYS.read, fd, w.alloc(8), -1)).toBe(-E.EFAULT);
    // At EOF nothing is copied, so even a bad buffer reads 0 (access_ok only checks the range).
    expect(sys(w.ctx, SYS.lseek, fd, 0, SEEK.SEEK_END)).toBe(data.length);
    expect(sys(w.ctx, SYS.read, fd, 0x1000, 10)).toBe(0);
  });

  it('write from a bad buffer is EFAULT; pread/pwrite with a negative offset EINVAL before EBADF', () => {
    const w = world();
    const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o644);
    expect(sys(w.ctx, SYS.write, fd, 0x1000, 10)).toBe(-E.EFAULT);
    expect(sys(w.ctx, SYS.write, fd, READONLY, 10)).toBe(10); // readable is enough
    expect(sys(w.ctx, SYS.pread64, 99, w.alloc(1), 1, -1)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.pwrite64, 99, w.alloc(1), 1, -1)).toBe(-E.EINVAL);
  });

  it('read of a directory is EISDIR, even for 0 bytes; lseek whence past SEEK_HOLE is EINVAL', () => {
    const w = world();
    const d = sys(w.ctx, SYS.open, w.str('.'), O.O_RDONLY | O.O_DIRECTORY, 0);
    expect(sys(w.ctx, SYS.read, d, w.alloc(8), 8)).toBe(-E.EISDIR);
    expect(sys(w.ctx, SYS.read, d, w.alloc(8), 0)).toBe(-E.EISDIR);
    const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o644);
    expect(sys(w.ctx, SYS.lseek, fd, 0, 5)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.lseek, fd, 0, -1)).toBe(-E.EINVAL);
  });
});

describe('paths from user memory', () => {
  it('EFAULT for a bad pointer, ENOENT for an empty path', () => {
    const w = world();
    expect(sys(w.ctx, SYS.open, 0, O.O_RDONLY, 0)).toBe(-E.EFAULT);
    expect(sys(w.ctx, SYS.open, w.str(''), O.O_RDONLY, 0)).toBe(-E.ENOENT);
    expect(sys(w.ctx, SYS.stat, 0, w.alloc(STAT.size))).toBe(-E.EFAULT);
  });

  it('ENAMETOOLONG for a 256-byte component and for a path of PATH_MAX bytes', () => {
    const w = world();
    expect(sys(w.ctx, SYS.open, w.str('a'.repeat(NAME_MAX + 1)), O.O_CREAT | O.O_RDWR, 0o644)).toBe(-E.ENAMETOOLONG);
    expect(sys(w.ctx, SYS.mkdir, w.str('b'.repeat(NAME_MAX + 1)), 0o755)).toBe(-E.ENAMETOOLONG);
    expect(sys(w.ctx, SYS.open, w.str('a'.repeat(NAME_MAX)), O.O_CREAT | O.O_RDWR, 0o644)).toBeGreaterThanOrEqual(0);
    const long = ('./'.repeat(PATH_MAX) + 'x').slice(-PATH_MAX);
    expect(sys(w.ctx, SYS.open, w.str(long), O.O_RDONLY, 0)).toBe(-E.ENAMETOOLONG);
    expect(sys(w.ctx, SYS.open, w.str(long.slice(1)), O.O_RDONLY, 0)).toBe(-E.ENOENT);
  });

  it('bad open flags are EINVAL before the path is read', () => {
    const w = world();
    expect(sys(w.ctx, SYS.open, 0, O.O_CREAT | O.O_DIRECTORY, 0)).toBe(-E.EINVAL);
  });
});

describe('openat and other *at calls', () => {
  it('resolve relative paths from the directory fd; absolute paths ignore it', () => {
    const w = world();
    expect(sys(w.ctx, SYS.mkdir, w.str('d'), 0o755)).toBe(0);
    const dfd = sys(w.ctx, SYS.open, w.str('d'), O.O_RDONLY | O.O_DIRECTORY, 0);
    const fd = sys(w.ctx, SYS.openat, dfd, w.str('inside'), O.O_CREAT | O.O_RDWR, 0o644);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(sys(w.ctx, SYS.stat, w.str('/tmp/d/inside'), w.alloc(STAT.size))).toBe(0);
    expect(sys(w.ctx, SYS.openat, 77, w.str('/tmp/d/inside'), O.O_RDONLY, 0)).toBeGreaterThanOrEqual(0);
    expect(sys(w.ctx, SYS.openat, 77, w.str('inside'), O.O_RDONLY, 0)).toBe(-E.EBADF);
    expect(sys(w.ctx, SYS.openat, fd, w.str('x'), O.O_RDONLY, 0)).toBe(-E.ENOTDIR);
    expect(sys(w.ctx, SYS.openat, AT_FDCWD, w.str('d/inside'), O.O_RDONLY, 0)).toBeGreaterThanOrEqual(0);
    expect(sys(w.ctx, SYS.mkdirat, dfd, w.str('sub'), 0o700)).toBe(0);
    expect(sys(w.ctx, SYS.unlinkat, dfd, w.str('sub'), 0)).toBe(-E.EISDIR);
    expect(sys(w.ctx, SYS.unlinkat, dfd, w.str('sub'), AT.AT_REMOVEDIR)).toBe(0);
    expect(sys(w.ctx, SYS.unlinkat, dfd, w.str('inside'), AT.AT_SYMLINK_NOFOLLOW)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.renameat, dfd, w.str('inside'), AT_FDCWD, w.str('moved'))).toBe(0);
    expect(sys(w.ctx, SYS.unlinkat, AT_FDCWD, w.str('moved'), 0)).toBe(0);
  });
});

describe('descriptors', () => {
  it('O_CLOEXEC and F_SETFD mark descriptors that exec closes', () => {
    const w = world();
    const a = sys(w.ctx, SYS.open, w.str('a'), O.O_CREAT | O.O_RDWR | O.O_CLOEXEC, 0o644);
    const b = sys(w.ctx, SYS.open, w.str('b'), O.O_CREAT | O.O_RDWR, 0o644);
    expect(sys(w.ctx, SYS.fcntl, a, F.F_GETFD, 0)).toBe(FD_CLOEXEC);
    expect(sys(w.ctx, SYS.fcntl, b, F.F_GETFD, 0)).toBe(0);
    const c = sys(w.ctx, SYS.fcntl, b, F.F_DUPFD_CLOEXEC, 10);
    expect(c).toBe(10);
    expect(sys(w.ctx, SYS.fcntl, c, F.F_GETFD, 0)).toBe(FD_CLOEXEC);
    w.ctx.files.execCloseOnExec();
    expect(sys(w.ctx, SYS.fcntl, a, F.F_GETFD, 0)).toBe(-E.EBADF);
    expect(sys(w.ctx, SYS.fcntl, c, F.F_GETFD, 0)).toBe(-E.EBADF);
    expect(sys(w.ctx, SYS.fcntl, b, F.F_GETFD, 0)).toBe(0);
  });

  it('EMFILE at the limit, before the file would be created', () => {
    const w = world({ fdLimit: 3 });
    for (let i = 0; i < 3; i++) expect(sys(w.ctx, SYS.open, w.str(`f${i}`), O.O_CREAT | O.O_RDWR, 0o644)).toBe(i);
    expect(sys(w.ctx, SYS.open, w.str('g'), O.O_CREAT | O.O_RDWR, 0o644)).toBe(-E.EMFILE);
    expect(sys(w.ctx, SYS.stat, w.str('g'), w.alloc(STAT.size))).toBe(-E.ENOENT);
    expect(sys(w.ctx, SYS.open, w.str('missing'), O.O_RDONLY, 0)).toBe(-E.EMFILE);
    expect(sys(w.ctx, SYS.dup, 0)).toBe(-E.EMFILE);
    expect(sys(w.ctx, SYS.fcntl, 0, F.F_DUPFD, 3)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.close, 1)).toBe(0);
    expect(sys(w.ctx, SYS.open, w.str('g'), O.O_CREAT | O.O_RDWR, 0o644)).toBe(1);
  });

  it('dup2/dup3 and fcntl flags', () => {
    const w = world();
    const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_WRONLY | O.O_APPEND, 0o644);
    expect(sys(w.ctx, SYS.dup2, fd, 7)).toBe(7);
    expect(sys(w.ctx, SYS.dup3, fd, 7, 0)).toBe(7);
    expect(sys(w.ctx, SYS.dup3, fd, fd, 0)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.dup3, fd, 8, O.O_CLOEXEC)).toBe(8);
    expect(sys(w.ctx, SYS.fcntl, 8, F.F_GETFD, 0)).toBe(FD_CLOEXEC);
    expect(sys(w.ctx, SYS.fcntl, fd, F.F_GETFL, 0)).toBe(O.O_WRONLY | O.O_APPEND | O.O_LARGEFILE);
    expect(sys(w.ctx, SYS.fcntl, fd, F.F_SETFL, O.O_NONBLOCK)).toBe(0);
    expect(sys(w.ctx, SYS.fcntl, 7, F.F_GETFL, 0)).toBe(O.O_WRONLY | O.O_NONBLOCK | O.O_LARGEFILE);
    expect(sys(w.ctx, SYS.fcntl, fd, 9999, 0)).toBe(-E.EINVAL);
    const p = sys(w.ctx, SYS.open, w.str('f'), O.O_PATH, 0);
    expect(sys(w.ctx, SYS.fcntl, p, F.F_SETFL, 0)).toBe(-E.EBADF);
    expect(sys(w.ctx, SYS.fcntl, p, F.F_GETFL, 0)).toBe(O.O_PATH | O.O_LARGEFILE);
    expect(sys(w.ctx, SYS.fstat, p, w.alloc(STAT.size))).toBe(0);
    expect(sys(w.ctx, SYS.read, p, w.alloc(1), 1)).toBe(-E.EBADF);
  });
});

describe('truncate, stat', () => {
  it('ftruncate on an O_RDONLY descriptor is EINVAL; a negative length is EINVAL even for a bad fd', () => {
    const w = world();
    sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o644);
    const ro = sys(w.ctx, SYS.open, w.str('f'), O.O_RDONLY, 0);
    expect(sys(w.ctx, SYS.ftruncate, ro, 100)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.ftruncate, 99, -1)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.ftruncate, 0, 100)).toBe(0);
    expect(sys(w.ctx, SYS.truncate, 0, -1)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.truncate, w.str('f'), 10)).toBe(0);
    expect(sys(w.ctx, SYS.truncate, w.str('/tmp'), 10)).toBe(-E.EISDIR);
  });

  it('stat fills struct stat: size, nlink, mode, uid, ino, blocks, blksize', () => {
    const w = world();
    const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o640);
    expect(sys(w.ctx, SYS.write, fd, w.str(new Uint8Array(PAGE_SIZE + 1)), PAGE_SIZE + 1)).toBe(PAGE_SIZE + 1);
    expect(sys(w.ctx, SYS.symlink, w.str('f'), w.str('l'))).toBe(0);
    const st = w.alloc(STAT.size);
    const read = () => {
      const v = new DataView(w.bytes(st, STAT.size).buffer);
      return {
        ino: Number(v.getBigUint64(STAT.st_ino, true)),
        nlink: Number(v.getBigUint64(STAT.st_nlink, true)),
        mode: v.getUint32(STAT.st_mode, true),
        uid: v.getUint32(STAT.st_uid, true),
        size: Number(v.getBigInt64(STAT.st_size, true)),
        blksize: Number(v.getBigInt64(STAT.st_blksize, true)),
        blocks: Number(v.getBigInt64(STAT.st_blocks, true)),
      };
    };
    expect(sys(w.ctx, SYS.stat, w.str('l'), st)).toBe(0);
    const viaLink = read();
    expect(viaLink).toMatchObject({ nlink: 1, mode: S.S_IFREG | 0o640, uid: 1000, size: PAGE_SIZE + 1, blksize: PAGE_SIZE, blocks: 16 });
    expect(sys(w.ctx, SYS.fstat, fd, st)).toBe(0);
    expect(read().ino).toBe(viaLink.ino);
    expect(sys(w.ctx, SYS.lstat, w.str('l'), st)).toBe(0);
    expect(read()).toMatchObject({ mode: S.S_IFLNK | 0o777, size: 1 });
    expect(sys(w.ctx, SYS.fstat, fd, READONLY)).toBe(-E.EFAULT);
    expect(sys(w.ctx, SYS.unlink, w.str('f'))).toBe(0);
    expect(sys(w.ctx, SYS.fstat, fd, st)).toBe(0);
    expect(read().nlink).toBe(0);
  });
});

describe('names, directories, attributes', () => {
  it('mkdir, rename, rmdir, symlink, readlink', () => {
    const w = world();
    expect(sys(w.ctx, SYS.mkdir, w.str('d'), 0o777)).toBe(0);
    expect(sys(w.ctx, SYS.mkdir, w.str('d'), 0o777)).toBe(-E.EEXIST);
    expect(sys(w.ctx, SYS.rename, w.str('d'), w.str('e'))).toBe(0);
    expect(sys(w.ctx, SYS.rmdir, w.str('d'))).toBe(-E.ENOENT);
    expect(sys(w.ctx, SYS.symlink, w.str('e/target'), w.str('ln'))).toBe(0);
    const buf = w.alloc(32);
    expect(sys(w.ctx, SYS.readlink, w.str('ln'), buf, 32)).toBe(8);
    expect(w.text(buf, 8)).toBe('e/target');
    expect(sys(w.ctx, SYS.readlink, w.str('ln'), buf, 3)).toBe(3);
    expect(sys(w.ctx, SYS.readlink, w.str('ln'), buf, 0)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.readlink, w.str('e'), buf, 32)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.readlink, w.str('ln'), READONLY, 32)).toBe(-E.EFAULT);
    expect(sys(w.ctx, SYS.symlink, w.str(''), w.str('x'))).toBe(-E.ENOENT);
    expect(sys(w.ctx, SYS.rmdir, w.str('e'))).toBe(0);
    expect(sys(w.ctx, SYS.unlink, w.str('ln'))).toBe(0);
  });

  it('chdir/fchdir/getcwd; ERANGE for a short buffer; ENOENT once the cwd is removed', () => {
    const w = world();
    const buf = w.alloc(64);
    expect(sys(w.ctx, SYS.getcwd, buf, 64)).toBe(5);
    expect(w.text(buf, 5)).toBe('/tmp\0');
    expect(sys(w.ctx, SYS.getcwd, buf, 4)).toBe(-E.ERANGE);
    expect(sys(w.ctx, SYS.mkdir, w.str('d'), 0o755)).toBe(0);
    expect(sys(w.ctx, SYS.chdir, w.str('d'))).toBe(0);
    expect(sys(w.ctx, SYS.getcwd, buf, 64)).toBe(7);
    const root = sys(w.ctx, SYS.open, w.str('/'), O.O_RDONLY, 0);
    expect(sys(w.ctx, SYS.rmdir, w.str('/tmp/d'))).toBe(0);
    expect(sys(w.ctx, SYS.getcwd, buf, 64)).toBe(-E.ENOENT);
    expect(sys(w.ctx, SYS.fchdir, root)).toBe(0);
    expect(sys(w.ctx, SYS.getcwd, buf, 64)).toBe(2);
    const f = sys(w.ctx, SYS.open, w.str('/tmp/f'), O.O_CREAT | O.O_RDWR, 0o644);
    expect(sys(w.ctx, SYS.fchdir, f)).toBe(-E.ENOTDIR);
    expect(sys(w.ctx, SYS.chdir, w.str('/tmp/f'))).toBe(-E.ENOTDIR);
  });

  it('getdents64 lists entries in linux_dirent64 records', () => {
    const w = world();
    expect(sys(w.ctx, SYS.mkdir, w.str('d'), 0o755)).toBe(0);
    sys(w.ctx, SYS.open, w.str('d/file'), O.O_CREAT | O.O_RDWR, 0o644);
    expect(sys(w.ctx, SYS.mkdir, w.str('d/sub'), 0o755)).toBe(0);
    const dfd = sys(w.ctx, SYS.open, w.str('d'), O.O_RDONLY | O.O_DIRECTORY, 0);
    const buf = w.alloc(256);
    const n = sys(w.ctx, SYS.getdents64, dfd, buf, 256);
    const bytes = w.bytes(buf, n);
    const v = new DataView(bytes.buffer);
    const seen: [string, number][] = [];
    for (let at = 0; at < n; ) {
      const reclen = v.getUint16(at + 16, true);
      expect(reclen % 8).toBe(0);
      const type = v.getUint8(at + 18);
      const name = new TextDecoder().decode(bytes.subarray(at + 19, bytes.indexOf(0, at + 19)));
      seen.push([name, type]);
      at += reclen;
    }
    expect(seen).toEqual([['.', 4], ['..', 4], ['file', 8], ['sub', 4]]); // DT_DIR 4, DT_REG 8
    expect(sys(w.ctx, SYS.getdents64, dfd, buf, 256)).toBe(0);
    expect(sys(w.ctx, SYS.lseek, dfd, 0, SEEK.SEEK_SET)).toBe(0);
    expect(sys(w.ctx, SYS.getdents64, dfd, buf, 10)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.getdents64, dfd, buf, 24)).toBe(24); // just "."
    expect(sys(w.ctx, SYS.getdents64, dfd, READONLY, 256)).toBe(-E.EFAULT);
    expect(sys(w.ctx, SYS.getdents64, dfd, buf, 256)).toBeGreaterThan(0); // the fault did not move the position
    const f = sys(w.ctx, SYS.open, w.str('d/file'), O.O_RDONLY, 0);
    expect(sys(w.ctx, SYS.getdents64, f, buf, 256)).toBe(-E.ENOTDIR);
  });

  it('chmod, fchmod, chown, fchown, umask, access', () => {
    const w = world();
    expect(sys(w.ctx, SYS.umask, 0o077)).toBe(0o022);
    expect(sys(w.ctx, SYS.umask, 0o7777)).toBe(0o077);
    expect(w.ctx.fs.umask).toBe(0o777);
    sys(w.ctx, SYS.umask, 0o022);
    const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o666);
    expect(sys(w.ctx, SYS.access, w.str('f'), S.S_IROTH | S.S_IWOTH)).toBe(0);
    expect(sys(w.ctx, SYS.access, w.str('f'), S.S_IXOTH)).toBe(-E.EACCES);
    expect(sys(w.ctx, SYS.chmod, w.str('f'), 0o700)).toBe(0);
    expect(sys(w.ctx, SYS.access, w.str('f'), S.S_IXOTH)).toBe(0);
    expect(sys(w.ctx, SYS.fchmod, fd, 0o400)).toBe(0);
    expect(sys(w.ctx, SYS.access, w.str('f'), S.S_IWOTH)).toBe(-E.EACCES);
    expect(sys(w.ctx, SYS.chown, w.str('f'), 0, 0xffffffff)).toBe(-E.EPERM);
    expect(sys(w.ctx, SYS.fchown, fd, -1, -1)).toBe(0);
    expect(sys(w.ctx, SYS.chown, w.str('f'), 1000, 1000)).toBe(0);
    expect(sys(w.ctx, SYS.fsync, fd)).toBe(0);
    expect(sys(w.ctx, SYS.fdatasync, fd)).toBe(0);
  });
});

describe('faccessat2', () => {
  // Each expectation as the host answers the same calls (Linux 6.18, root, a 0600 root file).
  const AT_EACCESS = 0x200;
  it('checks the mode, then the flags, before the path; AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH as do_faccessat', () => {
    const w = world({ uid: 0 });
    const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o600);
    expect(sys(w.ctx, SYS.symlink, w.str('nowhere'), w.str('dangling'))).toBe(0);
    expect(sys(w.ctx, SYS.faccessat2, AT_FDCWD, w.str('f'), 8, 0)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.faccessat2, AT_FDCWD, w.str('f'), S.S_IROTH, 0x8000)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.faccessat2, AT_FDCWD, 1, 8, 0)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.faccessat2, AT_FDCWD, 1, S.S_IROTH, 0x8000)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.faccessat, AT_FDCWD, 1, 8)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.faccessat2, AT_FDCWD, w.str('dangling'), 0, 0)).toBe(-E.ENOENT);
    expect(sys(w.ctx, SYS.faccessat2, AT_FDCWD, w.str('dangling'), 0, AT.AT_SYMLINK_NOFOLLOW)).toBe(0);
    expect(sys(w.ctx, SYS.faccessat2, fd, w.str(''), S.S_IROTH, 0)).toBe(-E.ENOENT);
    expect(sys(w.ctx, SYS.faccessat2, fd, w.str(''), S.S_IROTH, AT.AT_EMPTY_PATH)).toBe(0);
    expect(sys(w.ctx, SYS.faccessat2, 99, w.str(''), S.S_IROTH, AT.AT_EMPTY_PATH)).toBe(-E.EBADF);
    expect(sys(w.ctx, SYS.faccessat2, AT_FDCWD, w.str(''), S.S_IROTH, AT.AT_EMPTY_PATH)).toBe(0);
    const opath = sys(w.ctx, SYS.open, w.str('f'), O.O_PATH, 0);
    expect(sys(w.ctx, SYS.faccessat2, opath, w.str(''), S.S_IROTH, AT.AT_EMPTY_PATH)).toBe(0);
  });

  it('asks with the real ids and no capability for a real uid not 0, unless AT_EACCESS', () => {
    const w = world({ uid: 0 });
    const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o600);
    expect(sys(w.ctx, SYS.setresuid, 1000, 0, 0)).toBe(0);
    expect(sys(w.ctx, SYS.faccessat2, AT_FDCWD, w.str('f'), S.S_IROTH, 0)).toBe(-E.EACCES);
    expect(sys(w.ctx, SYS.faccessat2, AT_FDCWD, w.str('f'), S.S_IROTH, AT_EACCESS)).toBe(0);
    expect(sys(w.ctx, SYS.faccessat2, fd, w.str(''), S.S_IROTH, AT.AT_EMPTY_PATH)).toBe(-E.EACCES);
    expect(sys(w.ctx, SYS.faccessat, AT_FDCWD, w.str('f'), S.S_IROTH)).toBe(-E.EACCES);
  });
});

describe('fadvise64', () => {
  it('checks the descriptor, FIFOs, the length and the advice, then ignores it (no backing device), as the host on tmpfs', () => {
    const w = world();
    const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o600);
    for (let advice = 0; advice <= 5; advice++) expect(sys(w.ctx, SYS.fadvise64, fd, 0, 0, advice)).toBe(0);
    expect(sys(w.ctx, SYS.fadvise64, fd, 0, 1024, 6)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.fadvise64, fd, 0, -1, 0)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.fadvise64, fd, 0, -1, 9)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.fadvise64, fd, -4096, 10, 0)).toBe(0);
    expect(sys(w.ctx, SYS.fadvise64, 99, 0, 1, 9)).toBe(-E.EBADF);
    const opath = sys(w.ctx, SYS.open, w.str('f'), O.O_PATH, 0);
    expect(sys(w.ctx, SYS.fadvise64, opath, 0, 1, 0)).toBe(-E.EBADF);
    const fds = w.alloc(8);
    expect(sys(w.ctx, SYS.pipe2, fds, 0)).toBe(0);
    const readEnd = new DataView(w.bytes(fds, 8).buffer).getInt32(0, true);
    expect(sys(w.ctx, SYS.fadvise64, readEnd, 0, -1, 9)).toBe(-E.ESPIPE);
  });
});

describe('the table', () => {
  it('covers every file syscall of the brief', () => {
    const names = [
      'read', 'write', 'pread64', 'pwrite64', 'open', 'openat', 'creat', 'close', 'lseek', 'fstat', 'stat', 'lstat',
      'ftruncate', 'truncate', 'dup', 'dup2', 'dup3', 'fcntl', 'unlink', 'unlinkat', 'mkdir', 'mkdirat', 'rmdir',
      'rename', 'symlink', 'readlink', 'chdir', 'getcwd', 'chown', 'fchown', 'chmod', 'fchmod', 'umask', 'fsync',
      'fdatasync', 'getdents64', 'access',
    ] as const;
    const table = x86_64Personality().table;
    for (const n of names) expect(table.get(SYS[n])?.def.name, n).toBe(n);
  });
});
