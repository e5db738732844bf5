import { Errno, SYS, SYS_RISCV64 as R } from '@tskern/abi';
import { SA, SIG, SIGACTION_X86_64, SignalSet, encodeSigaction } from '@tskern/signal';
import { RV_A0, RV_PC, RV_SP, X86_REG, x86_64UserContext } from '@tskern/syscall';
import { describe, expect, it } from 'vitest';
import { createKernel } from './kernel';
import { AFTER_ECALL, HANDLER, catchSignal, ecall, int32, runUntil, rvKernel, savedRegister } from './testing/rv-tasks';

const SEC = 1_000_000_000;

describe('the return to user mode delivers signals without the driver asking', () => {
  it('a completed call writes its result into a0, then a pending handler runs with that a0 saved in its frame', () => {
    const { k, rt, spawn } = rvKernel();
    const a = spawn();
    catchSignal(k, a, SIG.SIGUSR1, 0);
    runUntil(rt, a.pid);
    // kill(self, SIGUSR1): the call answers 0, the return to user mode runs the handler.
    expect(ecall(rt, a, R.kill, a.pid, SIG.SIGUSR1)).toBe(0);
    expect(a.ctx.regs[RV_PC]).toBe(BigInt(HANDLER));
    expect(a.ctx.regs[RV_A0]).toBe(BigInt(SIG.SIGUSR1));
    expect(savedRegister(k, a, 0)).toBe(BigInt(AFTER_ECALL));
    expect(savedRegister(k, a, RV_A0)).toBe(0n);
    expect(rt.returnToUser(a.pid)).toBe(0); // still callable: nothing left
    expect(ecall(rt, a, R.rt_sigreturn)).toBe(0);
    expect(a.ctx.regs[RV_PC]).toBe(BigInt(AFTER_ECALL));
  });

  it('a signal sent by another task runs the handler when next() hands the task out', () => {
    const { k, rt, spawn } = rvKernel();
    const a = spawn();
    const b = spawn();
    catchSignal(k, a, SIG.SIGUSR2, 0);
    runUntil(rt, b.pid);
    expect(ecall(rt, b, R.kill, a.pid, SIG.SIGUSR2)).toBe(0);
    rt.preempt(b.pid);
    expect(runUntil(rt, a.pid)).toEqual({ kind: 'run', tid: a.pid, result: null, signal: SIG.SIGUSR2 });
    expect(a.ctx.regs[RV_PC]).toBe(BigInt(HANDLER));
  });

  it('SIGALRM interrupts a blocked read: EINTR without SA_RESTART, saved in the handler frame', () => {
    const { k, rt, spawn } = rvKernel();
    const a = spawn();
    catchSignal(k, a, SIG.SIGALRM, 0);
    runUntil(rt, a.pid);
    const fds = a.top - 64;
    expect(ecall(rt, a, R.pipe2, fds, 0)).toBe(0);
    const r = int32(k, a.pid, fds);
    const itv = new Uint8Array(32);
    new DataView(itv.buffer).setBigInt64(16, 2n, true); // it_value = 2 s
    k.store(a.pid, a.top - 128, itv);
    expect(ecall(rt, a, R.setitimer, 0, a.top - 128, 0)).toBe(0);
    expect(ecall(rt, a, R.read, r, a.top - 4096, 10)).toMatchObject({ kind: 'blocked' });
    expect(rt.next()).toEqual({ kind: 'run', tid: a.pid, result: -Errno.EINTR, signal: SIG.SIGALRM });
    expect(k.clock.monotonicNs()).toBe(2 * SEC);
    expect(savedRegister(k, a, RV_A0)).toBe(BigInt.asUintN(64, BigInt(-Errno.EINTR)));
    expect(savedRegister(k, a, 0)).toBe(BigInt(AFTER_ECALL));
  });

  it('SA_RESTART rewinds pc over the ecall with a0 back to the first argument; the call runs again after the handler', () => {
    const { k, rt, spawn } = rvKernel();
    const a = spawn();
    const b = spawn();
    catchSignal(k, a, SIG.SIGUSR1, SA.SA_RESTART);
    runUntil(rt, a.pid);
    const fds = a.top - 64;
    ecall(rt, a, R.pipe2, fds, 0);
    const [r, w] = [int32(k, a.pid, fds), int32(k, a.pid, fds + 4)];
    expect(ecall(rt, a, R.read, r, a.top - 4096, 10)).toMatchObject({ kind: 'blocked' });
    runUntil(rt, b.pid);
    expect(ecall(rt, b, R.kill, a.pid, SIG.SIGUSR1)).toBe(0);
    rt.preempt(b.pid);
    expect(runUntil(rt, a.pid)).toEqual({ kind: 'run', tid: a.pid, result: null, signal: SIG.SIGUSR1 });
    // arch/riscv/kernel/signal.c: regs->a0 = orig_a0, epc -= 4, and the frame saves that.
    expect(savedRegister(k, a, 0)).toBe(BigInt(AFTER_ECALL - 4));
    expect(savedRegister(k, a, RV_A0)).toBe(BigInt(r));
    // The handler returns: the CPU is back at the ecall with the read's arguments.
    expect(ecall(rt, a, R.rt_sigreturn)).toBe(r);
    expect(a.ctx.regs[RV_PC]).toBe(BigInt(AFTER_ECALL - 4));
    k.store(a.pid, a.top - 256, new TextEncoder().encode('hi'));
    expect(ecall(rt, a, R.write, w, a.top - 256, 2)).toBe(2);
    expect(ecall(rt, a, R.read, r, a.top - 4096, 10)).toBe(2);
  });

  it('a default-terminating signal ends a task blocked in a call; its parent reaps it', () => {
    const { k, rt, spawn, adopt } = rvKernel();
    const p = spawn();
    runUntil(rt, p.pid);
    const fds = p.top - 64;
    ecall(rt, p, R.pipe2, fds, 0);
    const c = ecall(rt, p, R.clone, SIG.SIGCHLD, 0, 0, 0, 0) as number;
    expect(p.ctx.regs[RV_A0]).toBe(BigInt(c));
    const child = adopt(c);
    expect(child.ctx).not.toBe(p.ctx);
    expect(child.ctx.regs[RV_A0]).toBe(0n); // copy_thread: the child sees 0
    expect(child.ctx.regs[RV_SP]).toBe(p.ctx.regs[RV_SP]);
    rt.preempt(p.pid);
    runUntil(rt, c);
    expect(ecall(rt, child, R.read, int32(k, c, fds), child.top - 4096, 1)).toMatchObject({ kind: 'blocked' });
    runUntil(rt, p.pid);
    expect(ecall(rt, p, R.kill, c, SIG.SIGTERM)).toBe(0);
    expect(k.isAlive(c)).toBe(false);
    const status = p.top - 128;
    expect(ecall(rt, p, R.wait4, c, status, 0, 0)).toBe(c);
    expect(int32(k, p.pid, status)).toBe(SIG.SIGTERM);
    expect(rt.blockOf(c)).toBeUndefined();
    rt.preempt(p.pid);
    expect(rt.next()).toEqual({ kind: 'run', tid: p.pid, result: null });
  });
});

describe('an x86-64 task driven through its context', () => {
  it('gets its handler through sa_restorer, and SA_RESTART rewinds rip over `syscall` with rax back to the number', () => {
    const k = createKernel({ clock: 'virtual' });
    k.registerProgram('/bin/x', {});
    const rt = k.runtime;
    const a = k.spawn('/bin/x');
    const b = k.spawn('/bin/x');
    const top = k.stack(a).end;
    const ctx = x86_64UserContext();
    ctx.regs[X86_REG.rsp] = BigInt(top - 16 * 1024);
    k.tasks.get(a)!.userContext = ctx;
    const act = new Uint8Array(SIGACTION_X86_64.size);
    encodeSigaction({ handler: 0x7000, flags: SA.SA_RESTART | SA.SA_RESTORER, restorer: 0x7100, mask: SignalSet.EMPTY }, act, SIGACTION_X86_64);
    k.store(a, top - 512, act);
    expect(rt.syscall(a, SYS.rt_sigaction, SIG.SIGUSR1, top - 512, 0, 8)).toBe(0);
    expect(ctx.regs[X86_REG.rax]).toBe(0n);
    runUntil(rt, a);
    // The CPU: rax = the number, rip past the 2-byte `syscall` at 0x40_1000; a FUTEX_WAIT on a 0 word sleeps.
    ctx.regs[X86_REG.rax] = BigInt(SYS.futex);
    ctx.regs[X86_REG.rip] = 0x40_1002n;
    expect(rt.syscall(a, SYS.futex, top - 128, 0 /* FUTEX_WAIT */, 0, 0, 0, 0)).toMatchObject({ kind: 'blocked' });
    runUntil(rt, b);
    expect(rt.syscall(b, SYS.kill, a, SIG.SIGUSR1)).toBe(0);
    rt.preempt(b);
    expect(runUntil(rt, a)).toEqual({ kind: 'run', tid: a, result: null, signal: SIG.SIGUSR1 });
    expect(ctx.regs[X86_REG.rip]).toBe(0x7000n);
    // The handler returns (`ret` pops pretcode) and rt_sigreturn restores the rewound registers.
    ctx.regs[X86_REG.rsp] = ctx.regs[X86_REG.rsp]! + 8n;
    expect(rt.syscall(a, SYS.rt_sigreturn)).toBe(SYS.futex);
    expect(ctx.regs[X86_REG.rip]).toBe(0x40_1000n);
    expect(ctx.regs[X86_REG.rax]).toBe(BigInt(SYS.futex));
  });
});
