import { Signal, SYS_RISCV64 } from '@tskern/abi';
import {
  SA, SEGV_MAPERR, SIG, SIGACTION_GENERIC, SignalSet, decodeSiginfo, encodeSigaction, encodeSignalSet,
} from '@tskern/signal';
import { RISCV64_RT_SIGFRAME, RV_A0, RV_A1, RV_PC, RV_SP, forceSigFault, riscv64UserContext } from '@tskern/syscall';
import { describe, expect, it } from 'vitest';
import { createKernel } from './kernel';

describe('a riscv64 SIGSEGV handler through the runtime', () => {
  it('runs and returns past the faulting access', () => {
    const k = createKernel({ clock: 'virtual' });
    k.registerProgram('/bin/rv', {});
    const pid = k.spawn('/bin/rv', { arch: 'riscv64' });
    const task = k.tasks.get(pid)!;
    const ctx = riscv64UserContext(0x7100);
    ctx.regs[RV_SP] = BigInt(k.stack(pid).end - 4096);
    task.userContext = ctx;
    const scratch = k.stack(pid).end - 256;
    const act = new Uint8Array(SIGACTION_GENERIC.size);
    encodeSigaction({ handler: 0x7000, flags: SA.SA_SIGINFO, restorer: 0, mask: SignalSet.EMPTY }, act, SIGACTION_GENERIC);
    k.store(pid, scratch, act);
    expect(k.runtime.syscall(pid, SYS_RISCV64.rt_sigaction, SIG.SIGSEGV, scratch, 0, 8)).toBe(0);

    // The CPU: a load at 0x10000 faults on an unmapped address.
    const faultAddr = 0x4000_0000;
    expect(k.load(pid, faultAddr, new Uint8Array(8))).toBe(SIG.SIGSEGV);
    ctx.regs[RV_PC] = 0x1_0000n;
    forceSigFault(task, Signal.SIGSEGV, faultAddr);
    expect(k.runtime.returnToUser(pid)).toBe(SIG.SIGSEGV);
    expect(ctx.regs[RV_PC]).toBe(0x7000n);
    expect(ctx.regs[RV_A0]).toBe(11n);
    const info = new Uint8Array(128);
    expect(k.load(pid, Number(ctx.regs[RV_A1]), info)).toBe(0);
    expect(decodeSiginfo(info)).toMatchObject({ code: SEGV_MAPERR, addr: faultAddr });

    const frame = Number(ctx.regs[RV_SP]);
    const pc = new Uint8Array(8);
    k.load(pid, frame + RISCV64_RT_SIGFRAME.regs, pc);
    const view = new DataView(pc.buffer);
    view.setBigUint64(0, view.getBigUint64(0, true) + 4n, true);
    k.store(pid, frame + RISCV64_RT_SIGFRAME.regs, pc);
    k.runtime.syscall(pid, SYS_RISCV64.rt_sigreturn);
    expect(ctx.regs[RV_PC]).toBe(0x1_0004n);
    expect(k.runtime.returnToUser(pid)).toBe(0);
    expect(k.isAlive(pid)).toBe(true);
  });
});

describe('rt_sigsuspend through the runtime', () => {
  it('sleeps until alarm() fires under the virtual clock, answers EINTR, and the handler frame restores the mask', () => {
    const SEC = 1_000_000_000;
    let now = 0;
    const k = createKernel({ clock: { monotonicNs: () => now, realtimeNs: () => BigInt(now) } });
    k.registerProgram('/bin/rv', {});
    const pid = k.spawn('/bin/rv', { arch: 'riscv64' });
    const rt = k.runtime;
    expect(rt.next()).toEqual({ kind: 'run', tid: pid, result: null });
    const task = k.tasks.get(pid)!;
    const ctx = riscv64UserContext(0x7100);
    ctx.regs[RV_SP] = BigInt(k.stack(pid).end - 4096);
    ctx.regs[RV_PC] = 0x1_0000n;
    task.userContext = ctx;
    const scratch = k.stack(pid).end - 256;
    const act = new Uint8Array(SIGACTION_GENERIC.size);
    encodeSigaction({ handler: 0x7000, flags: 0, restorer: 0, mask: SignalSet.EMPTY }, act, SIGACTION_GENERIC);
    k.store(pid, scratch, act);
    expect(rt.syscall(pid, SYS_RISCV64.rt_sigaction, SIG.SIGALRM, scratch, 0, 8)).toBe(0);
    const blockAlarm = new Uint8Array(8);
    encodeSignalSet(SignalSet.EMPTY.add(SIG.SIGALRM), blockAlarm);
    k.store(pid, scratch, blockAlarm);
    expect(rt.syscall(pid, SYS_RISCV64.rt_sigprocmask, 0, scratch, 0, 8)).toBe(0);

    // alarm(1) as setitimer(ITIMER_REAL, 1 s); then suspend with SIGALRM unblocked.
    const itv = new Uint8Array(32);
    new DataView(itv.buffer).setBigInt64(16, 1n, true);
    k.store(pid, scratch, itv);
    expect(rt.syscall(pid, SYS_RISCV64.setitimer, 0, scratch, 0)).toBe(0);
    k.store(pid, scratch, new Uint8Array(8));
    expect(rt.syscall(pid, SYS_RISCV64.rt_sigsuspend, scratch, 8)).toMatchObject({ kind: 'blocked' });
    expect(rt.next()).toEqual({ kind: 'idle', until: SEC });
    now = SEC;
    // The return to user mode: EINTR goes into a0, then the handler's frame
    // is built over the context (saving that a0); nothing is left for returnToUser.
    expect(rt.next()).toEqual({ kind: 'run', tid: pid, result: -4, signal: SIG.SIGALRM });
    expect(ctx.regs[RV_PC]).toBe(0x7000n);
    expect(ctx.regs[RV_A0]).toBe(BigInt(SIG.SIGALRM));
    expect(rt.returnToUser(pid)).toBe(0);
    // The handler returns: the call's EINTR is back in a0 and SIGALRM is blocked again.
    expect(rt.syscall(pid, SYS_RISCV64.rt_sigreturn)).toBe(-4);
    expect(ctx.regs[RV_PC]).toBe(0x1_0000n);
    expect(task.sigmask.has(SIG.SIGALRM)).toBe(true);
  });
});
