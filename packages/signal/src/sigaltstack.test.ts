import { describe, expect, it } from 'vitest';
import { Errno } from '@tskern/abi';
import {
  MINSIGSTKSZ, NO_ALTSTACK, SS_AUTODISARM, SS_DISABLE, SS_ONSTACK, decodeStackT, encodeStackT, onAltStack,
  reportAltStack, setAltStack, signalStackPointer, type SigAltStack,
} from './sigaltstack';

const sp = 0x7fff_f000;

describe('sigaltstack', () => {
  it('starts disabled and reports SS_DISABLE', () => {
    expect(reportAltStack(NO_ALTSTACK, sp)).toEqual({ sp: 0, size: 0, flags: SS_DISABLE });
  });

  it('installs a stack; ENOMEM below MINSIGSTKSZ, EINVAL for a bad mode', () => {
    expect(setAltStack(NO_ALTSTACK, sp, { sp: 0x1000, size: MINSIGSTKSZ - 1, flags: 0 })).toBe(-Errno.ENOMEM);
    expect(setAltStack(NO_ALTSTACK, sp, { sp: 0x1000, size: 8192, flags: 4 })).toBe(-Errno.EINVAL);
    const s = setAltStack(NO_ALTSTACK, sp, { sp: 0x1000, size: 8192, flags: SS_ONSTACK }) as SigAltStack;
    expect(reportAltStack(s, sp)).toEqual({ sp: 0x1000, size: 8192, flags: 0 });
    expect(reportAltStack(s, 0x2000)).toEqual({ sp: 0x1000, size: 8192, flags: SS_ONSTACK });
  });

  it('refuses a change while on the stack (EPERM) and disables with SS_DISABLE', () => {
    const s = setAltStack(NO_ALTSTACK, sp, { sp: 0x1000, size: 8192, flags: 0 }) as SigAltStack;
    expect(setAltStack(s, 0x1800, { sp: 0, size: 0, flags: SS_DISABLE })).toBe(-Errno.EPERM);
    const off = setAltStack(s, sp, { sp: 0x5555, size: 1, flags: SS_DISABLE }) as SigAltStack;
    expect(reportAltStack(off, sp)).toEqual({ sp: 0, size: 0, flags: SS_DISABLE });
  });

  it('SS_AUTODISARM: never "on" the stack, and reported back', () => {
    const s = setAltStack(NO_ALTSTACK, sp, { sp: 0x1000, size: 8192, flags: SS_AUTODISARM }) as SigAltStack;
    expect(onAltStack(s, 0x1800)).toBe(false);
    expect(reportAltStack(s, 0x1800).flags).toBe(SS_AUTODISARM);
  });

  it('moves the frame to the top of the stack only for SA_ONSTACK and when not already on it', () => {
    const s = setAltStack(NO_ALTSTACK, sp, { sp: 0x1000, size: 8192, flags: 0 }) as SigAltStack;
    expect(signalStackPointer(s, sp, true)).toBe(0x3000);
    expect(signalStackPointer(s, sp, false)).toBe(sp);
    expect(signalStackPointer(s, 0x2000, true)).toBe(0x2000);
    expect(signalStackPointer(NO_ALTSTACK, sp, true)).toBe(sp);
  });

  it('encodes stack_t as ss_sp, ss_flags, ss_size', () => {
    const b = new Uint8Array(24);
    encodeStackT({ sp: 0x7f00_0000_1000, size: 65536, flags: SS_ONSTACK }, b);
    const v = new DataView(b.buffer);
    expect([v.getUint32(0, true), v.getUint32(4, true), v.getUint32(8, true), v.getUint32(16, true)]).toEqual([0x1000, 0x7f00, 1, 65536]);
    expect(decodeStackT(b)).toEqual({ sp: 0x7f00_0000_1000, size: 65536, flags: SS_ONSTACK });
  });
});
