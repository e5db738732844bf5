import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BUS_ADRERR, CLD, SEGV_ACCERR, SEGV_MAPERR, SI, SIGINFO_SIZE, type SigInfo, childSigInfo, decodeSiginfo,
  encodeSiginfo, faultSigInfo, kernelSigInfo, siginfoLayout, userSigInfo,
} from './siginfo';
import { SIG } from './signal-numbers';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 100);

describe('siginfo_t', () => {
  it('puts si_signo, si_errno, si_code first and si_addr at 16 for a fault', () => {
    const b = encodeSiginfo(faultSigInfo(SIG.SIGSEGV, SEGV_ACCERR, 0x7fff_0000_1234));
    expect(b.length).toBe(SIGINFO_SIZE);
    const v = new DataView(b.buffer);
    expect([v.getInt32(0, true), v.getInt32(4, true), v.getInt32(8, true)]).toEqual([SIG.SIGSEGV, 0, SEGV_ACCERR]);
    expect(v.getUint32(16, true)).toBe(0x0000_1234);
    expect(v.getUint32(20, true)).toBe(0x7fff);
  });

  it('lays out SIGCHLD as pid, uid, status, utime, stime', () => {
    const b = encodeSiginfo(childSigInfo(CLD.CLD_EXITED, 42, 1000, 3, 5, 7));
    const v = new DataView(b.buffer);
    expect([v.getInt32(16, true), v.getUint32(20, true), v.getInt32(24, true)]).toEqual([42, 1000, 3]);
    expect([v.getUint32(32, true), v.getUint32(40, true)]).toEqual([5, 7]);
  });

  it('chooses the union member as siginfo_layout does', () => {
    expect(siginfoLayout(SIG.SIGBUS, BUS_ADRERR)).toBe('fault');
    expect(siginfoLayout(SIG.SIGSEGV, SI.SI_USER)).toBe('kill'); // kill(pid, SIGSEGV)
    expect(siginfoLayout(SIG.SIGSEGV, SI.SI_KERNEL)).toBe('kill');
    expect(siginfoLayout(SIG.SIGCHLD, CLD.CLD_KILLED)).toBe('child');
    expect(siginfoLayout(40, SI.SI_QUEUE)).toBe('rt');
    expect(siginfoLayout(40, SI.SI_TIMER)).toBe('timer');
    expect(siginfoLayout(SIG.SIGUSR1, SI.SI_TKILL)).toBe('rt');
    expect(siginfoLayout(SIG.SIGALRM, SI.SI_KERNEL)).toBe('kill');
  });

  it('round-trips every variant (property)', () => {
    const i32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const addr = fc.integer({ min: 0, max: 2 ** 47 });
    const info: fc.Arbitrary<SigInfo> = fc.oneof(
      fc.record({ pid: i32, uid: u32, sig: fc.integer({ min: 1, max: 64 }) }).map(({ pid, uid, sig }) => userSigInfo(sig, pid, uid)),
      fc.record({ sig: fc.constantFrom(SIG.SIGSEGV, SIG.SIGBUS), code: fc.constantFrom(SEGV_MAPERR, SEGV_ACCERR), addr })
        .map(({ sig, code, addr: a }) => faultSigInfo(sig, code, a)),
      fc.record({ pid: i32, uid: u32, status: i32, ut: addr, st: addr })
        .map(({ pid, uid, status, ut, st }) => childSigInfo(CLD.CLD_EXITED, pid, uid, status, ut, st)),
      fc.record({ pid: i32, uid: u32, value: addr, sig: fc.integer({ min: 1, max: 64 }) })
        .map(({ pid, uid, value, sig }): SigInfo => ({ kind: 'rt', signo: sig, errno: 0, code: SI.SI_QUEUE, pid, uid, value })),
      fc.record({ id: i32, ov: i32, value: addr })
        .map(({ id, ov, value }): SigInfo => ({ kind: 'timer', signo: 40, errno: 0, code: SI.SI_TIMER, timerId: id, overrun: ov, value })),
      fc.integer({ min: 1, max: 31 }).map((sig) => kernelSigInfo(sig)),
    );
    fc.assert(fc.property(info, (i) => {
      expect(decodeSiginfo(encodeSiginfo(i))).toEqual(i);
    }), { numRuns: runs });
  });
});
