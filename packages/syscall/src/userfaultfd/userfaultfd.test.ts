import { Errno, O, SYS } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { world } from '../testing/world';

const UFFD_USER_MODE_ONLY = 1;

describe('userfaultfd(2) permissions and flags (checked against Linux 6.18 with vm.unprivileged_userfaultfd = 0)', () => {
  it('an unprivileged caller needs UFFD_USER_MODE_ONLY (EPERM before EINVAL); root may handle kernel faults too', () => {
    const user = world(1000);
    expect(user.sys(user.p.tid, SYS.userfaultfd, O.O_NONBLOCK)).toBe(-Errno.EPERM);
    expect(user.sys(user.p.tid, SYS.userfaultfd, 0x10)).toBe(-Errno.EPERM);
    expect(user.sys(user.p.tid, SYS.userfaultfd, O.O_NONBLOCK | UFFD_USER_MODE_ONLY)).toBeGreaterThanOrEqual(0);
    const root = world(0);
    expect(root.sys(root.p.tid, SYS.userfaultfd, 0x10)).toBe(-Errno.EINVAL);
    const fd = root.sys(root.p.tid, SYS.userfaultfd, O.O_CLOEXEC);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(root.p.files.getFdFlags(fd)).toBe(1); // FD_CLOEXEC
  });
});

describe('poll(2)', () => {
  it('a pipe read end is ready once written; a negative fd is skipped and a closed one is POLLNVAL', () => {
    const { sys, p } = world(0);
    const buf = sys(p.tid, SYS.mmap, 0, 4096, 3, 0x22, -1, 0);
    expect(sys(p.tid, SYS.pipe, buf)).toBe(0);
    const fds = new Int32Array(2);
    p.mem.copyIn(buf, new Uint8Array(fds.buffer), 0, 8);
    const table = new DataView(new ArrayBuffer(24));
    table.setInt32(0, fds[0]!, true);
    table.setInt16(4, 1, true); // POLLIN
    table.setInt32(8, -1, true);
    table.setInt32(16, 99, true);
    p.mem.copyOut(buf + 64, new Uint8Array(table.buffer), 0, 24);
    expect(sys(p.tid, SYS.poll, buf + 64, 3, 0)).toBe(1); // only the closed descriptor
    expect(sys(p.tid, SYS.write, fds[1]!, buf, 1)).toBe(1);
    expect(sys(p.tid, SYS.poll, buf + 64, 3, 0)).toBe(2);
    const out = new Uint8Array(24);
    p.mem.copyIn(buf + 64, out, 0, 24);
    const v = new DataView(out.buffer);
    expect([v.getInt16(6, true), v.getInt16(14, true), v.getInt16(22, true)]).toEqual([1, 0, 0x20]);
  });
});
