import { MAP, O, PROT, SYS } from '@tskern/abi';
import { FUTEX } from '@tskern/futex';
import { SA, SIGACTION_X86_64, SIG, SignalSet, encodeSigaction } from '@tskern/signal';
import { describe, expect, it } from 'vitest';
import { createKernel, type Kernel } from './kernel';
import { int32, runUntil } from './testing/rv-tasks';
import { encodeCString } from '@tskern/test-kit';

const K = 4096;
const RW = PROT.PROT_READ | PROT.PROT_WRITE;

function boot(): { k: Kernel; spawn(): number } {
  const k = createKernel({ clock: 'virtual' });
  k.registerProgram('/bin/t', {});
  k.registerProgram('/bin/next', {});
  return { k, spawn: () => k.spawn('/bin/t') };
}

function cstr(k: Kernel, pid: number, s: string, at: number): number {
  k.store(pid, at, encodeCString(s));
  return at;
}

/** /dev/shm/seg mapped shared after `shift` private pages (so the two processes' addresses differ). */
function mapShm(k: Kernel, pid: number, shift: number): number {
  const fd = k.runtime.syscall(pid, SYS.open, cstr(k, pid, '/dev/shm/seg', k.stack(pid).end - 4096), O.O_RDWR | O.O_CREAT, 0o600) as number;
  k.runtime.syscall(pid, SYS.ftruncate, fd, K);
  if (shift > 0) k.runtime.syscall(pid, SYS.mmap, 0, shift * K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
  return k.runtime.syscall(pid, SYS.mmap, 0, K, RW, MAP.MAP_SHARED, fd, 0) as number;
}

describe('waits the runtime ends by a wake-up, not by polling', () => {
  it('FUTEX_WAKE from another process sharing an shm page wakes the waiter through the runtime', () => {
    const { k, spawn } = boot();
    const rt = k.runtime;
    const a = spawn();
    const b = spawn();
    const pa = mapShm(k, a, 0);
    const pb = mapShm(k, b, 3);
    expect(pa).not.toBe(pb);
    runUntil(rt, a);
    expect(rt.syscall(a, SYS.futex, pa + 8, FUTEX.FUTEX_WAIT, 0, 0, 0, 0)).toMatchObject({ kind: 'blocked', reason: expect.stringContaining('shared') });
    // The wait names its source: the runtime is told of the wake, it does not retry the Block each step.
    expect(rt.blockOf(a)?.on?.length).toBe(1);
    runUntil(rt, b);
    rt.preempt(b);
    expect(runUntil(rt, b)).toEqual({ kind: 'run', tid: b, result: null }); // a stays asleep
    expect(rt.syscall(b, SYS.futex, pb + 8, FUTEX.FUTEX_WAKE, 1, 0, 0, 0)).toBe(1);
    rt.preempt(b);
    expect(rt.next()).toEqual({ kind: 'run', tid: a, result: 0 });
    expect(k.clock.monotonicNs()).toBe(0);
  });

  it('a lock wait (flock) is woken by the unlock of another process through the runtime', () => {
    const { k, spawn } = boot();
    const rt = k.runtime;
    const a = spawn();
    const b = spawn();
    const open = (pid: number): number => rt.syscall(pid, SYS.open, cstr(k, pid, '/lockfile', k.stack(pid).end - 4096), O.O_RDWR | O.O_CREAT, 0o600) as number;
    const fa = open(a);
    const fb = open(b);
    expect(rt.syscall(a, SYS.flock, fa, 2 /* LOCK_EX */)).toBe(0);
    runUntil(rt, b);
    expect(rt.syscall(b, SYS.flock, fb, 2)).toMatchObject({ kind: 'blocked', reason: `flock fd ${fb}` });
    expect(rt.blockOf(b)?.on?.length).toBe(1);
    expect(rt.syscall(a, SYS.flock, fa, 8 /* LOCK_UN */)).toBe(0);
    expect(runUntil(rt, b)).toEqual({ kind: 'run', tid: b, result: 0 });
  });

  it('an F_SETLKW wait restarted in place (SA_RESTART, a task without a register context) is queued again and granted', () => {
    const { k, spawn } = boot();
    const rt = k.runtime;
    const a = spawn();
    const b = spawn();
    const open = (pid: number): number => rt.syscall(pid, SYS.open, cstr(k, pid, '/lockfile', k.stack(pid).end - 4096), O.O_RDWR | O.O_CREAT, 0o600) as number;
    const fa = open(a);
    const fb = open(b);
    const flock = (pid: number, type: number): number => {
      const at = k.stack(pid).end - 2048;
      const bytes = new Uint8Array(32); // struct flock: l_type, l_whence, l_start, l_len (whole file), l_pid
      new DataView(bytes.buffer).setInt16(0, type, true);
      k.store(pid, at, bytes);
      return at;
    };
    expect(rt.syscall(a, SYS.fcntl, fa, 7 /* F_SETLKW */, flock(a, 1 /* F_WRLCK */))).toBe(0);
    const top = k.stack(b).end;
    const act = new Uint8Array(SIGACTION_X86_64.size);
    encodeSigaction({ handler: 0x7000, flags: SA.SA_RESTART, restorer: 0, mask: SignalSet.EMPTY }, act, SIGACTION_X86_64);
    k.store(b, top - 512, act);
    expect(rt.syscall(b, SYS.rt_sigaction, SIG.SIGUSR1, top - 512, 0, 8)).toBe(0);
    runUntil(rt, b);
    expect(rt.syscall(b, SYS.fcntl, fb, 7, flock(b, 1))).toMatchObject({ kind: 'blocked', reason: `fcntl F_SETLKW fd ${fb}` });
    expect(rt.blockOf(b)?.on?.length).toBe(1);
    expect(rt.syscall(a, SYS.kill, b, SIG.SIGUSR1)).toBe(0);
    rt.preempt(a);
    expect(runUntil(rt, a)).toEqual({ kind: 'run', tid: a, result: null }); // b restarted its wait and sleeps on
    expect(rt.syscall(a, SYS.fcntl, fa, 7, flock(a, 2 /* F_UNLCK */))).toBe(0);
    rt.preempt(a);
    expect(runUntil(rt, b)).toEqual({ kind: 'run', tid: b, result: 0 });
  });

  it('a pipe write interrupted by a signal after part of its data answers the partial count, not EINTR', () => {
    const { k, spawn } = boot();
    const rt = k.runtime;
    const p = spawn();
    const top = k.stack(p).end;
    const act = new Uint8Array(SIGACTION_X86_64.size);
    encodeSigaction({ handler: 0x7000, flags: 0, restorer: 0, mask: SignalSet.EMPTY }, act, SIGACTION_X86_64);
    k.store(p, top - 512, act);
    expect(rt.syscall(p, SYS.rt_sigaction, SIG.SIGUSR1, top - 512, 0, 8)).toBe(0);
    runUntil(rt, p);
    rt.syscall(p, SYS.pipe2, top - 64, 0);
    const w = int32(k, p, top - 60);
    const c = rt.syscall(p, SYS.fork) as number;
    expect(rt.syscall(p, SYS.write, w, top - 200_000, 100_000)).toMatchObject({ kind: 'blocked' });
    runUntil(rt, c);
    expect(rt.syscall(c, SYS.kill, p, SIG.SIGUSR1)).toBe(0);
    rt.preempt(c);
    // fs/pipe.c pipe_write: a pending signal ends the wait with `ret` when bytes went in (on the host, a
    // 100000-byte write to an unread pipe interrupted by a SIGALRM handler answers 65536).
    expect(runUntil(rt, p)).toEqual({ kind: 'run', tid: p, result: 65536 });
    // The pipe is still full: the next write sleeps again.
    expect(rt.syscall(p, SYS.write, w, top - 200_000, 1)).toMatchObject({ kind: 'blocked' });
  });
});

describe('vfork', () => {
  it('the parent sleeps until the child exits; the child ran in the parent\'s address space', () => {
    const { k, spawn } = boot();
    const rt = k.runtime;
    const p = spawn();
    const top = k.stack(p).end;
    runUntil(rt, p);
    const out = rt.syscall(p, SYS.vfork);
    expect(out).toMatchObject({ kind: 'blocked', reason: expect.stringMatching(/^vfork\(\d+\)$/) });
    const d = rt.next();
    if (d.kind !== 'run') throw new Error(d.kind);
    const c = d.tid;
    expect(c).not.toBe(p);
    k.store(c, top - 32, new Uint8Array([1, 2, 3, 4]));
    // A signal that does not kill does not end the killable wait.
    expect(rt.syscall(c, SYS.kill, p, SIG.SIGCHLD)).toBe(0);
    rt.preempt(c);
    expect(rt.next()).toEqual({ kind: 'run', tid: c, result: null });
    expect(rt.syscall(c, SYS.exit_group, 0)).toBe(0);
    expect(rt.next()).toEqual({ kind: 'run', tid: p, result: c });
    const seen = new Uint8Array(4);
    k.load(p, top - 32, seen);
    expect([...seen]).toEqual([1, 2, 3, 4]);
  });

  it('the parent wakes when the child execs, and from then on their memories are apart', () => {
    const { k, spawn } = boot();
    const rt = k.runtime;
    const p = spawn();
    const top = k.stack(p).end;
    runUntil(rt, p);
    expect(rt.syscall(p, SYS.vfork)).toMatchObject({ kind: 'blocked' });
    const d = rt.next();
    if (d.kind !== 'run') throw new Error(d.kind);
    const c = d.tid;
    expect(rt.syscall(c, SYS.execve, cstr(k, c, '/bin/next', top - 64), 0, 0)).toBe(0);
    rt.preempt(c);
    expect(runUntil(rt, p)).toEqual({ kind: 'run', tid: p, result: c });
    expect(k.isAlive(c)).toBe(true);
    k.store(c, k.stack(c).end - 8, new Uint8Array([9]));
    const mine = new Uint8Array(1);
    k.load(p, top - 64, mine);
    expect(mine[0]).toBe('/'.charCodeAt(0));
  });
});
