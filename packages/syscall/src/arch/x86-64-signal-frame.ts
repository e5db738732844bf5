import {
  SIG, SA, SIGINFO_SIZE, decodeSignalSet, decodeStackT, encodeSiginfo, encodeSignalSet, encodeStackT, onAltStack,
  reportAltStack, signalStackPointer, type SignalFrameBuilder, type SignalFrameMemory, type SignalFrameRequest,
  type SignalFrameRestore,
} from '@tskern/signal';
import type { SignalFrameAbi } from '@tskern/tasks';

/**
 * x86-64 user register state: `regs` in the order of `struct
 * user_regs_struct` (arch/x86/include/asm/user_64.h), 27 registers. tskern
 * carries no FPU/SSE state for x86-64: the frame's fpstate pointer is NULL,
 * which Linux's rt_sigreturn takes as "reset the FPU to its initial state"
 * (fpu__restore_sig with a NULL buffer), so a handler's frame is complete.
 */
export interface X86_64UserContext {
  readonly regs: BigUint64Array;
}

/** Indices into `X86_64UserContext.regs` (user_regs_struct order). */
export const X86_REG = {
  r15: 0, r14: 1, r13: 2, r12: 3, rbp: 4, rbx: 5, r11: 6, r10: 7, r9: 8, r8: 9, rax: 10, rcx: 11, rdx: 12,
  rsi: 13, rdi: 14, orig_rax: 15, rip: 16, cs: 17, eflags: 18, rsp: 19, ss: 20, fs_base: 21, gs_base: 22,
  ds: 23, es: 24, fs: 25, gs: 26,
} as const;

const X86_64_REG_COUNT = 27;
/** __USER_CS and __USER_DS (arch/x86/include/asm/segment.h): the selectors a 64-bit handler runs with. */
const USER_CS = 0x33n;
const USER_DS = 0x2bn;

/** A fresh context: every register 0, user code and stack segments. */
export function x86_64UserContext(): X86_64UserContext {
  const regs = new BigUint64Array(X86_64_REG_COUNT);
  regs[X86_REG.cs] = USER_CS;
  regs[X86_REG.ss] = USER_DS;
  regs[X86_REG.eflags] = 0x202n;
  return { regs };
}

/** Whether `ctx` (a task's `userContext`) is an x86-64 one. */
export function isX86_64UserContext(ctx: unknown): ctx is X86_64UserContext {
  return typeof ctx === 'object' && ctx !== null && (ctx as X86_64UserContext).regs instanceof BigUint64Array
    && (ctx as X86_64UserContext).regs.length === X86_64_REG_COUNT;
}

/**
 * struct sigcontext (arch/x86/include/uapi/asm/sigcontext.h, 64-bit): the
 * general registers in its own order, then cs/gs/fs/ss as 16-bit words, err,
 * trapno, oldmask, cr2, the fpstate pointer and 8 reserved words: 256 bytes.
 */
const SC = {
  r8: 0, r9: 8, r10: 16, r11: 24, r12: 32, r13: 40, r14: 48, r15: 56, rdi: 64, rsi: 72, rbp: 80, rbx: 88,
  rdx: 96, rax: 104, rcx: 112, rsp: 120, rip: 128, eflags: 136, cs: 144, gs: 146, fs: 148, ss: 150,
  err: 152, trapno: 160, oldmask: 168, cr2: 176, fpstate: 184, size: 256,
} as const;

/** sigcontext's general registers, with their user_regs_struct index. */
const SC_GPRS: readonly (readonly [number, number])[] = [
  [SC.r8, X86_REG.r8], [SC.r9, X86_REG.r9], [SC.r10, X86_REG.r10], [SC.r11, X86_REG.r11], [SC.r12, X86_REG.r12], [SC.r13, X86_REG.r13],
  [SC.r14, X86_REG.r14], [SC.r15, X86_REG.r15], [SC.rdi, X86_REG.rdi], [SC.rsi, X86_REG.rsi], [SC.rbp, X86_REG.rbp], [SC.rbx, X86_REG.rbx],
  [SC.rdx, X86_REG.rdx], [SC.rax, X86_REG.rax], [SC.rcx, X86_REG.rcx], [SC.rsp, X86_REG.rsp], [SC.rip, X86_REG.rip],
];

// struct ucontext (arch/x86/include/uapi/asm/ucontext.h via asm-generic):
// uc_flags, uc_link, uc_stack (24), uc_mcontext (sigcontext), uc_sigmask (the
// kernel's 8-byte sigset_t).
const UC_FLAGS = 0;
const UC_LINK = 8;
const UC_STACK = 16;
const UC_MCONTEXT = 40;
const UC_SIGMASK = UC_MCONTEXT + SC.size;
const UCONTEXT_SIZE = UC_SIGMASK + 8;
/** uc_flags without UC_FP_XSTATE (no xsave area): UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS. */
const UC_SIGCONTEXT_SS = 0x2;
const UC_STRICT_RESTORE_SS = 0x4;

/** Offsets inside x86-64's `struct rt_sigframe` (arch/x86/include/asm/sigframe.h): pretcode, ucontext, siginfo. */
export const X86_64_RT_SIGFRAME = {
  pretcode: 0,
  uc: 8,
  stack: 8 + UC_STACK,
  mcontext: 8 + UC_MCONTEXT,
  sigmask: 8 + UC_SIGMASK,
  info: 8 + UCONTEXT_SIZE,
  size: 8 + UCONTEXT_SIZE + SIGINFO_SIZE,
  /** Offsets of the registers inside uc_mcontext (struct sigcontext). */
  sc: SC,
} as const;

/** The red zone below rsp a leaf function may use: get_sigframe skips it. */
const RED_ZONE = 128;
/**
 * FIX_EFLAGS (arch/x86/kernel/signal_64.c): the flags rt_sigreturn takes from
 * the frame (AC, OF, DF, TF, SF, ZF, AF, PF, CF, RF); the rest keep their value.
 */
const FIX_EFLAGS = 0x40000n | 0x800n | 0x400n | 0x100n | 0x80n | 0x40n | 0x10n | 0x4n | 0x1n | 0x10000n;

function u64(value: number): bigint {
  return BigInt.asUintN(64, BigInt(value));
}

/**
 * The x86-64 frame builder (arch/x86/kernel/signal_64.c
 * x64_setup_rt_frame, get_sigframe and sys_rt_sigreturn). The handler
 * returns by `ret` to pretcode, the action's sa_restorer: x86-64 requires
 * SA_RESTORER (libc always sets it), and without it the frame is refused
 * (-EFAULT there, so force_sigsegv).
 */
export const x86_64SignalFrameBuilder: SignalFrameBuilder<X86_64UserContext> = {
  push(ctx: X86_64UserContext, memory: SignalFrameMemory, req: SignalFrameRequest): number {
    if ((req.action.flags & SA.SA_RESTORER) === 0) return SIG.SIGSEGV;
    const rsp = Number(ctx.regs[X86_REG.rsp]);
    const size = X86_64_RT_SIGFRAME.size;
    // get_sigframe: skip the red zone, switch to the alternate stack for
    // SA_ONSTACK, then align_sigframe: round down to 16 and take 8, so that
    // rsp + 8 is 16-aligned as after a call (the handler sees a pushed return address).
    const below = rsp - RED_ZONE;
    const onStack = (req.action.flags & SA.SA_ONSTACK) !== 0;
    const top = signalStackPointer(req.altStack, below, onStack);
    const base = Math.floor((top - size) / 16) * 16 - 8;
    const usingAlt = onAltStack(req.altStack, below) || top !== below;
    if (usingAlt && !onAltStack(req.altStack, base)) return SIG.SIGSEGV;
    if (base < 0) return SIG.SIGSEGV;
    const frame = new Uint8Array(size);
    const view = new DataView(frame.buffer);
    view.setBigUint64(X86_64_RT_SIGFRAME.pretcode, u64(req.action.restorer), true);
    encodeSiginfo(req.info, frame, X86_64_RT_SIGFRAME.info);
    view.setBigUint64(X86_64_RT_SIGFRAME.uc + UC_FLAGS, BigInt(UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS), true);
    view.setBigUint64(X86_64_RT_SIGFRAME.uc + UC_LINK, 0n, true);
    encodeStackT(reportAltStack(req.altStack, rsp), frame, X86_64_RT_SIGFRAME.stack);
    const sc = X86_64_RT_SIGFRAME.mcontext;
    for (const [off, reg] of SC_GPRS) view.setBigUint64(sc + off, ctx.regs[reg]!, true);
    view.setBigUint64(sc + SC.eflags, ctx.regs[X86_REG.eflags]!, true);
    view.setUint16(sc + SC.cs, Number(ctx.regs[X86_REG.cs]! & 0xffffn), true);
    view.setUint16(sc + SC.gs, 0, true);
    view.setUint16(sc + SC.fs, 0, true);
    view.setUint16(sc + SC.ss, Number(ctx.regs[X86_REG.ss]! & 0xffffn), true);
    // err, trapno and cr2 of a page fault are not modelled (0); oldmask is the first word of the mask.
    encodeSignalSet(req.oldBlocked, frame, sc + SC.oldmask);
    view.setBigUint64(sc + SC.fpstate, 0n, true);
    encodeSignalSet(req.oldBlocked, frame, X86_64_RT_SIGFRAME.sigmask);
    if (memory.write(base, frame) !== 0) return SIG.SIGSEGV;
    // Set up registers for the handler: rdi = sig, rsi = &info, rdx = &uc,
    // rax = 0 (no vector registers in use), rsp at the frame, flat segments.
    ctx.regs[X86_REG.rdi] = u64(req.sig);
    ctx.regs[X86_REG.rsi] = u64(base + X86_64_RT_SIGFRAME.info);
    ctx.regs[X86_REG.rdx] = u64(base + X86_64_RT_SIGFRAME.uc);
    ctx.regs[X86_REG.rax] = 0n;
    ctx.regs[X86_REG.rsp] = u64(base);
    ctx.regs[X86_REG.rip] = u64(req.action.handler);
    ctx.regs[X86_REG.cs] = USER_CS;
    ctx.regs[X86_REG.ss] = USER_DS;
    // The handler starts with DF and TF clear (regs->flags &= ~(X86_EFLAGS_DF|RF|TF)).
    ctx.regs[X86_REG.eflags] = ctx.regs[X86_REG.eflags]! & ~(0x400n | 0x10000n | 0x100n);
    return 0;
  },
  restore(ctx: X86_64UserContext, memory: SignalFrameMemory): SignalFrameRestore | number {
    // The handler's `ret` popped pretcode: the frame starts 8 below rsp.
    const base = Number(ctx.regs[X86_REG.rsp]) - 8;
    const frame = new Uint8Array(X86_64_RT_SIGFRAME.size);
    if (base < 0 || memory.read(base, frame) !== 0) return SIG.SIGSEGV;
    const view = new DataView(frame.buffer);
    const sc = X86_64_RT_SIGFRAME.mcontext;
    // restore_sigcontext: the general registers, the fixable flags, cs and ss;
    // orig_ax = -1 so that no syscall restart applies to the returned-to code.
    for (const [off, reg] of SC_GPRS) ctx.regs[reg] = view.getBigUint64(sc + off, true);
    const flags = view.getBigUint64(sc + SC.eflags, true);
    ctx.regs[X86_REG.eflags] = (ctx.regs[X86_REG.eflags]! & ~FIX_EFLAGS) | (flags & FIX_EFLAGS);
    ctx.regs[X86_REG.cs] = BigInt(view.getUint16(sc + SC.cs, true)) | 3n;
    ctx.regs[X86_REG.ss] = BigInt(view.getUint16(sc + SC.ss, true)) | 3n;
    ctx.regs[X86_REG.orig_rax] = 0xffff_ffff_ffff_ffffn;
    return {
      blocked: decodeSignalSet(frame, X86_64_RT_SIGFRAME.sigmask),
      altStack: decodeStackT(frame, X86_64_RT_SIGFRAME.stack),
    };
  },
};

/** x86-64's half of signal delivery: the builder over a task's context, rax as rt_sigreturn's answer. */
export const x86_64SignalFrameAbi: SignalFrameAbi = {
  size: X86_64_RT_SIGFRAME.size,
  builder: {
    push: (ctx, memory, req) => (isX86_64UserContext(ctx) ? x86_64SignalFrameBuilder.push(ctx, memory, req) : SIG.SIGSEGV),
    restore: (ctx, memory) => (isX86_64UserContext(ctx) ? x86_64SignalFrameBuilder.restore(ctx, memory) : SIG.SIGSEGV),
  },
  returnValue: (ctx) => (isX86_64UserContext(ctx) ? Number(BigInt.asIntN(64, ctx.regs[X86_REG.rax]!)) : 0),
  stackPointer: (ctx) => (isX86_64UserContext(ctx) ? Number(ctx.regs[X86_REG.rsp]) : 0),
};
