import {
  SA, SEGV_MAPERR, SIG, SS_ONSTACK, NO_ALTSTACK, SignalSet, decodeSiginfo, decodeSignalSet, faultSigInfo,
  type SigAction, type SignalFrameMemory,
} from '@tskern/signal';
import { describe, expect, it } from 'vitest';
import {
  RISCV64_RT_SIGFRAME, RV_A0, RV_A1, RV_A2, RV_PC, RV_RA, RV_SP, riscv64SignalFrameBuilder, riscv64UserContext,
} from './riscv64-signal-frame';

/** User memory [0, size): anything outside is a SIGSEGV, as copy_to_user failing. */
class FlatMemory implements SignalFrameMemory {
  readonly bytes: Uint8Array;
  constructor(size: number) { this.bytes = new Uint8Array(size); }
  read(addr: number, into: Uint8Array): number {
    if (addr < 0 || addr + into.length > this.bytes.length) return SIG.SIGSEGV;
    into.set(this.bytes.subarray(addr, addr + into.length));
    return 0;
  }
  write(addr: number, from: Uint8Array): number {
    if (addr < 0 || addr + from.length > this.bytes.length) return SIG.SIGSEGV;
    this.bytes.set(from, addr);
    return 0;
  }
}

const HANDLER = 0x1_0400;
const TRAMPOLINE = 0x1_0800;
const action = (flags: number = SA.SA_SIGINFO): SigAction => ({ handler: HANDLER, flags, restorer: 0, mask: SignalSet.EMPTY });
const oldBlocked = SignalSet.EMPTY.add(SIG.SIGUSR1);

describe('riscv64 rt_sigframe', () => {
  it('has the size of Linux riscv64 struct rt_sigframe (siginfo 128 + ucontext 960)', () => {
    expect(RISCV64_RT_SIGFRAME.uc).toBe(128);
    expect(RISCV64_RT_SIGFRAME.regs - RISCV64_RT_SIGFRAME.uc).toBe(176);
    expect(RISCV64_RT_SIGFRAME.size).toBe(1088);
  });

  it('points the context at the handler and rt_sigreturn restores it past the fault', () => {
    const mem = new FlatMemory(0x8000);
    const builder = riscv64SignalFrameBuilder;
    const ctx = riscv64UserContext(TRAMPOLINE);
    for (let i = 1; i < 32; i++) ctx.regs[i] = BigInt(1000 + i);
    ctx.regs[RV_SP] = 0x7ff8n;
    ctx.regs[RV_PC] = 0x1_0100n;
    ctx.fp[0] = 0xab;
    const info = faultSigInfo(SIG.SIGSEGV, SEGV_MAPERR, 0xdead0);
    expect(builder.push(ctx, mem, { sig: SIG.SIGSEGV, info, action: action(), oldBlocked, altStack: NO_ALTSTACK })).toBe(0);

    const frame = Number(ctx.regs[RV_SP]);
    expect(frame % 16).toBe(0);
    expect(frame + RISCV64_RT_SIGFRAME.size).toBeLessThanOrEqual(0x7ff8);
    expect(ctx.regs[RV_PC]).toBe(BigInt(HANDLER));
    expect(ctx.regs[RV_A0]).toBe(11n);
    expect(ctx.regs[RV_A1]).toBe(BigInt(frame));
    expect(ctx.regs[RV_A2]).toBe(BigInt(frame + RISCV64_RT_SIGFRAME.uc));
    expect(ctx.regs[RV_RA]).toBe(BigInt(TRAMPOLINE));
    expect(decodeSiginfo(mem.bytes, frame)).toMatchObject({ kind: 'fault', signo: 11, code: SEGV_MAPERR, addr: 0xdead0 });
    expect(decodeSignalSet(mem.bytes, frame + RISCV64_RT_SIGFRAME.sigmask).has(SIG.SIGUSR1)).toBe(true);

    // The handler skips the faulting instruction: sc_regs.pc += 4.
    const view = new DataView(mem.bytes.buffer);
    const savedPc = view.getBigUint64(frame + RISCV64_RT_SIGFRAME.regs, true);
    expect(savedPc).toBe(0x1_0100n);
    view.setBigUint64(frame + RISCV64_RT_SIGFRAME.regs, savedPc + 4n, true);

    ctx.fp[0] = 0;
    const restored = builder.restore(ctx, mem);
    expect(typeof restored).toBe('object');
    if (typeof restored === 'number') return;
    expect(restored.blocked.has(SIG.SIGUSR1)).toBe(true);
    expect(ctx.regs[RV_PC]).toBe(0x1_0104n);
    expect(ctx.regs[RV_SP]).toBe(0x7ff8n);
    expect(ctx.regs[RV_A0]).toBe(1010n);
    expect(ctx.regs[RV_RA]).toBe(1001n);
    expect(ctx.fp[0]).toBe(0xab);
  });

  it('builds the frame on the alternate stack with SA_ONSTACK and saves it as in use', () => {
    const mem = new FlatMemory(0x10000);
    const ctx = riscv64UserContext(TRAMPOLINE);
    ctx.regs[RV_SP] = 0xf000n;
    const altStack = { sp: 0x2000, size: 0x2000, flags: 0 };
    const info = faultSigInfo(SIG.SIGSEGV, SEGV_MAPERR, 0);
    const builder = riscv64SignalFrameBuilder;
    expect(builder.push(ctx, mem, { sig: 11, info, action: action(SA.SA_ONSTACK), oldBlocked, altStack })).toBe(0);
    const frame = Number(ctx.regs[RV_SP]);
    expect(frame).toBeGreaterThanOrEqual(0x2000);
    expect(frame + RISCV64_RT_SIGFRAME.size).toBeLessThanOrEqual(0x4000);
    // A nested signal while on the alternate stack saves uc_stack with SS_ONSTACK.
    expect(builder.push(ctx, mem, { sig: 11, info, action: action(SA.SA_ONSTACK), oldBlocked, altStack })).toBe(0);
    const nested = Number(ctx.regs[RV_SP]);
    const view = new DataView(mem.bytes.buffer);
    expect(view.getUint32(nested + RISCV64_RT_SIGFRAME.stack + 8, true)).toBe(SS_ONSTACK);
  });

  it('forces SIGSEGV when the frame cannot be written, leaving the context alone', () => {
    const mem = new FlatMemory(0x100);
    const ctx = riscv64UserContext(TRAMPOLINE);
    ctx.regs[RV_SP] = 0x100n;
    ctx.regs[RV_PC] = 0x42n;
    const info = faultSigInfo(SIG.SIGSEGV, SEGV_MAPERR, 0);
    const builder = riscv64SignalFrameBuilder;
    expect(builder.push(ctx, mem, { sig: 11, info, action: action(), oldBlocked, altStack: NO_ALTSTACK })).toBe(SIG.SIGSEGV);
    expect(ctx.regs[RV_PC]).toBe(0x42n);
    expect(builder.restore(ctx, mem)).toBe(SIG.SIGSEGV);
  });
});
