import { describe, expect, it } from 'vitest';
import { CAP, CAP_FULL_SET, Errno, capBit } from '@tskern/abi';
import { checkKillPermission } from './kill-permission';
import { SIG } from './signal-numbers';

// uid 0 holds every capability, as a freshly started root process does.
const user = (uid: number, euid = uid, suid = uid, effective = euid === 0 ? CAP_FULL_SET : 0n) => ({ uid, euid, suid, caps: { effective } });
const apart = { sameThreadGroup: false, sameSession: false };

describe('checkKillPermission', () => {
  it('lets the sender real or effective uid match the target real or saved uid', () => {
    expect(checkKillPermission(SIG.SIGTERM, user(1000), user(1000), apart)).toBe(0);
    expect(checkKillPermission(SIG.SIGTERM, user(1000, 2000), user(3000, 3000, 2000), apart)).toBe(0);
    expect(checkKillPermission(SIG.SIGTERM, user(1000, 2000), user(2000, 5000, 5000), apart)).toBe(0);
    // the target's effective uid does not count
    expect(checkKillPermission(SIG.SIGTERM, user(1000), user(2000, 1000, 2000), apart)).toBe(-Errno.EPERM);
  });

  it('lets root signal anyone, and anyone signal its own thread group', () => {
    expect(checkKillPermission(SIG.SIGKILL, user(0), user(1000), apart)).toBe(0);
    expect(checkKillPermission(SIG.SIGKILL, user(5), user(0), { sameThreadGroup: true, sameSession: true })).toBe(0);
  });

  it('takes CAP_KILL, not uid 0: root without it is an ordinary sender, a user with it signals anyone', () => {
    const rootWithoutKill = user(0, 0, 0, CAP_FULL_SET & ~capBit(CAP.CAP_KILL));
    expect(checkKillPermission(SIG.SIGTERM, rootWithoutKill, user(1000), apart)).toBe(-Errno.EPERM);
    expect(checkKillPermission(SIG.SIGTERM, rootWithoutKill, user(0), apart)).toBe(0);
    expect(checkKillPermission(SIG.SIGTERM, user(5, 5, 5, capBit(CAP.CAP_KILL)), user(1000), apart)).toBe(0);
  });

  it('allows SIGCONT within a session only', () => {
    expect(checkKillPermission(SIG.SIGCONT, user(5), user(6), { sameThreadGroup: false, sameSession: true })).toBe(0);
    expect(checkKillPermission(SIG.SIGCONT, user(5), user(6), apart)).toBe(-Errno.EPERM);
    expect(checkKillPermission(SIG.SIGHUP, user(5), user(6), { sameThreadGroup: false, sameSession: true })).toBe(-Errno.EPERM);
  });

  it('checks the number first: EINVAL for 65, the 0 probe is a permission check', () => {
    expect(checkKillPermission(65, user(0), user(0), apart)).toBe(-Errno.EINVAL);
    expect(checkKillPermission(-1, user(0), user(0), apart)).toBe(-Errno.EINVAL);
    expect(checkKillPermission(0, user(5), user(6), apart)).toBe(-Errno.EPERM);
  });
});
