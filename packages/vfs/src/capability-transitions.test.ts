import { describe, expect, it } from 'vitest';
import { CAP, CAP_FS_SET, CAP_FULL_SET, SECBIT, capBit } from '@tskern/abi';
import { credentialsForExec, fixSetfsuid, fixSetuid } from './capability-transitions';
import { Credentials, capable } from './credentials';

// The sequences below were run on the host (Linux 6.18, root in a container
// without CAP_SYS_RESOURCE: every set 0x1fffeffffff) with capset, prctl,
// setresuid and an execve of grep Cap /proc/self/status.
const HOST = CAP_FULL_SET & ~capBit(CAP.CAP_SYS_RESOURCE);
const hostRoot = () => Credentials.root().withCaps({ permitted: HOST, effective: HOST, bounding: HOST });

describe('capability sets of a credential', () => {
  it('uid 0 starts with every capability, another uid with none; both with the full bounding set', () => {
    const root = Credentials.root();
    expect(root.caps.effective).toBe(CAP_FULL_SET);
    expect(capable(root, CAP.CAP_SYS_RESOURCE)).toBe(true);
    const user = new Credentials(1000, 1000);
    expect(user.caps.permitted).toBe(0n);
    expect(user.caps.bounding).toBe(CAP_FULL_SET);
    expect(capable(user, CAP.CAP_CHOWN)).toBe(false);
    // uid 0 is not privilege: root without the capability is refused.
    expect(capable(hostRoot(), CAP.CAP_SYS_RESOURCE)).toBe(false);
  });

  it('with() keeps the capabilities; withCaps() changes only the sets', () => {
    const c = hostRoot().with({ groups: [5] });
    expect(c.caps.effective).toBe(HOST);
    expect(c.withCaps({ ambient: 1n }).groups).toEqual([5]);
  });
});

describe('fixSetuid (cap_emulate_setxuid)', () => {
  it('leaving uid 0 altogether clears permitted, effective and ambient', () => {
    const old = hostRoot().withCaps({ inheritable: capBit(20), ambient: capBit(20) });
    const next = fixSetuid(old, old.with({ uid: 1000, euid: 1000, suid: 1000, fsuid: 1000 }));
    expect(next.caps).toMatchObject({ permitted: 0n, effective: 0n, ambient: 0n, inheritable: capBit(20), bounding: HOST });
  });

  it('with keep-caps (host: PR_SET_KEEPCAPS 1, setresuid 1000) the permitted set stays, effective and ambient go', () => {
    const keep = 1 << SECBIT.SECURE_KEEP_CAPS;
    const old = hostRoot().withCaps({ securebits: keep, ambient: capBit(21), inheritable: capBit(21) });
    const next = fixSetuid(old, old.with({ uid: 1000, euid: 1000, suid: 1000, fsuid: 1000 }));
    expect(next.caps).toMatchObject({ permitted: HOST, effective: 0n, ambient: 0n });
  });

  it('seteuid away from 0 clears the effective set; back to 0 restores it from the permitted set', () => {
    const root = hostRoot();
    const away = fixSetuid(root, root.with({ euid: 1000, fsuid: 1000 }));
    expect(away.caps.effective).toBe(0n);
    expect(away.caps.permitted).toBe(HOST);
    const back = fixSetuid(away, away.with({ euid: 0, fsuid: 0 }));
    expect(back.caps.effective).toBe(HOST);
  });

  it('does nothing under SECURE_NO_SETUID_FIXUP', () => {
    const old = hostRoot().withCaps({ securebits: 1 << SECBIT.SECURE_NO_SETUID_FIXUP });
    expect(fixSetuid(old, old.with({ uid: 1, euid: 1, suid: 1 })).caps.effective).toBe(HOST);
  });
});

describe('fixSetfsuid', () => {
  it('fsuid leaving 0 drops the file-system capabilities; coming back raises the permitted ones', () => {
    const root = hostRoot();
    const away = fixSetfsuid(root, root.with({ fsuid: 1000 }));
    expect(away.caps.effective).toBe(HOST & ~CAP_FS_SET);
    expect(capable(away, CAP.CAP_DAC_OVERRIDE)).toBe(false);
    expect(capable(away, CAP.CAP_SETUID)).toBe(true);
    expect(fixSetfsuid(away, away.with({ fsuid: 0 })).caps.effective).toBe(HOST);
  });
});

describe('credentialsForExec (cap_bprm_creds_from_file, no file capabilities)', () => {
  it('root gets bounding | inheritable, effective: host 1fffeffdfff after dropping 13 from bset and 12 from prm', () => {
    const old = hostRoot().withCaps({
      bounding: HOST & ~capBit(13), permitted: HOST & ~capBit(12), effective: HOST & ~capBit(12), inheritable: capBit(20),
    });
    const next = credentialsForExec(old);
    expect(next.caps.permitted.toString(16)).toBe('1fffeffdfff');
    expect(next.caps.effective.toString(16)).toBe('1fffeffdfff');
    expect(next.caps.inheritable).toBe(capBit(20));
  });

  it('a non-root program keeps only its ambient set; keep-caps is cleared; saved and fs ids follow the effective ones', () => {
    const user = new Credentials(1000, 1000).withCaps({
      permitted: capBit(14) | capBit(21), inheritable: capBit(21), ambient: capBit(21), securebits: 1 << SECBIT.SECURE_KEEP_CAPS,
    });
    const next = credentialsForExec(user.with({ fsuid: 7 }));
    expect(next.caps).toMatchObject({ permitted: capBit(21), effective: capBit(21), ambient: capBit(21), securebits: 0 });
    expect(next.fsuid).toBe(1000);
    // Host: uid 1000 with keep-caps and no ambient: all zero after exec.
    expect(credentialsForExec(new Credentials(1000, 1000).withCaps({ permitted: HOST })).caps.permitted).toBe(0n);
  });

  it('real uid 0 alone gives the permitted set but not the effective one', () => {
    const c = credentialsForExec(Credentials.root().with({ euid: 5, fsuid: 5 }));
    expect(c.caps.permitted).toBe(CAP_FULL_SET);
    expect(c.caps.effective).toBe(0n);
  });
});
