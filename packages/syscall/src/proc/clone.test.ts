import { describe, expect, it } from 'vitest';
import { CLONE, CLONE_ARGS, Errno, Signal, SYS } from '@tskern/abi';
import { load, store } from '@tskern/mman';
import { world } from '../testing/world';

const THREAD = CLONE.CLONE_VM | CLONE.CLONE_FS | CLONE.CLONE_FILES | CLONE.CLONE_SIGHAND | CLONE.CLONE_THREAD;

/** Write a struct clone_args of `size` bytes at `at` in the task's memory. */
function cloneArgs(w: ReturnType<typeof world>, at: number, fields: Partial<Record<keyof typeof CLONE_ARGS, bigint>>, size: number = CLONE_ARGS.SIZE_VER2): void {
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  for (const [name, value] of Object.entries(fields)) v.setBigUint64(CLONE_ARGS[name as keyof typeof CLONE_ARGS], value, true);
  store(w.p.mm, at, b, 0, size);
}

describe('clone3', () => {
  it('checks the size: EINVAL below VER0, E2BIG above a page or with non-zero bytes past the known struct', () => {
    const w = world();
    const at = w.p.stack.end - 8192;
    cloneArgs(w, at, { exit_signal: BigInt(Signal.SIGCHLD) }, 256);
    expect(w.sys(w.p.tid, SYS.clone3, at, 63)).toBe(-Errno.EINVAL);
    expect(w.sys(w.p.tid, SYS.clone3, at, 4097)).toBe(-Errno.E2BIG);
    expect(w.sys(w.p.tid, SYS.clone3, 0, 64)).toBe(-Errno.EFAULT);
    store(w.p.mm, at + 200, new Uint8Array([1]), 0, 1);
    expect(w.sys(w.p.tid, SYS.clone3, at, 256)).toBe(-Errno.E2BIG);
    store(w.p.mm, at + 200, new Uint8Array([0]), 0, 1);
    const child = w.sys(w.p.tid, SYS.clone3, at, 256);
    expect(child).toBeGreaterThan(w.p.tid);
    expect(w.sys(child, SYS.getppid)).toBe(w.p.pid);
  });

  it('refuses what clone3_args_valid refuses', () => {
    const w = world();
    const at = w.p.stack.end - 8192;
    const bad: Partial<Record<keyof typeof CLONE_ARGS, bigint>>[] = [
      { flags: BigInt(Signal.SIGCHLD) }, // the exit signal belongs in exit_signal
      { flags: BigInt(CLONE.CLONE_DETACHED) },
      { flags: 1n << 40n },
      { exit_signal: 65n },
      { flags: BigInt(THREAD), exit_signal: BigInt(Signal.SIGCHLD) },
      { flags: BigInt(CLONE.CLONE_VM | CLONE.CLONE_SIGHAND) | 0x100000000n },
      { stack: 0x10000n },
      { stack_size: 4096n },
      { set_tid_size: 1n },
    ];
    for (const fields of bad) {
      cloneArgs(w, at, fields);
      expect(w.sys(w.p.tid, SYS.clone3, at, CLONE_ARGS.SIZE_VER2), JSON.stringify(fields, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))).toBe(-Errno.EINVAL);
    }
    cloneArgs(w, at, { stack: 2n ** 47n, stack_size: 4096n });
    expect(w.sys(w.p.tid, SYS.clone3, at, CLONE_ARGS.SIZE_VER2)).toBe(-Errno.EFAULT);
  });

  it('makes a thread with its stack top, tls and tids', () => {
    const w = world();
    const at = w.p.stack.end - 8192;
    const ptid = w.p.stack.end - 16;
    cloneArgs(w, at, {
      flags: BigInt(THREAD | CLONE.CLONE_PARENT_SETTID | CLONE.CLONE_CHILD_CLEARTID | CLONE.CLONE_SETTLS),
      parent_tid: BigInt(ptid), child_tid: BigInt(ptid - 4), tls: 0xabcn, stack: 0x20000n, stack_size: 0x1000n,
    });
    const tid = w.sys(w.p.tid, SYS.clone3, at, CLONE_ARGS.SIZE_VER0 + 24);
    const t = w.tasks.get(tid)!;
    expect(t.pid).toBe(w.p.pid);
    expect(t.tls).toBe(0xabc);
    expect(t.startStack).toBe(0x21000);
    expect(t.clearChildTid).toBe(ptid - 4);
    const b = new Uint8Array(4);
    load(w.p.mm, ptid, b, 0, 4);
    expect(new DataView(b.buffer).getInt32(0, true)).toBe(tid);
  });
});

describe('clone, execve and exit through the table', () => {
  it('clone refuses a thread without shared signal actions, and the exit signal byte chooses wait4\'s class', () => {
    const w = world();
    expect(w.sys(w.p.tid, SYS.clone, CLONE.CLONE_THREAD | CLONE.CLONE_VM, 0, 0, 0, 0)).toBe(-Errno.EINVAL);
    const quiet = w.sys(w.p.tid, SYS.clone, 0, 0, 0, 0, 0); // exit signal 0: a clone child
    w.sys(quiet, SYS.exit_group, 1);
    expect(w.sys(w.p.tid, SYS.wait4, -1, 0, 1, 0)).toBe(-Errno.ECHILD);
    expect(w.sys(w.p.tid, SYS.wait4, -1, 0, 0x80000000, 0)).toBe(quiet);
  });

  it('execve from a thread: the others end, the caller becomes the leader with the pid', () => {
    const w = world();
    const t1 = w.sys(w.p.tid, SYS.clone, THREAD, 0, 0, 0, 0);
    const t2 = w.sys(w.p.tid, SYS.clone, THREAD, 0, 0, 0, 0);
    const path = w.p.stack.end - 64;
    store(w.p.mm, path, new TextEncoder().encode('/bin/p\0'), 0, 7);
    expect(w.sys(t1, SYS.execve, path, 0, 0)).toBe(0);
    expect(w.sys(t2, SYS.getpid)).toBe(-Errno.ESRCH);
    expect(w.sys(t1, SYS.getpid)).toBe(-Errno.ESRCH); // its old tid is gone
    expect(w.sys(w.p.pid, SYS.gettid)).toBe(w.p.pid);
    expect(w.tasks.get(w.p.pid)).not.toBe(w.p);
    expect(w.sys(w.p.pid, SYS.exit_group, 0)).toBe(0);
    expect(w.frames.stats().usedFrames).toBe(0);
  });

  it('exit of the last thread ends the process with that thread\'s code', () => {
    const w = world();
    const child = w.sys(w.p.tid, SYS.fork);
    const t = w.sys(child, SYS.clone, THREAD, 0, 0, 0, 0);
    expect(w.sys(child, SYS.exit, 1)).toBe(0);
    expect(w.sys(w.p.tid, SYS.wait4, child, 0, 1, 0)).toBe(0); // still running: WNOHANG answers 0
    expect(w.sys(t, SYS.getpid)).toBe(child);
    expect(w.sys(t, SYS.getppid)).toBe(w.p.pid);
    expect(w.sys(t, SYS.exit, 6)).toBe(0);
    const status = w.p.stack.end - 8;
    expect(w.sys(w.p.tid, SYS.wait4, child, status, 0, 0)).toBe(child);
    const b = new Uint8Array(4);
    load(w.p.mm, status, b, 0, 4);
    expect(new DataView(b.buffer).getInt32(0, true)).toBe(6 << 8);
  });
});
