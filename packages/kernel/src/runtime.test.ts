import { describe, expect, it } from 'vitest';
import { Errno, O, S, SEEK, STAT, SYS } from '@tskern/abi';
import { CLD } from '@tskern/syscall';
import { createKernel, type Kernel } from './kernel';
import type { TaskRuntime } from './runtime';

const SEC = 1_000_000_000;

function boot(): { k: Kernel; rt: TaskRuntime; p: number; top: number } {
  const k = createKernel({ clock: 'virtual' });
  k.registerProgram('/bin/t', {});
  const p = k.spawn('/bin/t');
  return { k, rt: k.runtime, p, top: k.stack(p).end };
}

function int32(k: Kernel, pid: number, at: number): number {
  const b = new Uint8Array(4);
  k.load(pid, at, b);
  return new DataView(b.buffer).getInt32(0, true);
}

function putTimespec(k: Kernel, pid: number, at: number, sec: number, nsec: number): number {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, BigInt(sec), true);
  v.setBigInt64(8, BigInt(nsec), true);
  k.store(pid, at, b);
  return at;
}

function getTimespec(k: Kernel, pid: number, at: number): [number, number] {
  const b = new Uint8Array(16);
  k.load(pid, at, b);
  const v = new DataView(b.buffer);
  return [Number(v.getBigInt64(0, true)), Number(v.getBigInt64(8, true))];
}

/** Run the scheduler until it hands out `tid`; every other task handed out is told to yield. */
function runUntil(rt: TaskRuntime, tid: number): number | bigint | null {
  for (let i = 0; i < 100; i++) {
    const d = rt.next();
    if (d.kind !== 'run') throw new Error(`expected task ${tid} to run, got ${d.kind}`);
    if (d.tid === tid) return d.result;
    rt.preempt(d.tid);
  }
  throw new Error(`task ${tid} never ran`);
}

describe('the runtime under a virtual clock', () => {
  it('a parent sleeps in wait4 until its child, after a 2 s nanosleep, exits; the clock jumps, no host time passes', () => {
    const { k, rt, p, top } = boot();
    expect(runUntil(rt, p)).toBeNull();
    const c = rt.syscall(p, SYS.fork);
    if (typeof c !== 'number') throw new Error('fork blocked');
    const status = top - 64;
    expect(rt.syscall(p, SYS.wait4, c, status, 0, 0)).toMatchObject({ kind: 'blocked', reason: `wait4(${c})` });
    expect(runUntil(rt, c)).toBeNull();
    const req = putTimespec(k, c, top - 128, 2, 500);
    expect(rt.syscall(c, SYS.nanosleep, req, 0)).toMatchObject({ kind: 'blocked', reason: 'nanosleep' });
    expect(rt.next()).toEqual({ kind: 'run', tid: c, result: 0 });
    expect(k.clock.monotonicNs()).toBe(2 * SEC + 500);
    expect(rt.syscall(c, SYS.exit_group, 7)).toBe(0);
    expect(rt.next()).toEqual({ kind: 'run', tid: p, result: c });
    expect(int32(k, p, status)).toBe(7 << 8);
    expect(rt.syscall(p, SYS.exit_group, 0)).toBe(0);
    expect(rt.next()).toEqual({ kind: 'done' });
  });

  it('reports death by a signal in wait4 status and waitid siginfo (WNOWAIT leaves the zombie)', () => {
    const { k, rt, p, top } = boot();
    runUntil(rt, p);
    const c = rt.syscall(p, SYS.fork) as number;
    const info = top - 256;
    expect(rt.syscall(p, SYS.waitid, 0, 0, info, 4 | 1, 0)).toBe(0); // P_ALL, WEXITED|WNOHANG: none yet
    expect(int32(k, p, info)).toBe(0);
    k.tasks.killGroup(k.tasks.get(c)!, 9);
    expect(rt.syscall(p, SYS.waitid, 1, c, info, 4 | 0x01000000, 0)).toBe(0); // P_PID, WEXITED|WNOWAIT
    expect([int32(k, p, info), int32(k, p, info + 8), int32(k, p, info + 16), int32(k, p, info + 24)]).toEqual([17, CLD.CLD_KILLED, c, 9]);
    const status = top - 64;
    expect(rt.syscall(p, SYS.wait4, -1, status, 0, 0)).toBe(c);
    expect(int32(k, p, status)).toBe(9);
    expect(rt.syscall(p, SYS.waitid, 0, 0, info, 0, 0)).toBe(-Errno.EINVAL); // no event asked
    expect(rt.syscall(p, SYS.waitid, 0, 0, info, 4, 0)).toBe(-Errno.ECHILD);
  });

  it('a pipe between two processes: the reader sleeps until the writer writes, then sees EOF when writers close', () => {
    const { k, rt, p, top } = boot();
    runUntil(rt, p);
    const fds = top - 64;
    expect(rt.syscall(p, SYS.pipe2, fds, O.O_CLOEXEC)).toBe(0);
    const [r, w] = [int32(k, p, fds), int32(k, p, fds + 4)];
    expect(w).toBe(r + 1);
    const c = rt.syscall(p, SYS.fork) as number;
    // The child reads; nothing is there yet.
    runUntil(rt, c);
    expect(rt.syscall(c, SYS.close, w)).toBe(0);
    const cbuf = top - 4096;
    expect(rt.syscall(c, SYS.read, r, cbuf, 100)).toMatchObject({ kind: 'blocked', reason: expect.stringMatching(/^read pipe:\[\d+\]$/) });
    // The parent (still on its CPU) writes and closes its write end.
    const msg = new TextEncoder().encode('hello, pipe');
    k.store(p, top - 8192, msg);
    expect(rt.syscall(p, SYS.write, w, top - 8192, msg.length)).toBe(msg.length);
    expect(rt.syscall(p, SYS.close, w)).toBe(0);
    expect(rt.syscall(p, SYS.wait4, c, 0, 0, 0)).toMatchObject({ kind: 'blocked' });
    expect(rt.next()).toEqual({ kind: 'run', tid: c, result: msg.length });
    const got = new Uint8Array(msg.length);
    k.load(c, cbuf, got);
    expect(new TextDecoder().decode(got)).toBe('hello, pipe');
    expect(rt.syscall(c, SYS.read, r, cbuf, 100)).toBe(0); // no writer left: end of file
    expect(rt.syscall(c, SYS.exit_group, 0)).toBe(0);
    expect(rt.next()).toEqual({ kind: 'run', tid: p, result: c });
  });

  it('a writer sleeps on a full pipe and finishes once the reader drains it; O_NONBLOCK answers EAGAIN instead', () => {
    const { k, rt, p, top } = boot();
    runUntil(rt, p);
    const fds = top - 64;
    rt.syscall(p, SYS.pipe2, fds, 0);
    const [r, w] = [int32(k, p, fds), int32(k, p, fds + 4)];
    const c = rt.syscall(p, SYS.fork) as number;
    const big = 100_000;
    const src = top - 200_000;
    expect(rt.syscall(p, SYS.write, w, src, big)).toMatchObject({ kind: 'blocked', reason: expect.stringMatching(/^write pipe:/) });
    runUntil(rt, c);
    let total = 0;
    let writerDone = false;
    while (total < big) {
      const n = rt.syscall(c, SYS.read, r, top - 70_000, 65536);
      if (typeof n !== 'number') throw new Error('reader blocked with data pending');
      total += n;
      rt.preempt(c);
      const d = rt.next();
      if (d.kind === 'run' && d.tid === p) {
        expect(d.result).toBe(big); // the writer runs again only once all of it is in
        writerDone = true;
        runUntil(rt, c);
      } else {
        expect(d).toEqual({ kind: 'run', tid: c, result: null });
      }
    }
    expect(writerDone).toBe(true);
    expect(total).toBe(big);
    // Non-blocking: a full pipe answers EAGAIN, F_GETPIPE_SZ its size.
    const nb = top - 32;
    rt.syscall(c, SYS.pipe2, nb, O.O_NONBLOCK);
    const [nr, nw] = [int32(k, c, nb), int32(k, c, nb + 4)];
    expect(rt.syscall(c, SYS.fcntl, nw, 1032, 0)).toBe(65536);
    expect(rt.syscall(c, SYS.read, nr, top - 4096, 10)).toBe(-Errno.EAGAIN);
    expect(rt.syscall(c, SYS.write, nw, src, 70_000)).toBe(65536);
    expect(rt.syscall(c, SYS.write, nw, src, 1)).toBe(-Errno.EAGAIN);
    expect(rt.syscall(c, SYS.lseek, nr, 0, SEEK.SEEK_CUR)).toBe(-Errno.ESPIPE);
    expect(rt.syscall(c, SYS.pread64, nr, top - 4096, 1, 0)).toBe(-Errno.ESPIPE);
    const st = top - 1024;
    expect(rt.syscall(c, SYS.fstat, nr, st)).toBe(0);
    const b = new Uint8Array(STAT.size);
    k.load(c, st, b);
    expect(new DataView(b.buffer).getUint32(STAT.st_mode, true)).toBe(S.S_IFIFO | 0o600);
    expect(rt.syscall(c, SYS.close, nr)).toBe(0);
    expect(rt.syscall(c, SYS.write, nw, src, 1)).toBe(-Errno.EPIPE);
  });

  it('reports a deadlock naming every blocked task and what it waits on, instead of hanging', () => {
    const { k, rt, p, top } = boot();
    runUntil(rt, p);
    const fds = top - 64;
    rt.syscall(p, SYS.pipe2, fds, 0);
    const r = int32(k, p, fds);
    const c = rt.syscall(p, SYS.fork) as number;
    expect(rt.syscall(p, SYS.wait4, -1, 0, 0, 0)).toMatchObject({ kind: 'blocked' });
    runUntil(rt, c);
    // The child reads its own pipe, whose write end it still holds: nobody will ever write.
    expect(rt.syscall(c, SYS.read, r, top - 4096, 1)).toMatchObject({ kind: 'blocked' });
    const d = rt.next();
    if (d.kind !== 'deadlock') throw new Error(`expected a deadlock, got ${d.kind}`);
    expect(d.report.blocked.map((b) => [b.id, b.reason])).toEqual([
      [p, 'wait4(-1)'],
      [c, expect.stringMatching(/^read pipe:\[\d+\]$/)],
    ]);
    expect(d.message).toContain(`task ${p}: wait4(-1)`);
  });

  it('sched_yield sends the caller to the back of the run queue', () => {
    const { rt, p } = boot();
    runUntil(rt, p);
    const c = rt.syscall(p, SYS.fork) as number;
    expect(rt.syscall(p, SYS.sched_yield)).toMatchObject({ kind: 'blocked', reason: 'sched_yield' });
    expect(rt.next()).toEqual({ kind: 'run', tid: c, result: null });
    expect(rt.syscall(c, SYS.sched_yield)).toMatchObject({ kind: 'blocked' });
    expect(rt.next()).toEqual({ kind: 'run', tid: p, result: 0 });
  });

  it('an interrupted sleep answers EINTR and stores the time left', () => {
    const { k, rt, p, top } = boot();
    runUntil(rt, p);
    const c = rt.syscall(p, SYS.fork) as number;
    const req = putTimespec(k, p, top - 128, 10, 0);
    const rem = top - 160;
    expect(rt.syscall(p, SYS.nanosleep, req, rem)).toMatchObject({ kind: 'blocked' });
    runUntil(rt, c);
    const req2 = putTimespec(k, c, top - 256, 3, 0);
    rt.syscall(c, SYS.nanosleep, req2, 0);
    expect(rt.next()).toEqual({ kind: 'run', tid: c, result: 0 });
    // Woken with no signal whose handler would run, the kernel restarts the sleep.
    expect(rt.interrupt(p)).toBe(true);
    rt.preempt(c);
    expect(rt.next()).toEqual({ kind: 'run', tid: c, result: null });
    expect(rt.blockOf(p)?.reason).toBe('nanosleep');
    // A signal whose handler runs without SA_RESTART: EINTR, with the time left stored.
    rt.interruptPolicy = (_tid, block) => {
      block.cancel();
      return -Errno.EINTR;
    };
    expect(rt.interrupt(p)).toBe(true);
    rt.preempt(c);
    expect(rt.next()).toEqual({ kind: 'run', tid: p, result: -Errno.EINTR });
    expect(getTimespec(k, p, rem)).toEqual([7, 0]);
  });
});

describe('blocks with no wait source (futex, locks)', () => {
  it('a futex waiter in one process is woken by another process\'s FUTEX_WAKE on shared memory', () => {
    const { k, rt, p } = boot();
    runUntil(rt, p);
    const shared = rt.syscall(p, SYS.mmap, 0, 4096, 3, 0x21, -1, 0) as number; // MAP_SHARED|MAP_ANONYMOUS
    expect(shared).toBeGreaterThan(0);
    const c = rt.syscall(p, SYS.fork) as number;
    rt.preempt(p);
    expect(runUntil(rt, c)).toBeNull();
    expect(rt.syscall(c, SYS.futex, shared, 0, 0, 0, 0, 0)).toMatchObject({ kind: 'blocked', reason: expect.stringContaining('futex') });
    expect(rt.next()).toEqual({ kind: 'run', tid: p, result: null });
    expect(rt.syscall(p, SYS.futex, shared, 1, 1, 0, 0, 0)).toBe(1); // FUTEX_WAKE one
    expect(rt.next()).toEqual({ kind: 'run', tid: c, result: 0 });
    expect(k.isAlive(c)).toBe(true);
  });
});

describe('the runtime on a clock it cannot move', () => {
  it('answers idle until the next deadline, and forgets a sleeping task that dies', () => {
    let now = 0;
    const k = createKernel({ clock: { monotonicNs: () => now, realtimeNs: () => BigInt(now) } });
    k.registerProgram('/bin/t', {});
    const p = k.spawn('/bin/t');
    const rt = k.runtime;
    const top = k.stack(p).end;
    runUntil(rt, p);
    rt.syscall(p, SYS.pipe, top - 32);
    const r = int32(k, p, top - 32);
    const c = rt.syscall(p, SYS.fork) as number;
    expect(rt.syscall(p, SYS.nanosleep, putTimespec(k, p, top - 64, 1, 0), 0)).toMatchObject({ kind: 'blocked' });
    runUntil(rt, c);
    expect(rt.syscall(c, SYS.read, r, top - 4096, 1)).toMatchObject({ kind: 'blocked' });
    expect(rt.next()).toEqual({ kind: 'idle', until: SEC });
    now = SEC;
    expect(rt.next()).toEqual({ kind: 'run', tid: p, result: 0 });
    // The sleeping child is killed: it leaves the scheduler with its wait cancelled.
    k.tasks.killGroup(k.tasks.get(c)!, 9);
    rt.preempt(p);
    expect(rt.next()).toEqual({ kind: 'run', tid: p, result: null });
    expect(rt.scheduler.state(c)).toBeUndefined();
    expect(rt.syscall(p, SYS.wait4, -1, 0, 0, 0)).toBe(c);
  });
});

describe('time and randomness through the syscall layer', () => {
  it('clock_gettime, clock_getres, gettimeofday and time read the virtual clock', () => {
    const { k, p, top } = boot();
    k.clock.advanceTo?.(5 * SEC + 123_456_789);
    const ts = top - 64;
    expect(k.syscall(p, SYS.clock_gettime, 1, ts)).toBe(0);
    expect(getTimespec(k, p, ts)).toEqual([5, 123_456_789]);
    expect(k.syscall(p, SYS.clock_gettime, 0, ts)).toBe(0);
    expect(getTimespec(k, p, ts)).toEqual([1_767_225_605, 123_456_789]);
    expect(k.syscall(p, SYS.clock_gettime, 10, ts)).toBe(-Errno.EINVAL);
    expect(k.syscall(p, SYS.clock_gettime, 1, 8)).toBe(-Errno.EFAULT);
    expect(k.syscall(p, SYS.clock_getres, 1, ts)).toBe(0);
    expect(getTimespec(k, p, ts)).toEqual([0, 1]);
    expect(k.syscall(p, SYS.clock_getres, 6, 0)).toBe(0);
    expect(k.syscall(p, SYS.gettimeofday, ts, 0)).toBe(0);
    expect(getTimespec(k, p, ts)).toEqual([1_767_225_605, 123_456]);
    expect(k.syscall(p, SYS.time, 0)).toBe(1_767_225_605);
  });

  it('nanosleep checks its timespec; clock_nanosleep sleeps to an absolute time and refuses clocks without sleep', () => {
    const { k, rt, p, top } = boot();
    runUntil(rt, p);
    expect(rt.syscall(p, SYS.nanosleep, putTimespec(k, p, top - 64, 0, 1_000_000_000), 0)).toBe(-Errno.EINVAL);
    expect(rt.syscall(p, SYS.nanosleep, 8, 0)).toBe(-Errno.EFAULT);
    const abs = putTimespec(k, p, top - 64, 3, 0);
    expect(rt.syscall(p, SYS.clock_nanosleep, 1, 1, abs, 0)).toMatchObject({ kind: 'blocked' });
    expect(rt.next()).toEqual({ kind: 'run', tid: p, result: 0 });
    expect(k.clock.monotonicNs()).toBe(3 * SEC);
    expect(rt.syscall(p, SYS.clock_nanosleep, 4, 0, abs, 0)).toBe(-Errno.EOPNOTSUPP);
    expect(rt.syscall(p, SYS.clock_nanosleep, 3, 0, abs, 0)).toBe(-Errno.EINVAL);
    // Through kernel.syscall, a zero sleep and sched_yield complete at once.
    expect(k.syscall(p, SYS.nanosleep, putTimespec(k, p, top - 64, 0, 0), 0)).toBe(0);
    expect(k.syscall(p, SYS.sched_yield)).toBe(0);
  });

  it('getrandom reads the kernel random source and checks flags; /dev/null, /dev/zero and /dev/full are there', async () => {
    const { SeededRandomSource } = await import('@tskern/devices');
    const take = () => {
      const k = createKernel({ clock: 'virtual', random: new SeededRandomSource(7) });
      k.registerProgram('/bin/t', {});
      const p = k.spawn('/bin/t');
      const at = k.stack(p).end - 64;
      expect(k.syscall(p, SYS.getrandom, at, 32, 0)).toBe(32);
      expect(k.syscall(p, SYS.getrandom, at, 32, 0x6)).toBe(-Errno.EINVAL);
      const b = new Uint8Array(32);
      k.load(p, at, b);
      return { k, p, bytes: [...b] };
    };
    const a = take();
    expect(take().bytes).toEqual(a.bytes);
    const { k, p } = a;
    const top = k.stack(p).end;
    k.store(p, top - 128, new TextEncoder().encode('/dev/full\0'));
    const full = k.syscall(p, SYS.open, top - 128, O.O_RDWR, 0);
    expect(k.syscall(p, SYS.write, full, top - 64, 4)).toBe(-Errno.ENOSPC);
    k.store(p, top - 128, new TextEncoder().encode('/dev/zero\0'));
    const zero = k.syscall(p, SYS.open, top - 128, O.O_RDWR, 0);
    const shared = k.syscall(p, SYS.mmap, 0, 8192, 3, 0x01, zero, 0);
    expect(shared).toBeGreaterThan(0);
    expect(k.store(p, shared, new Uint8Array([1, 2]))).toBe(0);
    const priv = k.syscall(p, SYS.mmap, 0, 4096, 1, 0x02, zero, 0);
    expect(priv).toBeGreaterThan(0);
    k.store(p, top - 128, new TextEncoder().encode('/dev/null\0'));
    const nul = k.syscall(p, SYS.open, top - 128, O.O_RDONLY, 0);
    expect(k.syscall(p, SYS.mmap, 0, 4096, 1, 0x02, nul, 0)).toBe(-Errno.ENODEV);
    expect(k.syscall(p, SYS.read, nul, top - 64, 10)).toBe(0);
  });
});
