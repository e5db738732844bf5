import { NO_ALTSTACK, SA, SIG, SIGINFO_SIZE, SignalSet, decodeSignalSet, userSigInfo, type SignalFrameMemory } from '@tskern/signal';
import { describe, expect, it } from 'vitest';
import { X86_64_RT_SIGFRAME, X86_REG, x86_64SignalFrameBuilder, x86_64UserContext } from './x86-64-signal-frame';
import { x86_64ContextAbi } from './x86-64-context-abi';

/**
 * Measured on the host (Linux 6.x, x86_64) by x86-64-sigframe-probe.c, whose SA_SIGINFO
 * handler printed `(char *)info - (char *)uc` = 304, `*(uint64_t *)(uc - 8)`
 * == sa_restorer, `(uc - 8) % 16` = 8, and glibc's offsetof(ucontext_t, ...):
 * uc_mcontext 40, gregs[REG_RBX] 128, gregs[REG_RSP] 160, gregs[REG_RIP]
 * 168, fpregs 224, uc_sigmask 296; uc_flags was 7 there (UC_FP_XSTATE with
 * an xsave area; tskern saves no FPU state, so 6).
 */
const HOST = { infoMinusUc: 304, mcontext: 40, rbx: 128, rsp: 160, rip: 168, fpregs: 224, sigmask: 296 };

class FlatMemory implements SignalFrameMemory {
  readonly bytes = new Uint8Array(0x10000);
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

describe('x86-64 rt_sigframe', () => {
  it('lays out pretcode, ucontext and siginfo as the host kernel does', () => {
    const uc = X86_64_RT_SIGFRAME.uc;
    expect(X86_64_RT_SIGFRAME.pretcode).toBe(uc - 8);
    expect(X86_64_RT_SIGFRAME.info - uc).toBe(HOST.infoMinusUc);
    expect(X86_64_RT_SIGFRAME.mcontext - uc).toBe(HOST.mcontext);
    expect(X86_64_RT_SIGFRAME.mcontext + X86_64_RT_SIGFRAME.sc.rbx - uc).toBe(HOST.rbx);
    expect(X86_64_RT_SIGFRAME.mcontext + X86_64_RT_SIGFRAME.sc.rsp - uc).toBe(HOST.rsp);
    expect(X86_64_RT_SIGFRAME.mcontext + X86_64_RT_SIGFRAME.sc.rip - uc).toBe(HOST.rip);
    expect(X86_64_RT_SIGFRAME.mcontext + X86_64_RT_SIGFRAME.sc.fpstate - uc).toBe(HOST.fpregs);
    expect(X86_64_RT_SIGFRAME.sigmask - uc).toBe(HOST.sigmask);
    expect(X86_64_RT_SIGFRAME.size).toBe(8 + HOST.infoMinusUc + SIGINFO_SIZE);
  });

  it('writes the registers where sigcontext keeps them, a NULL fpstate, and restores them', () => {
    const mem = new FlatMemory();
    const ctx = x86_64UserContext();
    for (let i = 0; i < 16; i++) ctx.regs[i] = BigInt(0x100 + i);
    ctx.regs[X86_REG.rsp] = 0xf000n;
    ctx.regs[X86_REG.rip] = 0x40_1234n;
    const req = {
      sig: SIG.SIGUSR2, info: userSigInfo(SIG.SIGUSR2, 1, 0),
      action: { handler: 0x5000, flags: SA.SA_RESTORER, restorer: 0x6000, mask: SignalSet.EMPTY },
      oldBlocked: SignalSet.EMPTY.add(SIG.SIGHUP), altStack: NO_ALTSTACK,
    };
    expect(x86_64SignalFrameBuilder.push(ctx, mem, req)).toBe(0);
    const frame = Number(ctx.regs[X86_REG.rsp]);
    const view = new DataView(mem.bytes.buffer);
    const sc = frame + X86_64_RT_SIGFRAME.mcontext;
    expect(view.getBigUint64(sc + X86_64_RT_SIGFRAME.sc.rip, true)).toBe(0x40_1234n);
    expect(view.getBigUint64(sc + X86_64_RT_SIGFRAME.sc.rsp, true)).toBe(0xf000n);
    expect(view.getBigUint64(sc + X86_64_RT_SIGFRAME.sc.r15, true)).toBe(0x100n); // user_regs_struct starts at r15
    expect(view.getBigUint64(sc + X86_64_RT_SIGFRAME.sc.fpstate, true)).toBe(0n);
    expect(view.getBigUint64(frame + X86_64_RT_SIGFRAME.uc, true)).toBe(6n);
    expect(decodeSignalSet(mem.bytes, frame + X86_64_RT_SIGFRAME.sigmask).has(SIG.SIGHUP)).toBe(true);
    expect(ctx.regs[X86_REG.rax]).toBe(0n);

    ctx.regs[X86_REG.rsp] = BigInt(frame + 8);
    const restored = x86_64SignalFrameBuilder.restore(ctx, mem);
    expect(typeof restored === 'object' && restored.blocked.has(SIG.SIGHUP)).toBe(true);
    for (let i = 0; i < 15; i++) expect(ctx.regs[i]).toBe(BigInt(0x100 + i));
    expect(ctx.regs[X86_REG.rip]).toBe(0x40_1234n);
    expect(ctx.regs[X86_REG.orig_rax]).toBe(0xffff_ffff_ffff_ffffn);
  });

  it('rewinds a restarted call over the 2-byte syscall instruction with rax back to the number', () => {
    const ctx = x86_64UserContext();
    ctx.regs[X86_REG.rip] = 0x40_1002n;
    ctx.regs[X86_REG.rax] = BigInt.asUintN(64, -512n);
    x86_64ContextAbi.rewindSyscall(ctx, 7, 0);
    expect(ctx.regs[X86_REG.rip]).toBe(0x40_1000n);
    expect(ctx.regs[X86_REG.rax]).toBe(7n);
  });
});
