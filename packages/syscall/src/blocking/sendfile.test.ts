import { Errno, O, S, SYS } from '@tskern/abi';
import { openFifo } from '@tskern/pipe';
import { describe, expect, it } from 'vitest';
import { isBlock } from '../block';
import { invoke } from '../syscall-table';
import { x86_64Personality } from '../arch/x86-64';
import { READONLY, sys, world } from '../fs/testing/world';

const x86 = x86_64Personality();


function call(task: Parameters<typeof sys>[0], nr: number, ...args: number[]) {
  const [a0 = 0, a1 = 0, a2 = 0, a3 = 0] = args;
  return invoke(x86.table.get(nr)!, task, a0, a1, a2, a3, 0, 0);
}

describe('sendfile (do_sendfile)', () => {
  it('without an offset uses and advances the input position; with one, writes it back and leaves the position', () => {
    const { ctx, str, alloc, text, i64, put64, open, pos } = world();
    const input = open('in', O.O_RDWR | O.O_CREAT);
    const out = open('out', O.O_RDWR | O.O_CREAT);
    expect(sys(ctx, SYS.write, input, str('0123456789'), 10)).toBe(10);
    sys(ctx, SYS.lseek, input, 2, 0);
    expect(sys(ctx, SYS.sendfile, out, input, 0, 3)).toBe(3);
    expect([pos(input), pos(out)]).toEqual([5, 3]);
    const off = put64(5n);
    expect(sys(ctx, SYS.sendfile, out, input, off, 100)).toBe(5);
    expect(i64(off)).toBe(10n);
    expect([pos(input), pos(out)]).toEqual([5, 8]);
    const buf = alloc(16);
    expect(sys(ctx, SYS.pread64, out, buf, 16, 0)).toBe(8);
    expect(text(buf, 8)).toBe('23456789');
    const past = put64(20n);
    expect(sys(ctx, SYS.sendfile, out, input, past, 4)).toBe(0);
    expect(i64(past)).toBe(20n);
  });

  it("answers Linux's errors in Linux's order", () => {
    const { ctx, str, alloc, bytes, put64, open } = world();
    const input = open('in', O.O_RDWR | O.O_CREAT);
    const out = open('out', O.O_RDWR | O.O_CREAT);
    sys(ctx, SYS.write, input, str('abc'), 3);
    expect(sys(ctx, SYS.sendfile, out, input, put64(-1n), 1)).toBe(-Errno.EINVAL);
    expect(sys(ctx, SYS.sendfile, out, input, put64((1n << 63n) - 1n), 1)).toBe(-Errno.EINVAL);
    expect(sys(ctx, SYS.sendfile, out, input, READONLY + 4096, 1)).toBe(-Errno.EFAULT);
    expect(sys(ctx, SYS.sendfile, 99, input, 0, 1)).toBe(-Errno.EBADF);
    expect(sys(ctx, SYS.sendfile, out, 99, 0, 1)).toBe(-Errno.EBADF);
    expect(sys(ctx, SYS.sendfile, 99, input, put64(-1n), 1)).toBe(-Errno.EINVAL); // the input's checks come first
    const wo = open('out', O.O_WRONLY);
    const ro = open('out', O.O_RDONLY);
    const ap = open('out', O.O_WRONLY | O.O_APPEND);
    expect(sys(ctx, SYS.sendfile, out, wo, 0, 1)).toBe(-Errno.EBADF);
    expect(sys(ctx, SYS.sendfile, ro, input, 0, 1)).toBe(-Errno.EBADF);
    expect(sys(ctx, SYS.sendfile, ap, input, put64(0n), 1)).toBe(-Errno.EINVAL);
    const dir = open('.', O.O_RDONLY);
    expect(sys(ctx, SYS.sendfile, out, dir, 0, 1)).toBe(-Errno.EINVAL);
    const fds = alloc(8);
    expect(sys(ctx, SYS.pipe2, fds, 0)).toBe(0);
    const r = new DataView(bytes(fds, 4).buffer).getInt32(0, true);
    expect(sys(ctx, SYS.sendfile, out, r, 0, 1)).toBe(-Errno.EINVAL);
    expect(sys(ctx, SYS.sendfile, out, r, put64(0n), 1)).toBe(-Errno.ESPIPE);
  });

  it('into a pipe: one pipeful, then a Block on the writers queue (EAGAIN under O_NONBLOCK)', () => {
    const { ctx, alloc, i64, put64, open, bytes } = world();
    const big = open('big', O.O_RDWR | O.O_CREAT);
    expect(sys(ctx, SYS.ftruncate, big, 200000)).toBe(0);
    const fds = alloc(8);
    expect(sys(ctx, SYS.pipe2, fds, 0)).toBe(0);
    const v = new DataView(bytes(fds, 8).buffer);
    const [r, w] = [v.getInt32(0, true), v.getInt32(4, true)];
    const off = put64(0n);
    expect(sys(ctx, SYS.sendfile, w, big, off, 200000)).toBe(65536);
    expect(i64(off)).toBe(65536n);
    const b = call(ctx, SYS.sendfile, w, big, off, 10);
    if (!isBlock(b)) throw new Error('expected a block');
    expect(b.restart).toBe('sys');
    const buf = alloc(4096);
    expect(sys(ctx, SYS.read, r, buf, 4096)).toBe(4096);
    expect(b.retry()).toBe(10);
    expect(i64(off)).toBe(65546n);
    sys(ctx, SYS.fcntl, w, 4, O.O_NONBLOCK); // F_SETFL
    let last = 0;
    for (let i = 0; i < 4 && last >= 0; i++) last = sys(ctx, SYS.sendfile, w, big, off, 8192);
    expect(last).toBe(-Errno.EAGAIN);
    sys(ctx, SYS.close, r);
    expect(sys(ctx, SYS.sendfile, w, big, off, 10)).toBe(-Errno.EPIPE);
  });
});

describe('mknodat and FIFO opens', () => {
  it('makes nodes; a blocking open of a FIFO waits for its partner', () => {
    const { ctx, str, vfs } = world();
    vfs.specialFiles.fifos = (inode, flags) => openFifo(inode, flags);
    expect(sys(ctx, SYS.mknodat, -100, str('p'), S.S_IFIFO | 0o644, 0)).toBe(0);
    expect(sys(ctx, SYS.mknod, str('c'), S.S_IFCHR | 0o644, 0x103)).toBe(-Errno.EPERM); // uid 1000: no CAP_MKNOD
    expect(sys(ctx, SYS.mknod, str('d'), S.S_IFDIR | 0o755, 0)).toBe(-Errno.EPERM);
    expect(sys(ctx, SYS.mknod, str('p'), S.S_IFIFO | 0o644, 0)).toBe(-Errno.EEXIST);
    const b = call(ctx, SYS.open, str('p'), O.O_RDONLY, 0);
    if (!isBlock(b)) throw new Error('expected a block');
    expect(isBlock(b.retry())).toBe(true);
    expect(sys(ctx, SYS.open, str('p'), O.O_WRONLY | O.O_NONBLOCK, 0)).toBeGreaterThan(0); // the waiting reader counts
    const fd = b.retry();
    expect(typeof fd === 'number' && fd >= 0).toBe(true);
  });
});
