import { describe, expect, it } from 'vitest';
import type { SignalFrameBuilder, SignalFrameMemory, SignalFrameRequest } from './frame-builder';
import { SA } from './sigaction';
import { SEGV_MAPERR, SIGINFO_SIZE, decodeSiginfo, encodeSiginfo, faultSigInfo } from './siginfo';
import { decodeStackT, encodeStackT, NO_ALTSTACK, signalStackPointer, STACK_T_SIZE } from './sigaltstack';
import { SIG } from './signal-numbers';
import { SignalSet, decodeSignalSet, encodeSignalSet } from './signal-set';

/** A toy register file: what a frame builder saves and restores. */
interface ToyContext {
  sp: number;
  pc: number;
  args: number[];
}

/** Flat user memory [0, size): anything outside faults with SIGSEGV. */
class FlatMemory implements SignalFrameMemory {
  constructor(readonly bytes: Uint8Array) {}
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

// The fake frame: siginfo, then uc_sigmask, uc_stack, saved sp and pc.
const FRAME = SIGINFO_SIZE + 8 + STACK_T_SIZE + 16;

/** A test fake of the architecture hook, enough to show the contract round-trips. */
const toyBuilder: SignalFrameBuilder<ToyContext> = {
  push(ctx, memory, req) {
    const top = signalStackPointer(req.altStack, ctx.sp, (req.action.flags & SA.SA_ONSTACK) !== 0);
    const base = (top - FRAME) & ~15;
    const frame = new Uint8Array(FRAME);
    encodeSiginfo(req.info, frame, 0);
    encodeSignalSet(req.oldBlocked, frame, SIGINFO_SIZE);
    encodeStackT(req.altStack, frame, SIGINFO_SIZE + 8);
    const regs = new DataView(frame.buffer, SIGINFO_SIZE + 8 + STACK_T_SIZE);
    regs.setFloat64(0, ctx.sp, true);
    regs.setFloat64(8, ctx.pc, true);
    if (memory.write(base, frame) !== 0) return SIG.SIGSEGV;
    ctx.sp = base;
    ctx.pc = req.action.handler;
    ctx.args = [req.sig, base, base + SIGINFO_SIZE];
    return 0;
  },
  restore(ctx, memory) {
    const frame = new Uint8Array(FRAME);
    if (memory.read(ctx.sp, frame) !== 0) return SIG.SIGSEGV;
    const regs = new DataView(frame.buffer, SIGINFO_SIZE + 8 + STACK_T_SIZE);
    ctx.sp = regs.getFloat64(0, true);
    ctx.pc = regs.getFloat64(8, true);
    return { blocked: decodeSignalSet(frame, SIGINFO_SIZE), altStack: decodeStackT(frame, SIGINFO_SIZE + 8) };
  },
};

const request = (flags = 0): SignalFrameRequest => ({
  sig: SIG.SIGSEGV,
  info: faultSigInfo(SIG.SIGSEGV, SEGV_MAPERR, 0x40),
  action: { handler: 0x900, flags, restorer: 0, mask: SignalSet.EMPTY },
  oldBlocked: SignalSet.of(SIG.SIGUSR1),
  altStack: { sp: 0x100, size: 0x200, flags: 0 },
});

describe('SignalFrameBuilder contract (with a test fake)', () => {
  it('pushes a frame the handler can read, and rt_sigreturn restores registers, mask and altstack', () => {
    const mem = new FlatMemory(new Uint8Array(0x1000));
    const ctx: ToyContext = { sp: 0xf00, pc: 0x123, args: [] };
    expect(toyBuilder.push(ctx, mem, request())).toBe(0);
    expect(ctx.pc).toBe(0x900);
    expect(ctx.sp).toBeLessThan(0xf00);
    const info = new Uint8Array(SIGINFO_SIZE);
    mem.read(ctx.args[1]!, info);
    expect(decodeSiginfo(info)).toMatchObject({ kind: 'fault', addr: 0x40 });
    const r = toyBuilder.restore(ctx, mem);
    expect(ctx).toMatchObject({ sp: 0xf00, pc: 0x123 });
    expect(typeof r === 'object' && r.blocked.toArray()).toEqual([SIG.SIGUSR1]);
  });

  it('puts the frame on the alternate stack under SA_ONSTACK', () => {
    const mem = new FlatMemory(new Uint8Array(0x1000));
    const ctx: ToyContext = { sp: 0xf00, pc: 0, args: [] };
    toyBuilder.push(ctx, mem, request(SA.SA_ONSTACK));
    expect(ctx.sp).toBeGreaterThanOrEqual(0x100);
    expect(ctx.sp).toBeLessThan(0x300);
  });

  it('answers the signal to force when the frame cannot be written or read', () => {
    const mem = new FlatMemory(new Uint8Array(0x100));
    const ctx: ToyContext = { sp: 0x50, pc: 0, args: [] };
    expect(toyBuilder.push(ctx, mem, { ...request(), altStack: NO_ALTSTACK })).toBe(SIG.SIGSEGV);
    expect(toyBuilder.restore({ sp: 0x5000, pc: 0, args: [] }, mem)).toBe(SIG.SIGSEGV);
  });
});
