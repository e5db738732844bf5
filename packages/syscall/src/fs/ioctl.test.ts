import { describe, expect, it } from 'vitest';
import { Errno, F, SYS } from '@tskern/abi';
import { load } from '@tskern/mman';
import { world } from '../testing/world';

const TCGETS = 0x5401;
const FIOCLEX = 0x5451;
const FIONCLEX = 0x5450;

// As Linux answers for a pipe (fs/ioctl.c): TCGETS is ENOTTY, so isatty says no.
describe('ioctl(2)', () => {
  it('EBADF for a closed fd, ENOTTY for TCGETS on a pipe, FIOCLEX/FIONCLEX toggle close-on-exec', () => {
    const { sys, p } = world();
    expect(sys(p.pid, SYS.ioctl, 99, TCGETS, 0)).toBe(-Errno.EBADF);
    const at = p.stack.end - 64;
    expect(sys(p.pid, SYS.pipe2, at, 0)).toBe(0);
    const fds = new Int32Array(2);
    load(p.mm, at, new Uint8Array(fds.buffer), 0, 8);
    const rd = fds[0] ?? -1;
    expect(sys(p.pid, SYS.ioctl, rd, TCGETS, at)).toBe(-Errno.ENOTTY);
    expect(sys(p.pid, SYS.ioctl, rd, FIOCLEX, 0)).toBe(0);
    expect(sys(p.pid, SYS.fcntl, rd, F.F_GETFD, 0)).toBe(1);
    expect(sys(p.pid, SYS.ioctl, rd, FIONCLEX, 0)).toBe(0);
    expect(sys(p.pid, SYS.fcntl, rd, F.F_GETFD, 0)).toBe(0);
  });
});
