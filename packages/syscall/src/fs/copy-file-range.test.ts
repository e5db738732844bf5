import { Errno, O, SYS } from '@tskern/abi';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { describe, expect, it } from 'vitest';
import { sys, world } from './testing/world';

function setup() {
  const w = world();
  const input = w.open('in', O.O_RDWR | O.O_CREAT);
  const out = w.open('out', O.O_RDWR | O.O_CREAT);
  sys(w.ctx, SYS.write, input, w.str('0123456789'), 10);
  return { ...w, input, out };
}

describe('copy_file_range (vfs_copy_file_range, generic_copy_file_checks)', () => {
  it('uses and advances positions, or reads and writes back the offsets; stops at the end of the input', () => {
    const { ctx, alloc, text, i64, put64, pos, input, out } = setup();
    sys(ctx, SYS.lseek, input, 2, 0);
    expect(sys(ctx, SYS.copy_file_range, input, 0, out, 0, 3, 0)).toBe(3);
    expect([pos(input), pos(out)]).toEqual([5, 3]);
    const oi = put64(5n);
    const oo = put64(100n);
    expect(sys(ctx, SYS.copy_file_range, input, oi, out, oo, 100, 0)).toBe(5);
    expect([i64(oi), i64(oo)]).toEqual([10n, 105n]);
    expect([pos(input), pos(out)]).toEqual([5, 3]);
    const buf = alloc(8);
    expect(sys(ctx, SYS.pread64, out, buf, 5, 100)).toBe(5);
    expect(text(buf, 5)).toBe('56789');
    expect(sys(ctx, SYS.copy_file_range, input, put64(20n), out, 0, 5, 0)).toBe(0);
  });

  it('refuses overlaps within a file, other file systems (EXDEV, even for 0 bytes) and the rest as Linux', () => {
    const { ctx, vfs, put64, open, input, out } = setup();
    expect(sys(ctx, SYS.copy_file_range, input, put64(0n), input, put64(2n), 4, 0)).toBe(-Errno.EINVAL);
    expect(sys(ctx, SYS.copy_file_range, input, put64(0n), input, put64(4n), 4, 0)).toBe(4);
    const kernel = vfs.kernelTask();
    expect(vfs.mkdir(kernel, '/tmp/m', 0o777)).toBe(0);
    expect(vfs.mount('/tmp/m', new RamFs({ frames: new ArenaFrameAllocator({ frames: 16 }), rootMode: 0o777 }))).toBe(0);
    const other = open('m/f', O.O_RDWR | O.O_CREAT);
    expect(sys(ctx, SYS.copy_file_range, input, 0, other, 0, 4, 0)).toBe(-Errno.EXDEV);
    expect(sys(ctx, SYS.copy_file_range, input, 0, other, 0, 0, 0)).toBe(-Errno.EXDEV);
    expect(sys(ctx, SYS.copy_file_range, input, 0, out, 0, 1, 1)).toBe(-Errno.EINVAL);
    expect(sys(ctx, SYS.copy_file_range, input, put64(-1n), out, 0, 3, 0)).toBe(-Errno.EOVERFLOW);
    expect(sys(ctx, SYS.copy_file_range, input, 8, out, 0, 3, 0)).toBe(-Errno.EFAULT);
    expect(sys(ctx, SYS.copy_file_range, 99, 0, out, 0, 3, 1)).toBe(-Errno.EBADF);
    expect(sys(ctx, SYS.copy_file_range, input, 0, open('out', O.O_WRONLY | O.O_APPEND), 0, 3, 0)).toBe(-Errno.EBADF);
    expect(sys(ctx, SYS.copy_file_range, open('.', O.O_RDONLY), 0, out, 0, 3, 0)).toBe(-Errno.EISDIR);
  });
});
