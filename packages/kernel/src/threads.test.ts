import { AT_FDCWD, CLONE, O, SYS_RISCV64 as R } from '@tskern/abi';
import { FUTEX } from '@tskern/futex';
import { RV_A0, RV_SP, RV_TP } from '@tskern/syscall';
import { describe, expect, it } from 'vitest';
import { ecall, int32, runUntil, rvKernel } from './testing/rv-tasks';

/** glibc's pthread_create flags (sysdeps/unix/sysv/linux/createthread.c / clone_internal). */
const THREAD_FLAGS = CLONE.CLONE_VM | CLONE.CLONE_FS | CLONE.CLONE_FILES | CLONE.CLONE_SIGHAND | CLONE.CLONE_THREAD
  | CLONE.CLONE_SYSVSEM | CLONE.CLONE_SETTLS | CLONE.CLONE_PARENT_SETTID | CLONE.CLONE_CHILD_CLEARTID;

describe('two threads of one process through the syscall layer', () => {
  it('share the fd table and the address space; the joiner sleeps on the tid futex until the thread exits', () => {
    const { k, rt, spawn, adopt } = rvKernel();
    const main = spawn();
    runUntil(rt, main.pid);
    const threadStack = main.top - 64 * 1024;
    const tidWord = main.top - 8192;
    // riscv64 clone(flags, stack, parent_tid, tls, child_tid).
    const tid = ecall(rt, main, R.clone, THREAD_FLAGS, threadStack, tidWord, 0x5000, tidWord) as number;
    expect(tid).toBeGreaterThan(main.pid);
    expect(int32(k, main.pid, tidWord)).toBe(tid); // CLONE_PARENT_SETTID
    const thread = adopt(tid);
    expect(k.tasks.get(tid)!.group).toBe(k.tasks.get(main.pid)!.group);
    // copy_thread: its own registers, on the given stack with the given TLS.
    expect(thread.ctx).not.toBe(main.ctx);
    expect(thread.ctx.regs[RV_SP]).toBe(BigInt(threadStack));
    expect(thread.ctx.regs[RV_TP]).toBe(0x5000n);
    expect(thread.ctx.regs[RV_A0]).toBe(0n);
    expect(main.ctx.regs[RV_A0]).toBe(BigInt(tid));

    // The thread opens a file and writes bytes into memory.
    rt.preempt(main.pid);
    runUntil(rt, tid);
    const path = thread.top - 100_000;
    k.store(tid, path, new TextEncoder().encode('/shared.txt\0'));
    const fd = ecall(rt, thread, R.openat, AT_FDCWD, path, O.O_RDWR | O.O_CREAT, 0o600) as number;
    expect(fd).toBeGreaterThanOrEqual(0);
    const data = thread.top - 99_000;
    k.store(tid, data, new TextEncoder().encode('from the thread'));
    expect(ecall(rt, thread, R.write, fd, data, 15)).toBe(15);
    rt.preempt(tid);

    // The main thread sees the descriptor and the bytes, then joins (futex wait on the tid word).
    runUntil(rt, main.pid);
    const back = main.top - 98_000;
    expect(ecall(rt, main, R.pread64, fd, back, 15, 0)).toBe(15);
    const got = new Uint8Array(15);
    k.load(main.pid, data, got);
    expect(new TextDecoder().decode(got)).toBe('from the thread');
    k.load(main.pid, back, got);
    expect(new TextDecoder().decode(got)).toBe('from the thread');
    expect(ecall(rt, main, R.futex, tidWord, FUTEX.FUTEX_WAIT, tid, 0, 0, 0)).toMatchObject({ kind: 'blocked' });

    // The thread exits alone (exit, not exit_group): CLONE_CHILD_CLEARTID zeroes the word and wakes the joiner.
    runUntil(rt, tid);
    expect(ecall(rt, thread, R.exit, 0)).toBe(0);
    expect(k.isAlive(tid)).toBe(false);
    expect(rt.next()).toEqual({ kind: 'run', tid: main.pid, result: 0 });
    expect(int32(k, main.pid, tidWord)).toBe(0);
    expect(k.isAlive(main.pid)).toBe(true);
    expect(ecall(rt, main, R.close, fd)).toBe(0);
  });

  it('exit_group from one thread ends every thread, even one asleep in a call', () => {
    const { k, rt, spawn, adopt } = rvKernel();
    const main = spawn();
    runUntil(rt, main.pid);
    const fds = main.top - 64;
    ecall(rt, main, R.pipe2, fds, 0);
    const tid = ecall(rt, main, R.clone, THREAD_FLAGS & ~(CLONE.CLONE_PARENT_SETTID | CLONE.CLONE_CHILD_CLEARTID), main.top - 65536, 0, 0, 0) as number;
    rt.preempt(main.pid);
    runUntil(rt, tid);
    const thread = adopt(tid);
    expect(ecall(rt, thread, R.read, int32(k, tid, fds), main.top - 4096, 1)).toMatchObject({ kind: 'blocked' });
    runUntil(rt, main.pid);
    expect(ecall(rt, main, R.exit_group, 4)).toBe(0);
    expect(k.isAlive(tid)).toBe(false);
    expect(k.isAlive(main.pid)).toBe(false);
    expect(rt.blockOf(tid)).toBeUndefined();
    expect(rt.next()).toEqual({ kind: 'done' });
  });
});
