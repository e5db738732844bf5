import { Errno, F, O, SYS } from '@tskern/abi';
import { store } from '@tskern/mman';
import { describe, expect, it } from 'vitest';
import { world } from '../testing/world';

describe('ioctl', () => {
  it('is ENOTTY for a file that is no terminal (TCGETS: isatty), EBADF without a descriptor; FIOCLEX and FIONBIO work on any file', () => {
    const { sys, p } = world(0);
    const pathAt = p.stack.end - 64;
    const path = new TextEncoder().encode('/f\0');
    store(p.mm, pathAt, path, 0, path.length);
    const fd = sys(p.tid, SYS.open, pathAt, O.O_RDWR | O.O_CREAT, 0o600);
    expect(sys(p.tid, SYS.ioctl, fd, 0x5401, pathAt)).toBe(-Errno.ENOTTY); // TCGETS
    expect(sys(p.tid, SYS.ioctl, 99, 0x5401, pathAt)).toBe(-Errno.EBADF);
    expect(sys(p.tid, SYS.ioctl, fd, 0x5451, 0)).toBe(0); // FIOCLEX
    expect(sys(p.tid, SYS.fcntl, fd, F.F_GETFD, 0)).toBe(1);
    expect(sys(p.tid, SYS.ioctl, fd, 0x5450, 0)).toBe(0); // FIONCLEX
    expect(sys(p.tid, SYS.fcntl, fd, F.F_GETFD, 0)).toBe(0);
    store(p.mm, pathAt, new Uint8Array([1, 0, 0, 0]), 0, 4);
    expect(sys(p.tid, SYS.ioctl, fd, 0x5421, pathAt)).toBe(0); // FIONBIO
    expect(sys(p.tid, SYS.fcntl, fd, F.F_GETFL, 0) & O.O_NONBLOCK).toBe(O.O_NONBLOCK);
    expect(sys(p.tid, SYS.ioctl, fd, 0x5421, 0)).toBe(-Errno.EFAULT);
  });

  it('answers FIGETBSZ with the file system block size and FIONREAD with the bytes past the position of a regular file', () => {
    const { sys, p } = world(0);
    const at = p.stack.end - 64;
    const path = new TextEncoder().encode('/g\0');
    store(p.mm, at, path, 0, path.length);
    const fd = sys(p.tid, SYS.open, at, O.O_RDWR | O.O_CREAT, 0o600);
    expect(sys(p.tid, SYS.write, fd, at, 3)).toBe(3);
    expect(sys(p.tid, SYS.lseek, fd, 1, 0)).toBe(1);
    const out = new Uint8Array(4);
    expect(sys(p.tid, SYS.ioctl, fd, 2, at + 8)).toBe(0); // FIGETBSZ
    p.mem.copyIn(at + 8, out, 0, 4);
    expect(new DataView(out.buffer).getInt32(0, true)).toBe(4096);
    expect(sys(p.tid, SYS.ioctl, fd, 0x541b, at + 8)).toBe(0); // FIONREAD
    p.mem.copyIn(at + 8, out, 0, 4);
    expect(new DataView(out.buffer).getInt32(0, true)).toBe(2);
    expect(sys(p.tid, SYS.ioctl, fd, 2, 0)).toBe(-Errno.EFAULT);
  });
});
