import { AT, AT_FDCWD, Errno, O, STAT, SYS, UTIME } from '@tskern/abi';
import { Credentials } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { READONLY, sys, world } from './testing/world';

// Errnos and time rules as seen on Linux 6.18 (/dev/shm) with utimensat(2)
// called through syscall(2).

const E = Errno;

type World = ReturnType<typeof world>;

/** Two timespecs in scratch memory. */
function times(w: World, a: [number, number], m: [number, number]): number {
  const addr = w.alloc(32);
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, BigInt(a[0]), true);
  v.setBigInt64(8, BigInt(a[1]), true);
  v.setBigInt64(16, BigInt(m[0]), true);
  v.setBigInt64(24, BigInt(m[1]), true);
  w.scratch.set(b, addr - 0x10000);
  return addr;
}

/** [atime, mtime, ctime] of `path` as stat(2) copies them out: [sec, nsec] each. */
function statTimes(w: World, path: string): [[number, number], [number, number], [number, number]] {
  const st = w.alloc(STAT.size);
  expect(sys(w.ctx, SYS.stat, w.str(path), st)).toBe(0);
  const v = new DataView(w.bytes(st, STAT.size).buffer);
  const t = (at: number): [number, number] => [Number(v.getBigInt64(at, true)), Number(v.getBigInt64(at + 8, true))];
  return [t(STAT.st_atime), t(STAT.st_mtime), t(STAT.st_ctime)];
}

const { UTIME_NOW: NOW, UTIME_OMIT: OMIT } = UTIME;

describe('utimensat, futimens', () => {
  it('sets, keeps and refreshes times; the change time always moves', () => {
    const w = world();
    const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o644);
    expect(sys(w.ctx, SYS.utimensat, AT_FDCWD, w.str('f'), times(w, [100, 5_000_000], [200, 7_000_000]), 0)).toBe(0);
    const [a, m, c] = statTimes(w, 'f');
    expect(a).toEqual([100, 5_000_000]);
    expect(m).toEqual([200, 7_000_000]);
    expect(c[0]).toBeGreaterThan(1_000_000_000); // now
    // futimens (fd, NULL path): OMIT keeps the access time, NOW refreshes the modification time.
    expect(sys(w.ctx, SYS.utimensat, fd, 0, times(w, [1, OMIT], [0, NOW]), 0)).toBe(0);
    const [a2, m2] = statTimes(w, 'f');
    expect(a2).toEqual([100, 5_000_000]);
    expect(m2[0]).toBeGreaterThan(1_000_000_000);
    // NULL times: both now. A negative second is a valid time.
    expect(sys(w.ctx, SYS.utimensat, fd, 0, 0, 0)).toBe(0);
    expect(statTimes(w, 'f')[0][0]).toBeGreaterThan(1_000_000_000);
    expect(sys(w.ctx, SYS.utimensat, fd, 0, times(w, [-5, 0], [0, OMIT]), 0)).toBe(0);
    expect(statTimes(w, 'f')[0]).toEqual([-5, 0]);
  });

  it('answers the errnos Linux does, in its order', () => {
    const w = world();
    const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o644);
    expect(sys(w.ctx, SYS.utimensat, fd, 0, times(w, [100, 1_000_000_000], [0, OMIT]), 0)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.utimensat, fd, 0, times(w, [100, -1], [0, OMIT]), 0)).toBe(-E.EINVAL);
    // Both OMIT: 0 before anything else is looked at, even a bad descriptor.
    expect(sys(w.ctx, SYS.utimensat, 12345, 0, times(w, [100, OMIT], [0, OMIT]), 0x1234)).toBe(0);
    expect(sys(w.ctx, SYS.utimensat, AT_FDCWD, 0, 0, 0)).toBe(-E.EFAULT);
    expect(sys(w.ctx, SYS.utimensat, AT_FDCWD, w.str('f'), 0, 0x1234)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.utimensat, AT_FDCWD, w.str(''), 0, 0)).toBe(-E.ENOENT);
    expect(sys(w.ctx, SYS.utimensat, fd, w.str(''), 0, AT.AT_EMPTY_PATH)).toBe(0);
    expect(sys(w.ctx, SYS.utimensat, fd, 0, 0, AT.AT_SYMLINK_NOFOLLOW)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.utimensat, fd, 0, 0, AT.AT_EMPTY_PATH)).toBe(-E.EINVAL);
    expect(sys(w.ctx, SYS.utimensat, fd, 0, 8, 0)).toBe(-E.EFAULT);
    expect(sys(w.ctx, SYS.utimensat, fd, 0, READONLY + 4096, 0)).toBe(-E.EFAULT);
    expect(sys(w.ctx, SYS.utimensat, 12345, 0, 0, 0)).toBe(-E.EBADF);
    expect(sys(w.ctx, SYS.utimensat, AT_FDCWD, w.str('missing'), 0, 0)).toBe(-E.ENOENT);
    const ro = sys(w.ctx, SYS.open, w.str('f'), O.O_RDONLY);
    expect(sys(w.ctx, SYS.utimensat, ro, 0, 0, 0)).toBe(0); // the owner needs no write access
  });

  it('lets others refresh both times only with write permission, and set times never', () => {
    const w = world();
    sys(w.ctx, SYS.close, sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o444));
    const other = w.tasks.spawn('/bin/test', { cred: new Credentials(2000, 2000), abi: w.ctx.abi, cwd: '/tmp', memory: w.mem });
    if (typeof other === 'number') throw new Error(`spawn: ${other}`);
    const as = (t: number) => sys(other, SYS.utimensat, AT_FDCWD, w.str('f'), t, 0);
    expect(as(0)).toBe(-E.EACCES);
    expect(as(times(w, [0, NOW], [0, NOW]))).toBe(-E.EACCES);
    expect(as(times(w, [0, OMIT], [0, OMIT]))).toBe(0);
    expect(as(times(w, [0, NOW], [0, OMIT]))).toBe(-E.EPERM);
    expect(as(times(w, [5, 0], [0, OMIT]))).toBe(-E.EPERM);
    expect(sys(w.ctx, SYS.chmod, w.str('f'), 0o666)).toBe(0);
    expect(as(0)).toBe(0);
    expect(as(times(w, [0, NOW], [0, NOW]))).toBe(0);
    expect(as(times(w, [0, NOW], [0, OMIT]))).toBe(-E.EPERM);
    expect(as(times(w, [5, 0], [0, OMIT]))).toBe(-E.EPERM);
  });
});
