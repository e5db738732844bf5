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
