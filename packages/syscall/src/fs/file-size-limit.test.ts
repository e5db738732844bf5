import { Errno, FALLOC_FL, O, RLIMIT, SYS } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { sys, world } from './testing/world';

// RLIMIT_FSIZE as seen on Linux 6.18 /dev/shm: a C program with a SIGXFSZ
// handler and a limit of 10000 bytes.

const E = Errno;
const SIGXFSZ_BIT = 1n << 24n; // SIGXFSZ (25) in a sigset

type World = ReturnType<typeof world>;

function setup(): { w: World; fd: number; pending: () => boolean } {
  const w = world();
  const lim = w.alloc(16);
  const v = new DataView(new ArrayBuffer(16));
  v.setBigUint64(0, 10_000n, true);
  v.setBigUint64(8, 10_000n, true);
  w.scratch.set(new Uint8Array(v.buffer), lim - 0x10000);
  expect(sys(w.ctx, SYS.setrlimit, RLIMIT.RLIMIT_FSIZE, lim)).toBe(0);
  // Block SIGXFSZ (its default action dumps core) and watch it arrive.
  const set = w.alloc(8);
  const m = new DataView(new ArrayBuffer(8));
  m.setBigUint64(0, SIGXFSZ_BIT, true);
  w.scratch.set(new Uint8Array(m.buffer), set - 0x10000);
  expect(sys(w.ctx, SYS.rt_sigprocmask, 0, set, 0, 8)).toBe(0);
  const out = w.alloc(8);
  /** Whether SIGXFSZ is pending (rt_sigpending; it stays blocked). */
  const pending = (): boolean => {
    expect(sys(w.ctx, SYS.rt_sigpending, out, 8)).toBe(0);
    return (new DataView(w.bytes(out, 8).buffer).getBigUint64(0, true) & SIGXFSZ_BIT) !== 0n;
  };
  const fd = sys(w.ctx, SYS.open, w.str('f'), O.O_CREAT | O.O_RDWR, 0o644);
  expect(fd).toBeGreaterThanOrEqual(0);
  return { w, fd, pending };
}

describe('RLIMIT_FSIZE', () => {
  it('cuts a write short at the limit, and answers EFBIG with SIGXFSZ at or past it', () => {
    const { w, fd, pending } = setup();
    const buf = w.str('abcdef');
    expect(sys(w.ctx, SYS.pwrite64, fd, buf, 6, 9998)).toBe(2);
    expect(sys(w.ctx, SYS.pwrite64, fd, buf, 0, 20_000)).toBe(0); // an empty write checks nothing
    expect(pending()).toBe(false);
    expect(sys(w.ctx, SYS.pwrite64, fd, buf, 6, 10_000)).toBe(-E.EFBIG);
    expect(pending()).toBe(true);
  });

  it('refuses a write past the limit even inside the file, and an O_APPEND write at its end', () => {
    const { w, fd, pending } = setup();
    const buf = w.str('abcdef');
    expect(sys(w.ctx, SYS.ftruncate, fd, 10_000)).toBe(0);
    expect(pending()).toBe(false);
    const a = sys(w.ctx, SYS.open, w.str('f'), O.O_WRONLY | O.O_APPEND);
    expect(sys(w.ctx, SYS.write, a, buf, 1)).toBe(-E.EFBIG);
    expect(pending()).toBe(true);
  });

  it('refuses growing a file past the limit by ftruncate, truncate and fallocate; shrinking is fine', () => {
    const { w, fd, pending } = setup();
    expect(sys(w.ctx, SYS.ftruncate, fd, 10_000)).toBe(0);
    expect(sys(w.ctx, SYS.fallocate, fd, 0, 0, 10_000)).toBe(0);
    expect(sys(w.ctx, SYS.ftruncate, fd, 5)).toBe(0);
    expect(sys(w.ctx, SYS.fallocate, fd, FALLOC_FL.FALLOC_FL_PUNCH_HOLE | FALLOC_FL.FALLOC_FL_KEEP_SIZE, 0, 20_001)).toBe(0);
    expect(pending()).toBe(false);
    expect(sys(w.ctx, SYS.ftruncate, fd, 10_001)).toBe(-E.EFBIG);
    expect(pending()).toBe(true);
    expect(sys(w.ctx, SYS.truncate, w.str('f'), 10_001)).toBe(-E.EFBIG);
    expect(sys(w.ctx, SYS.fallocate, fd, 0, 0, 10_001)).toBe(-E.EFBIG);
    expect(sys(w.ctx, SYS.fallocate, fd, FALLOC_FL.FALLOC_FL_KEEP_SIZE, 0, 20_001)).toBe(-E.EFBIG);
    expect(sys(w.ctx, SYS.truncate, w.str('missing'), 10_001)).toBe(-E.ENOENT);
  });
});
