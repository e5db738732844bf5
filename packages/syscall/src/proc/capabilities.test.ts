import { describe, expect, it } from 'vitest';
import { CAP, CAP_FULL_SET, Errno, MAP, PROT, RLIMIT, SYS, capBit } from '@tskern/abi';
import { load, store } from '@tskern/mman';
import { world } from '../testing/world';
import { PR_CAP, PR_CAP_AMBIENT } from './capabilities';

// Expected values from the host (Linux 6.18, root in a container without
// CAP_SYS_RESOURCE: CapEff = CapPrm = CapBnd = 000001fffeffffff), where the
// same calls were made with ctypes.
const HOST = CAP_FULL_SET & ~capBit(CAP.CAP_SYS_RESOURCE);
const V1 = 0x19980330;
const V2 = 0x20071026;
const V3 = 0x20080522;

function hostRoot() {
  const w = world(0);
  w.p.cred = w.p.cred.withCaps({ permitted: HOST, effective: HOST, bounding: HOST });
  const header = w.p.stack.end - 256;
  const data = w.p.stack.end - 192;
  const putHeader = (version: number, pid = 0) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, version, true);
    new DataView(b.buffer).setInt32(4, pid, true);
    store(w.p.mm, header, b, 0, 8);
  };
  const words = (addr: number, n: number): string[] => {
    const b = new Uint8Array(n * 4);
    load(w.p.mm, addr, b, 0, b.length);
    const v = new DataView(b.buffer);
    return Array.from({ length: n }, (_, i) => v.getUint32(i * 4, true).toString(16));
  };
  const putData = (eff: bigint, prm: bigint, inh: bigint) => {
    const b = new Uint8Array(24);
    const v = new DataView(b.buffer);
    [eff, prm, inh].forEach((set, i) => {
      v.setUint32(i * 4, Number(set & 0xffffffffn), true);
      v.setUint32(12 + i * 4, Number(set >> 32n), true);
    });
    store(w.p.mm, data, b, 0, 24);
  };
  return { ...w, header, data, putHeader, words, putData };
}

describe('capget and capset (kernel/capability.c)', () => {
  it('capget gives one 32-bit half for version 1, both for 2 and 3', () => {
    const { sys, p, header, data, putHeader, words } = hostRoot();
    store(p.mm, data, new Uint8Array(24), 0, 24);
    putHeader(V1);
    expect(sys(p.tid, SYS.capget, header, data)).toBe(0);
    expect(words(data, 6)).toEqual(['feffffff', 'feffffff', '0', '0', '0', '0']);
    for (const v of [V2, V3]) {
      putHeader(v);
      expect(sys(p.tid, SYS.capget, header, data)).toBe(0);
      expect(words(data, 6)).toEqual(['feffffff', 'feffffff', '0', '1ff', '1ff', '0']);
    }
  });

  it('a bad version is EINVAL with version 3 written back; with a NULL data pointer the probe answers 0', () => {
    const { sys, p, header, data, putHeader, words } = hostRoot();
    putHeader(0x12345678);
    expect(sys(p.tid, SYS.capget, header, data)).toBe(-Errno.EINVAL);
    expect(words(header, 1)).toEqual([V3.toString(16)]);
    putHeader(0x12345678);
    expect(sys(p.tid, SYS.capget, header, 0)).toBe(0);
    expect(words(header, 1)).toEqual([V3.toString(16)]);
    putHeader(1);
    expect(sys(p.tid, SYS.capset, header, data)).toBe(-Errno.EINVAL);
    expect(sys(p.tid, SYS.capget, 0, data)).toBe(-Errno.EFAULT);
  });

  it('capget: a negative pid is EINVAL, an unknown one ESRCH, another task its sets', () => {
    const { sys, p, header, data, putHeader, words, tasks } = hostRoot();
    putHeader(V3, -1);
    expect(sys(p.tid, SYS.capget, header, data)).toBe(-Errno.EINVAL);
    putHeader(V3, 999999);
    expect(sys(p.tid, SYS.capget, header, data)).toBe(-Errno.ESRCH);
    const other = tasks.spawn('/bin/p', { cred: p.cred.withCaps({ permitted: 0n, effective: 0n }), abi: p.abi });
    if (typeof other === 'number') throw new Error('spawn');
    putHeader(V3, other.tid);
    expect(sys(p.tid, SYS.capget, header, data)).toBe(0);
    expect(words(data, 6)).toEqual(['0', '0', '0', '0', '0', '0']);
  });

  it('capset: only the caller (EPERM), no permitted capability gained, effective within permitted', () => {
    const { sys, p, header, data, putHeader, putData } = hostRoot();
    putHeader(V3, 1);
    putData(0n, 0n, 0n);
    expect(sys(p.tid, SYS.capset, header, data)).toBe(-Errno.EPERM);
    putHeader(V3);
    putData(HOST, HOST | capBit(CAP.CAP_SYS_RESOURCE), 0n);
    expect(sys(p.tid, SYS.capset, header, data)).toBe(-Errno.EPERM);
    putData(HOST, HOST & ~1n, 0n);
    expect(sys(p.tid, SYS.capset, header, data)).toBe(-Errno.EPERM);
    // Host: CapInh 4000 after this, then PR_CAP_AMBIENT raise of 14 works.
    putData(HOST, HOST, capBit(CAP.CAP_IPC_LOCK));
    expect(sys(p.tid, SYS.capset, header, data)).toBe(0);
    expect(p.cred.caps.inheritable).toBe(capBit(CAP.CAP_IPC_LOCK));
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAP_AMBIENT, PR_CAP_AMBIENT.RAISE, CAP.CAP_IPC_LOCK, 0, 0)).toBe(0);
    expect(p.cred.caps.ambient).toBe(capBit(CAP.CAP_IPC_LOCK));
    // Lowering the permitted capability lowers the ambient one (host: IS_SET 0 after).
    const without = HOST & ~capBit(CAP.CAP_IPC_LOCK);
    putData(without, without, capBit(CAP.CAP_IPC_LOCK));
    expect(sys(p.tid, SYS.capset, header, data)).toBe(0);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAP_AMBIENT, PR_CAP_AMBIENT.IS_SET, CAP.CAP_IPC_LOCK, 0, 0)).toBe(0);
  });
});

describe('capability prctls (cap_task_prctl)', () => {
  it('reads and drops the bounding set', () => {
    const { sys, p } = hostRoot();
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAPBSET_READ, CAP.CAP_SYS_RESOURCE, 0, 0, 0)).toBe(0);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAPBSET_READ, CAP.CAP_CHOWN, 0, 0, 0)).toBe(1);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAPBSET_READ, 41, 0, 0, 0)).toBe(-Errno.EINVAL);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAPBSET_DROP, 99, 0, 0, 0)).toBe(-Errno.EINVAL);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAPBSET_DROP, 13, 0, 0, 0)).toBe(0);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAPBSET_READ, 13, 0, 0, 0)).toBe(0);
    p.cred = p.cred.withCaps({ effective: 0n });
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAPBSET_DROP, 12, 0, 0, 0)).toBe(-Errno.EPERM);
  });

  it('keep-caps: 0 or 1, kept across setresuid to a user (permitted stays, effective goes)', () => {
    const { sys, p } = hostRoot();
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_GET_KEEPCAPS, 0, 0, 0, 0)).toBe(0);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_SET_KEEPCAPS, 2, 0, 0, 0)).toBe(-Errno.EINVAL);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_SET_KEEPCAPS, 1, 0, 0, 0)).toBe(0);
    expect(sys(p.tid, SYS.setresuid, 1000, 1000, 1000)).toBe(0);
    expect(p.cred.caps.permitted).toBe(HOST);
    expect(p.cred.caps.effective).toBe(0n);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_GET_KEEPCAPS, 0, 0, 0, 0)).toBe(1);
  });

  it('ambient: raise needs permitted and inheritable (EPERM), bad arguments are EINVAL', () => {
    const { sys, p } = hostRoot();
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAP_AMBIENT, PR_CAP_AMBIENT.RAISE, 0, 0, 0)).toBe(-Errno.EPERM);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAP_AMBIENT, PR_CAP_AMBIENT.IS_SET, 99, 0, 0)).toBe(-Errno.EINVAL);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAP_AMBIENT, PR_CAP_AMBIENT.CLEAR_ALL, 1, 0, 0)).toBe(-Errno.EINVAL);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAP_AMBIENT, 9, 0, 0, 0)).toBe(-Errno.EINVAL);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_CAP_AMBIENT, PR_CAP_AMBIENT.CLEAR_ALL, 0, 0, 0)).toBe(0);
  });

  it('securebits: 0x100 and 0x400 may be set, an unknown bit 0x1000 is EPERM', () => {
    const { sys, p } = hostRoot();
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_SET_SECUREBITS, 0x1000, 0, 0, 0)).toBe(-Errno.EPERM);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_SET_SECUREBITS, 0x100, 0, 0, 0)).toBe(0);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_SET_SECUREBITS, 0x400, 0, 0, 0)).toBe(0);
    expect(sys(p.tid, SYS.prctl, PR_CAP.PR_GET_SECUREBITS, 0, 0, 0, 0)).toBe(1024);
  });
});

describe('privileged calls check the capability Linux checks', () => {
  it('root without CAP_SYS_RESOURCE may lower but not raise a hard limit (setrlimit EPERM, as mmap 18-1 and mlock02 on the host)', () => {
    const { sys, p } = hostRoot();
    const rl = p.stack.end - 64;
    const put = (cur: bigint, max: bigint) => {
      const b = new Uint8Array(16);
      new DataView(b.buffer).setBigUint64(0, cur, true);
      new DataView(b.buffer).setBigUint64(8, max, true);
      store(p.mm, rl, b, 0, 16);
    };
    put(4096n, 8192n);
    expect(sys(p.tid, SYS.setrlimit, RLIMIT.RLIMIT_MEMLOCK, rl)).toBe(0);
    put(4096n, 2n ** 64n - 1n);
    expect(sys(p.tid, SYS.setrlimit, RLIMIT.RLIMIT_MEMLOCK, rl)).toBe(-Errno.EPERM);
    p.cred = p.cred.withCaps({ effective: p.cred.caps.effective | capBit(CAP.CAP_SYS_RESOURCE) });
    expect(sys(p.tid, SYS.setrlimit, RLIMIT.RLIMIT_MEMLOCK, rl)).toBe(0);
  });

  it('MAP_FIXED below vm.mmap_min_addr needs CAP_SYS_RAWIO (host root maps page 0; without the capability EPERM)', () => {
    const { sys, p } = hostRoot();
    const flags = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS | MAP.MAP_FIXED;
    expect(sys(p.tid, SYS.mmap, 0, 4096, PROT.PROT_READ | PROT.PROT_WRITE, flags, -1, 0)).toBe(0);
    expect(sys(p.tid, SYS.munmap, 0, 4096)).toBe(0);
    p.cred = p.cred.withCaps({ effective: HOST & ~capBit(CAP.CAP_SYS_RAWIO) });
    expect(sys(p.tid, SYS.mmap, 0, 4096, PROT.PROT_READ | PROT.PROT_WRITE, flags, -1, 0)).toBe(-Errno.EPERM);
  });

  it('setuid needs CAP_SETUID, not uid 0', () => {
    const { sys, p } = hostRoot();
    p.cred = p.cred.withCaps({ effective: HOST & ~capBit(CAP.CAP_SETUID) });
    expect(sys(p.tid, SYS.setuid, 1000)).toBe(-Errno.EPERM);
    expect(sys(p.tid, SYS.setgid, 1000)).toBe(0);
  });
});
