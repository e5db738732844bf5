import { AT, AT_FDCWD, Errno, FALLOC_FL, FS_MAGIC, O, STAT, STATFS_STRUCT, SYS } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { sys, world } from './testing/world';

const E = Errno;

function nlink(w: ReturnType<typeof world>, path: string): number {
  const st = w.alloc(STAT.size);
  expect(sys(w.ctx, SYS.lstat, w.str(path), st)).toBe(0);
  return Number(new DataView(w.bytes(st, STAT.size).buffer).getBigUint64(STAT.st_nlink, true));
}

describe('link, linkat', () => {
  it('adds names with Linux errno; AT_EMPTY_PATH links an O_TMPFILE descriptor', () => {
    const w = world();
    sys(w.ctx, SYS.close, sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_WRONLY, 0o644));
    expect(sys(w.ctx, SYS.link, w.str('f'), w.str('g'))).toBe(0);
    expect(nlink(w, 'f')).toBe(2);
    expect(sys(w.ctx, SYS.link, w.str('f'), w.str('g'))).toBe(-E.EEXIST);
    expect(sys(w.ctx, SYS.link, w.str('/tmp'), w.str('d'))).toBe(-E.EPERM);
    expect(sys(w.ctx, SYS.linkat, AT_FDCWD, w.str('f'), AT_FDCWD, w.str('h'), 0x800)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.linkat, AT_FDCWD, w.str(''), AT_FDCWD, w.str('h'), 0)).toBe(-E.ENOENT);
    const t = sys(w.ctx, SYS.open, w.str('.'), O.O_TMPFILE | O.O_RDWR, 0o600);
    expect(sys(w.ctx, SYS.linkat, t, w.str(''), AT_FDCWD, w.str('named'), AT.AT_EMPTY_PATH)).toBe(0);
    expect(nlink(w, 'named')).toBe(1);
    expect(sys(w.ctx, SYS.linkat, 99, w.str(''), AT_FDCWD, w.str('x'), AT.AT_EMPTY_PATH)).toBe(-E.EBADF);
    expect(sys(w.ctx, SYS.symlink, w.str('f'), w.str('s'))).toBe(0);
    expect(sys(w.ctx, SYS.linkat, AT_FDCWD, w.str('s'), AT_FDCWD, w.str('sf'), AT.AT_SYMLINK_FOLLOW)).toBe(0);
    expect(nlink(w, 'f')).toBe(3);
  });
});

describe('fallocate', () => {
  it('allocates and punches holes on tmpfs-like ramfs files, in vfs_fallocate order', () => {
    const w = world();
    const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o644);
    expect(sys(w.ctx, SYS.fallocate, fd, 0, 0, 10_000)).toBe(0);
    expect(sys(w.ctx, SYS.lseek, fd, 0, 2)).toBe(10_000);
    expect(sys(w.ctx, SYS.fallocate, fd, FALLOC_FL.FALLOC_FL_PUNCH_HOLE, 0, 10)).toBe(-E.EOPNOTSUPP);
    expect(sys(w.ctx, SYS.fallocate, fd, FALLOC_FL.FALLOC_FL_PUNCH_HOLE | FALLOC_FL.FALLOC_FL_KEEP_SIZE, 0, 10)).toBe(0);
    expect(sys(w.ctx, SYS.fallocate, fd, 0, -1, 10)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.fallocate, 99, 0, 0, 10)).toBe(-E.EBADF);
    const ro = sys(w.ctx, SYS.open, w.str('f'), O.O_RDONLY);
    expect(sys(w.ctx, SYS.fallocate, ro, 0, 0, 10)).toBe(-E.EBADF);
  });
});

describe('statfs, fstatfs', () => {
  it('copy out the 120-byte struct statfs', () => {
    const w = world();
    const buf = w.alloc(STATFS_STRUCT.size);
    expect(sys(w.ctx, SYS.statfs, w.str('/tmp'), buf)).toBe(0);
    const v = new DataView(w.bytes(buf, STATFS_STRUCT.size).buffer);
    expect(Number(v.getBigInt64(STATFS_STRUCT.f_type, true))).toBe(FS_MAGIC.RAMFS_MAGIC);
    expect(Number(v.getBigInt64(STATFS_STRUCT.f_bsize, true))).toBe(4096);
    expect(Number(v.getBigInt64(STATFS_STRUCT.f_namelen, true))).toBe(255);
    expect(sys(w.ctx, SYS.statfs, w.str('/nope'), buf)).toBe(-E.ENOENT);
    const fd = sys(w.ctx, SYS.open, w.str('.'), O.O_PATH);
    expect(sys(w.ctx, SYS.fstatfs, fd, buf)).toBe(0);
    expect(sys(w.ctx, SYS.fstatfs, 99, buf)).toBe(-E.EBADF);
    expect(sys(w.ctx, SYS.fstatfs, fd, 0)).toBe(-E.EFAULT);
  });
});
