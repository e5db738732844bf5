import { Signal, SYS, SYS_RISCV64 } from '@tskern/abi';
import { store, load } from '@tskern/mman';
import {
  SA, SEGV_MAPERR, SIG, SIGACTION_GENERIC, SIGACTION_X86_64, SignalSet, decodeSiginfo, encodeSigaction, encodeSignalSet,
} from '@tskern/signal';
import { describe, expect, it } from 'vitest';
import { riscv64Abi } from '../arch/riscv64';
import { RISCV64_RT_SIGFRAME, RV_A0, RV_A1, RV_PC, RV_RA, RV_SP, riscv64UserContext, type Riscv64UserContext } from '../arch/riscv64-signal-frame';
import { X86_64_RT_SIGFRAME, X86_REG, x86_64UserContext } from '../arch/x86-64-signal-frame';
import { forceSigFault } from './force-fault';
import { handleSignal } from './handle-signal';
import { blockedOf } from './signal-state';
import { signalWorld } from './testing/signal-world';

const HANDLER = 0x7000;
const TRAMPOLINE = 0x7100;
const FAULT_PC = 0x1_0000;
const FAULT_ADDR = 0xdead_0000;

describe('riscv64 handler delivery and rt_sigreturn', () => {
  it('runs a SIGSEGV handler and returns past the faulting access', () => {
    const w = signalWorld();
    const p = w.spawn(1000, riscv64Abi);
    const ctx = riscv64UserContext(TRAMPOLINE);
    ctx.regs[RV_SP] = BigInt(p.stack.end - 4096);
    p.userContext = ctx;
    const scratch = p.stack.end - 256;
    const act = new Uint8Array(SIGACTION_GENERIC.size);
    encodeSigaction({ handler: HANDLER, flags: SA.SA_SIGINFO, restorer: 0, mask: SignalSet.EMPTY }, act, SIGACTION_GENERIC);
    store(p.mm, scratch, act, 0, act.length);
    expect(w.sys(p.tid, SYS_RISCV64.rt_sigaction, SIG.SIGSEGV, scratch, 0, 8)).toBe(0);
    const mask = new Uint8Array(8);
    encodeSignalSet(SignalSet.EMPTY.add(SIG.SIGUSR1), mask);
    store(p.mm, scratch, mask, 0, 8);
    expect(w.sys(p.tid, SYS_RISCV64.rt_sigprocmask, 0 /* SIG_BLOCK */, scratch, 0, 8)).toBe(0);

    // The CPU: the load at FAULT_PC faults on an unmapped address.
    ctx.regs[RV_PC] = BigInt(FAULT_PC);
    ctx.regs[RV_A0] = 77n;
    expect(forceSigFault(p, Signal.SIGSEGV, FAULT_ADDR)).toBe(0);
    expect(handleSignal(p)).toBe(SIG.SIGSEGV);

    const c = p.userContext as Riscv64UserContext;
    expect(c.regs[RV_PC]).toBe(BigInt(HANDLER));
    expect(c.regs[RV_A0]).toBe(11n);
    expect(c.regs[RV_RA]).toBe(BigInt(TRAMPOLINE));
    const frame = Number(c.regs[RV_SP]);
    const info = new Uint8Array(128);
    load(p.mm, Number(c.regs[RV_A1]), info, 0, 128);
    expect(decodeSiginfo(info)).toMatchObject({ signo: 11, code: SEGV_MAPERR, addr: FAULT_ADDR });
    expect(blockedOf(p).has(SIG.SIGSEGV)).toBe(true);

    // The handler skips the faulting instruction.
    const pc = new Uint8Array(8);
    load(p.mm, frame + RISCV64_RT_SIGFRAME.regs, pc, 0, 8);
    const saved = new DataView(pc.buffer).getBigUint64(0, true);
    expect(saved).toBe(BigInt(FAULT_PC));
    new DataView(pc.buffer).setBigUint64(0, saved + 4n, true);
    store(p.mm, frame + RISCV64_RT_SIGFRAME.regs, pc, 0, 8);

    // The trampoline: rt_sigreturn answers the restored a0.
    expect(w.sys(p.tid, SYS_RISCV64.rt_sigreturn)).toBe(77);
    expect(c.regs[RV_PC]).toBe(BigInt(FAULT_PC + 4));
    expect(c.regs[RV_SP]).toBe(BigInt(p.stack.end - 4096));
    expect(blockedOf(p).has(SIG.SIGSEGV)).toBe(false);
    expect(blockedOf(p).has(SIG.SIGUSR1)).toBe(true);
    expect(p.group.alive).toBe(true);
  });

  it('forces SIGSEGV when rt_sigreturn finds no readable frame', () => {
    const w = signalWorld();
    const p = w.spawn(1000, riscv64Abi);
    const ctx = riscv64UserContext(TRAMPOLINE);
    ctx.regs[RV_SP] = 0x10n;
    p.userContext = ctx;
    w.sys(p.tid, SYS_RISCV64.rt_sigreturn);
    expect(p.group.alive).toBe(false);
  });

  it('runs an x86-64 handler through its sa_restorer and rt_sigreturn restores rax, rip and the mask', () => {
    const w = signalWorld();
    const p = w.spawn();
    const ctx = x86_64UserContext();
    ctx.regs[X86_REG.rsp] = BigInt(p.stack.end - 4096);
    ctx.regs[X86_REG.rip] = 0x40_1000n;
    ctx.regs[X86_REG.rax] = 123n;
    ctx.regs[X86_REG.rbx] = 0xb0b0n;
    p.userContext = ctx;
    const scratch = p.stack.end - 256;
    const act = new Uint8Array(SIGACTION_X86_64.size);
    encodeSigaction({ handler: HANDLER, flags: SA.SA_SIGINFO | SA.SA_RESTORER, restorer: TRAMPOLINE, mask: SignalSet.EMPTY }, act, SIGACTION_X86_64);
    store(p.mm, scratch, act, 0, act.length);
    expect(w.sys(p.tid, SYS.rt_sigaction, SIG.SIGUSR1, scratch, 0, 8)).toBe(0);
    expect(w.sys(p.tid, SYS.kill, p.pid, SIG.SIGUSR1)).toBe(0);
    expect(handleSignal(p)).toBe(SIG.SIGUSR1);

    expect(ctx.regs[X86_REG.rip]).toBe(BigInt(HANDLER));
    expect(ctx.regs[X86_REG.rdi]).toBe(BigInt(SIG.SIGUSR1));
    const frame = Number(ctx.regs[X86_REG.rsp]);
    // align_sigframe: rsp + 8 is 16-aligned at the handler's first instruction, below the red zone.
    expect((frame + 8) % 16).toBe(0);
    expect(frame + X86_64_RT_SIGFRAME.size).toBeLessThanOrEqual(p.stack.end - 4096 - 128);
    expect(ctx.regs[X86_REG.rsi]).toBe(BigInt(frame + X86_64_RT_SIGFRAME.info));
    expect(ctx.regs[X86_REG.rdx]).toBe(BigInt(frame + X86_64_RT_SIGFRAME.uc));
    const word = new Uint8Array(8);
    load(p.mm, frame + X86_64_RT_SIGFRAME.pretcode, word, 0, 8);
    expect(new DataView(word.buffer).getBigUint64(0, true)).toBe(BigInt(TRAMPOLINE));
    load(p.mm, frame + X86_64_RT_SIGFRAME.mcontext + X86_64_RT_SIGFRAME.sc.rbx, word, 0, 8);
    expect(new DataView(word.buffer).getBigUint64(0, true)).toBe(0xb0b0n);
    expect(blockedOf(p).has(SIG.SIGUSR1)).toBe(true);

    // The handler clobbers registers, then `ret` pops pretcode: rsp is frame + 8.
    ctx.regs[X86_REG.rbx] = 1n;
    ctx.regs[X86_REG.rsp] = BigInt(frame + 8);
    expect(w.sys(p.tid, SYS.rt_sigreturn)).toBe(123);
    expect(ctx.regs[X86_REG.rip]).toBe(0x40_1000n);
    expect(ctx.regs[X86_REG.rbx]).toBe(0xb0b0n);
    expect(ctx.regs[X86_REG.rsp]).toBe(BigInt(p.stack.end - 4096));
    expect(blockedOf(p).has(SIG.SIGUSR1)).toBe(false);
  });

  it('refuses an x86-64 handler without SA_RESTORER: the frame fails and SIGSEGV kills', () => {
    const w = signalWorld();
    const p = w.spawn();
    const ctx = x86_64UserContext();
    ctx.regs[X86_REG.rsp] = BigInt(p.stack.end - 4096);
    p.userContext = ctx;
    const scratch = p.stack.end - 256;
    const act = new Uint8Array(SIGACTION_X86_64.size);
    encodeSigaction({ handler: HANDLER, flags: 0, restorer: 0, mask: SignalSet.EMPTY }, act, SIGACTION_X86_64);
    store(p.mm, scratch, act, 0, act.length);
    expect(w.sys(p.tid, SYS.rt_sigaction, SIG.SIGUSR1, scratch, 0, 8)).toBe(0);
    expect(w.sys(p.tid, SYS.kill, p.pid, SIG.SIGUSR1)).toBe(0);
    expect(handleSignal(p)).toBe(0);
    expect(p.group.alive).toBe(false);
    expect(p.group.killedBy).toBe(SIG.SIGSEGV);
  });
});
