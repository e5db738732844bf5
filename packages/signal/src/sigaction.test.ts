import { describe, expect, it } from 'vitest';
import { SA, SIGACTION_GENERIC, SIGACTION_X86_64, decodeSigaction, encodeSigaction } from './sigaction';
import { SignalSet } from './signal-set';

describe('struct sigaction layouts', () => {
  it('x86-64 has handler, flags, restorer, mask', () => {
    const b = new Uint8Array(32);
    const v = new DataView(b.buffer);
    v.setUint32(0, 0x401000, true);
    v.setUint32(4, 0x7f, true);
    v.setUint32(8, (SA.SA_SIGINFO | SA.SA_RESTORER | SA.SA_RESTART) >>> 0, true);
    v.setUint32(16, 0x402000, true);
    v.setUint32(24, 1 << 9, true); // SIGUSR1 (10)
    v.setUint32(28, 1, true); // signal 33
    const a = decodeSigaction(b, SIGACTION_X86_64);
    expect(a.handler).toBe(0x7f_0040_1000);
    expect(a.flags).toBe((SA.SA_SIGINFO | SA.SA_RESTORER | SA.SA_RESTART) >>> 0);
    expect(a.restorer).toBe(0x402000);
    expect(a.mask.toArray()).toEqual([10, 33]);
    const out = new Uint8Array(32);
    encodeSigaction(a, out, SIGACTION_X86_64);
    expect(out).toEqual(b);
  });

  it('asm-generic (riscv64) has no restorer and keeps the mask at 16', () => {
    const b = new Uint8Array(24);
    const v = new DataView(b.buffer);
    v.setUint32(0, 0x10000, true);
    v.setUint32(8, SA.SA_RESETHAND >>> 0, true);
    v.setUint32(16, 1 << 1, true);
    const a = decodeSigaction(b, SIGACTION_GENERIC);
    expect(a).toMatchObject({ handler: 0x10000, flags: SA.SA_RESETHAND >>> 0, restorer: 0 });
    expect(a.mask.toArray()).toEqual([2]);
    const out = new Uint8Array(24);
    encodeSigaction(a, out, SIGACTION_GENERIC);
    expect(out).toEqual(b);
  });

  it('drops flag bits the kernel does not know (UAPI_SA_FLAGS), so a read-back shows support', () => {
    const b = new Uint8Array(24);
    new DataView(b.buffer).setUint32(8, (SA.SA_UNSUPPORTED | SA.SA_ONSTACK | SA.SA_RESTORER) >>> 0, true);
    expect(decodeSigaction(b, SIGACTION_GENERIC).flags).toBe(SA.SA_ONSTACK);
    const all = new Uint8Array(32);
    new DataView(all.buffer).setUint32(8, 0xffffffff, true);
    expect(decodeSigaction(all, SIGACTION_X86_64).flags).toBe(SIGACTION_X86_64.knownFlags);
    expect(decodeSigaction(all, SIGACTION_X86_64).mask.equals(SignalSet.EMPTY)).toBe(true);
  });
});
