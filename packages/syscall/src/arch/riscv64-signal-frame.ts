import { SIG, SA, SIGINFO_SIZE, decodeSignalSet, decodeStackT, encodeSiginfo, encodeSignalSet, encodeStackT, onAltStack,
  reportAltStack, signalStackPointer, type SignalFrameBuilder, type SignalFrameMemory, type SignalFrameRequest,
  type SignalFrameRestore } from '@tskern/signal';
import type { SignalFrameAbi } from '@tskern/tasks';

/**
 * riscv64 user register state as the trap frame holds it: `regs` in the
 * order of `struct user_regs_struct` (pc, then x1 = ra .. x31 = t6), so it is
 * also sc_regs as the signal frame stores it; `fp` the floating-point state
 * (`union __riscv_fp_state`, 528 bytes), carried opaquely.
 */
export interface Riscv64UserContext {
  readonly regs: BigUint64Array;
  readonly fp: Uint8Array;
  /**
   * Where a handler returns to (`ra`): Linux points it at the vDSO's
   * __vdso_rt_sigreturn, a per-process address; tskern has no vDSO yet, so
   * whoever loads the program names a trampoline that makes rt_sigreturn.
   */
  sigreturnTrampoline: number;
}

/** Register indices into `Riscv64UserContext.regs` (the ABI names of x1, x2, x10..x12). */
export const RV_PC = 0;
export const RV_RA = 1;
export const RV_SP = 2;
export const RV_A0 = 10;
export const RV_A1 = 11;
export const RV_A2 = 12;

/** sizeof(union __riscv_fp_state): the Q layout, f[64] of 8 bytes, fcsr, reserved[3]. */
export const RISCV64_FP_STATE_SIZE = 528;

/** A fresh context: every register 0, no FP state. */
export function riscv64UserContext(sigreturnTrampoline = 0): Riscv64UserContext {
  return { regs: new BigUint64Array(32), fp: new Uint8Array(RISCV64_FP_STATE_SIZE), sigreturnTrampoline };
}

/** Whether `ctx` (a task's `userContext`) is a riscv64 one. */
export function isRiscv64UserContext(ctx: unknown): ctx is Riscv64UserContext {
  return typeof ctx === 'object' && ctx !== null && (ctx as Riscv64UserContext).regs instanceof BigUint64Array
    && (ctx as Riscv64UserContext).regs.length === 32 && (ctx as Riscv64UserContext).fp instanceof Uint8Array;
}

// struct ucontext (arch/riscv/include/uapi/asm/ucontext.h): uc_flags, uc_link,
// uc_stack, uc_sigmask padded to 1024 bits, then uc_mcontext, whose FP union is
// 16-byte aligned, so sigcontext (and uc_mcontext) starts on 16 bytes.
const UC_FLAGS = 0;
const UC_LINK = 8;
const UC_STACK = 16;
const UC_SIGMASK = 40;
const UC_MCONTEXT = 176; // 40 + 128 bytes of sigset space, rounded up to 16
const SC_REGS = 0;
const SC_FPREGS = 32 * 8;
const SIGCONTEXT_SIZE = SC_FPREGS + RISCV64_FP_STATE_SIZE;
const UCONTEXT_SIZE = UC_MCONTEXT + SIGCONTEXT_SIZE;

/** Offsets inside riscv64's `struct rt_sigframe`: siginfo then ucontext. */
export const RISCV64_RT_SIGFRAME = {
  info: 0,
  uc: SIGINFO_SIZE,
  sigmask: SIGINFO_SIZE + UC_SIGMASK,
  stack: SIGINFO_SIZE + UC_STACK,
  /** sc_regs: pc at +0, x_n at +8n. */
  regs: SIGINFO_SIZE + UC_MCONTEXT + SC_REGS,
  fpregs: SIGINFO_SIZE + UC_MCONTEXT + SC_FPREGS,
  size: SIGINFO_SIZE + UCONTEXT_SIZE,
} as const;

function u64(value: number): bigint {
  return BigInt.asUintN(64, BigInt(value));
}

/**
 * The riscv64 frame builder (arch/riscv/kernel/signal.c setup_rt_frame and
 * sys_rt_sigreturn). The handler returns through `ra`: the context's
 * `sigreturnTrampoline` (the vDSO's place), or the action's sa_restorer when
 * it has SA_RESTORER (not defined for riscv64 by Linux, harmless here).
 */
export const riscv64SignalFrameBuilder: SignalFrameBuilder<Riscv64UserContext> = {
  push(ctx: Riscv64UserContext, memory: SignalFrameMemory, req: SignalFrameRequest): number {
    const sp = Number(ctx.regs[RV_SP]);
    const size = RISCV64_RT_SIGFRAME.size;
    // get_sigframe: a frame that would overflow the alternate stack we are on is a SIGSEGV.
    if (onAltStack(req.altStack, sp) && !onAltStack(req.altStack, sp - size)) return SIG.SIGSEGV;
    const top = signalStackPointer(req.altStack, sp, (req.action.flags & SA.SA_ONSTACK) !== 0);
    const base = Math.floor((top - size) / 16) * 16;
    if (base < 0) return SIG.SIGSEGV;
    const frame = new Uint8Array(size);
    const view = new DataView(frame.buffer);
    encodeSiginfo(req.info, frame, RISCV64_RT_SIGFRAME.info);
    view.setBigUint64(RISCV64_RT_SIGFRAME.uc + UC_FLAGS, 0n, true);
    view.setBigUint64(RISCV64_RT_SIGFRAME.uc + UC_LINK, 0n, true);
    // __save_altstack: the stack as sigaltstack would report it from the interrupted sp.
    encodeStackT(reportAltStack(req.altStack, sp), frame, RISCV64_RT_SIGFRAME.stack);
    encodeSignalSet(req.oldBlocked, frame, RISCV64_RT_SIGFRAME.sigmask);
    for (let i = 0; i < 32; i++) view.setBigUint64(RISCV64_RT_SIGFRAME.regs + 8 * i, ctx.regs[i]!, true);
    frame.set(ctx.fp, RISCV64_RT_SIGFRAME.fpregs);
    // signal_setup_done: a frame that cannot be written is force_sigsegv.
    if (memory.write(base, frame) !== 0) return SIG.SIGSEGV;
    const restorer = (req.action.flags & SA.SA_RESTORER) !== 0 ? req.action.restorer : ctx.sigreturnTrampoline;
    ctx.regs[RV_RA] = u64(restorer);
    ctx.regs[RV_A0] = u64(req.sig);
    ctx.regs[RV_A1] = u64(base + RISCV64_RT_SIGFRAME.info);
    ctx.regs[RV_A2] = u64(base + RISCV64_RT_SIGFRAME.uc);
    ctx.regs[RV_SP] = u64(base);
    ctx.regs[RV_PC] = u64(req.action.handler);
    return 0;
  },
  restore(ctx: Riscv64UserContext, memory: SignalFrameMemory): SignalFrameRestore | number {
    const frame = new Uint8Array(RISCV64_RT_SIGFRAME.size);
    if (memory.read(Number(ctx.regs[RV_SP]), frame) !== 0) return SIG.SIGSEGV;
    const view = new DataView(frame.buffer);
    // restore_sigcontext: every register including pc, then the FP state.
    for (let i = 0; i < 32; i++) ctx.regs[i] = view.getBigUint64(RISCV64_RT_SIGFRAME.regs + 8 * i, true);
    ctx.fp.set(frame.subarray(RISCV64_RT_SIGFRAME.fpregs, RISCV64_RT_SIGFRAME.fpregs + RISCV64_FP_STATE_SIZE));
    return {
      blocked: decodeSignalSet(frame, RISCV64_RT_SIGFRAME.sigmask),
      altStack: decodeStackT(frame, RISCV64_RT_SIGFRAME.stack),
    };
  },
};

/**
 * riscv64's half of signal delivery for its ArchAbi: the builder over a
 * task's `userContext`, and a0 as the value rt_sigreturn answers (the
 * restored a0, as sys_rt_sigreturn returns regs->a0), read as a signed
 * 64-bit value (exact for addresses and errno results).
 */
export const riscv64SignalFrameAbi: SignalFrameAbi = {
  size: RISCV64_RT_SIGFRAME.size,
  builder: {
    push: (ctx, memory, req) => (isRiscv64UserContext(ctx) ? riscv64SignalFrameBuilder.push(ctx, memory, req) : SIG.SIGSEGV),
    restore: (ctx, memory) => (isRiscv64UserContext(ctx) ? riscv64SignalFrameBuilder.restore(ctx, memory) : SIG.SIGSEGV),
  },
  returnValue: (ctx) => (isRiscv64UserContext(ctx) ? Number(BigInt.asIntN(64, ctx.regs[RV_A0]!)) : 0),
  stackPointer: (ctx) => (isRiscv64UserContext(ctx) ? Number(ctx.regs[RV_SP]) : 0),
};
