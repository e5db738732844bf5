import { describe, expect, it } from 'vitest';
import { Errno, SYS, SYS_RISCV64 } from '@tskern/abi';
import { load, store } from '@tskern/mman';
import {
  SA, SIG, SIG_IGN, SIGACTION_GENERIC, SIGACTION_X86_64, SS_DISABLE, SignalSet, decodeSignalSet, encodeSigaction,
  encodeSignalSet, decodeSigaction, encodeStackT, decodeStackT, MINSIGSTKSZ,
} from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import { takeDeliverableSignal } from './deliver';
import { sendSigpipe } from './send-signal';
import { threadPending, groupPending } from './signal-state';
import { asBlock, signalWorld } from './testing/signal-world';

const scratch = (t: Task, off = 0) => t.stack.end - 512 + off;

function put(t: Task, addr: number, b: Uint8Array): void {
  expect(store(t.mm, addr, b, 0, b.length)).toBe(0);
}
function get(t: Task, addr: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  expect(load(t.mm, addr, b, 0, n)).toBe(0);
  return b;
}
function sigaction(handler: number, flags = 0, mask = SignalSet.EMPTY, layout = SIGACTION_X86_64): Uint8Array {
  const b = new Uint8Array(layout.size);
  encodeSigaction({ handler, flags, restorer: 0, mask }, b, layout);
  return b;
}
function sigset(set: SignalSet): Uint8Array {
  const b = new Uint8Array(8);
  encodeSignalSet(set, b);
  return b;
}

describe('rt_sigaction', () => {
  it('installs, reads back and refuses SIGKILL, bad numbers and bad sizes', () => {
    const w = signalWorld();
    const p = w.spawn();
    const act = scratch(p);
    const old = scratch(p, 64);
    put(p, act, sigaction(0x401000, SA.SA_SIGINFO | SA.SA_RESTART | SA.SA_UNSUPPORTED, SignalSet.of(SIG.SIGINT)));
    expect(w.sys(p.tid, SYS.rt_sigaction, SIG.SIGUSR1, act, 0, 8)).toBe(0);
    expect(w.sys(p.tid, SYS.rt_sigaction, SIG.SIGUSR1, 0, old, 8)).toBe(0);
    const back = decodeSigaction(get(p, old, 32), SIGACTION_X86_64);
    expect(back).toMatchObject({ handler: 0x401000, flags: (SA.SA_SIGINFO | SA.SA_RESTART) >>> 0 });
    expect(back.mask.toArray()).toEqual([SIG.SIGINT]);
    expect(w.sys(p.tid, SYS.rt_sigaction, SIG.SIGKILL, act, 0, 8)).toBe(-Errno.EINVAL);
    expect(w.sys(p.tid, SYS.rt_sigaction, SIG.SIGKILL, 0, old, 8)).toBe(0);
    expect(w.sys(p.tid, SYS.rt_sigaction, 65, 0, old, 8)).toBe(-Errno.EINVAL);
    expect(w.sys(p.tid, SYS.rt_sigaction, SIG.SIGUSR1, act, 0, 4)).toBe(-Errno.EINVAL);
    expect(w.sys(p.tid, SYS.rt_sigaction, SIG.SIGUSR1, 0x10, 0, 8)).toBe(-Errno.EFAULT);
  });

  it('uses the riscv64 layout (no sa_restorer) for a riscv64 task', () => {
    const w = signalWorld();
    const p = w.spawn(1000, w.rv.abi);
    const act = scratch(p);
    put(p, act, sigaction(0x10000, SA.SA_ONSTACK, SignalSet.of(SIG.SIGTERM), SIGACTION_GENERIC));
    expect(w.sys(p.tid, SYS_RISCV64.rt_sigaction, SIG.SIGHUP, act, act + 64, 8)).toBe(0);
    expect(w.sys(p.tid, SYS_RISCV64.rt_sigaction, SIG.SIGHUP, 0, act + 64, 8)).toBe(0);
    const back = decodeSigaction(get(p, act + 64, 24), SIGACTION_GENERIC);
    expect(back).toMatchObject({ handler: 0x10000, flags: SA.SA_ONSTACK });
    expect(back.mask.toArray()).toEqual([SIG.SIGTERM]);
  });

  it('ignoring a pending signal discards it', () => {
    const w = signalWorld();
    const p = w.spawn();
    put(p, scratch(p), sigset(SignalSet.of(SIG.SIGUSR2)));
    expect(w.sys(p.tid, SYS.rt_sigprocmask, 0, scratch(p), 0, 8)).toBe(0);
    expect(w.sys(p.tid, SYS.kill, p.pid, SIG.SIGUSR2)).toBe(0);
    expect(groupPending(p.group).has(SIG.SIGUSR2)).toBe(true);
    put(p, scratch(p, 64), sigaction(1));
    expect(w.sys(p.tid, SYS.rt_sigaction, SIG.SIGUSR2, scratch(p, 64), 0, 8)).toBe(0);
    expect(groupPending(p.group).has(SIG.SIGUSR2)).toBe(false);
  });
});

describe('rt_sigprocmask and rt_sigpending', () => {
  it('blocks, reports pending blocked signals, and never blocks SIGKILL/SIGSTOP', () => {
    const w = signalWorld();
    const p = w.spawn();
    const set = scratch(p);
    const old = scratch(p, 16);
    put(p, set, sigset(SignalSet.of(SIG.SIGUSR1, SIG.SIGKILL, SIG.SIGSTOP, 40)));
    expect(w.sys(p.tid, SYS.rt_sigprocmask, 0, set, 0, 8)).toBe(0);
    expect(w.sys(p.tid, SYS.rt_sigprocmask, 0, 0, old, 8)).toBe(0);
    expect(decodeSignalSet(get(p, old, 8)).toArray()).toEqual([SIG.SIGUSR1, 40]);
    expect(w.sys(p.tid, SYS.rt_sigprocmask, 7, set, 0, 8)).toBe(-Errno.EINVAL);
    expect(w.sys(p.tid, SYS.rt_sigprocmask, 0, set, 0, 16)).toBe(-Errno.EINVAL);
    put(p, scratch(p, 64), sigaction(0x5000));
    w.sys(p.tid, SYS.rt_sigaction, SIG.SIGUSR1, scratch(p, 64), 0, 8);
    expect(w.sys(p.tid, SYS.kill, p.pid, SIG.SIGUSR1)).toBe(0);
    expect(w.sys(p.tid, SYS.tkill, p.tid, 40)).toBe(0);
    expect(w.sys(p.tid, SYS.rt_sigpending, old, 8)).toBe(0);
    expect(decodeSignalSet(get(p, old, 8)).toArray()).toEqual([SIG.SIGUSR1, 40]);
    expect(w.sys(p.tid, SYS.rt_sigpending, old, 9)).toBe(-Errno.EINVAL);
    expect(takeDeliverableSignal(p)).toBeNull(); // both blocked
    // unblocking makes SIGUSR1 deliverable to its handler, with itself blocked meanwhile
    put(p, set, sigset(SignalSet.of(SIG.SIGUSR1)));
    expect(w.sys(p.tid, SYS.rt_sigprocmask, 1, set, 0, 8)).toBe(0);
    const d = takeDeliverableSignal(p);
    expect(d).toMatchObject({ sig: SIG.SIGUSR1, info: { pid: p.pid, uid: 1000 } });
    expect(d!.blocked.has(SIG.SIGUSR1)).toBe(true);
    // signal 40 has no handler: once unblocked, its default terminates the process
    expect(takeDeliverableSignal(p)).toBeNull();
    expect(p.group.alive).toBe(true);
    put(p, set, sigset(SignalSet.of(40)));
    expect(w.sys(p.tid, SYS.rt_sigprocmask, 1, set, 0, 8)).toBe(0); // taken on the way back: the process is gone
    expect(p.group.alive).toBe(false);
  });
});

describe('kill, tkill, tgkill', () => {
  it('checks permission: same uid or root; EPERM otherwise; signal 0 probes', () => {
    const w = signalWorld();
    const a = w.spawn(1000);
    const b = w.spawn(2000);
    const root = w.spawn(0);
    expect(w.sys(a.tid, SYS.kill, b.pid, SIG.SIGTERM)).toBe(-Errno.EPERM);
    expect(w.sys(a.tid, SYS.kill, b.pid, 0)).toBe(-Errno.EPERM);
    expect(w.sys(a.tid, SYS.kill, 99999, 0)).toBe(-Errno.ESRCH);
    expect(w.sys(a.tid, SYS.kill, a.pid, 0)).toBe(0);
    expect(w.sys(a.tid, SYS.kill, a.pid, 65)).toBe(-Errno.EINVAL);
    expect(w.sys(root.tid, SYS.kill, b.pid, SIG.SIGTERM)).toBe(0);
    expect(b.group.alive).toBe(false);
  });

  it('a default-terminating signal kills the child and wait4 reports the signal', () => {
    const w = signalWorld();
    const p = w.spawn();
    const child = w.sys(p.tid, SYS.fork);
    expect(w.sys(p.tid, SYS.kill, child, SIG.SIGTERM)).toBe(0);
    const status = scratch(p);
    expect(w.sys(p.tid, SYS.wait4, child, status, 0, 0)).toBe(child);
    expect(new DataView(get(p, status, 4).buffer).getInt32(0, true)).toBe(SIG.SIGTERM);
  });

  it('tkill and tgkill check their ids', () => {
    const w = signalWorld();
    const p = w.spawn();
    expect(w.sys(p.tid, SYS.tkill, 0, SIG.SIGUSR1)).toBe(-Errno.EINVAL);
    expect(w.sys(p.tid, SYS.tgkill, 0, p.tid, SIG.SIGUSR1)).toBe(-Errno.EINVAL);
    expect(w.sys(p.tid, SYS.tgkill, p.pid + 100, p.tid, SIG.SIGUSR1)).toBe(-Errno.ESRCH);
    put(p, scratch(p), sigset(SignalSet.of(SIG.SIGUSR1)));
    w.sys(p.tid, SYS.rt_sigprocmask, 0, scratch(p), 0, 8);
    expect(w.sys(p.tid, SYS.tgkill, p.pid, p.tid, SIG.SIGUSR1)).toBe(0);
    expect(threadPending(p).dequeue(SIG.SIGUSR1)).toMatchObject({ code: -6, pid: p.pid });
  });

  it('a thread blocked in a call is interrupted by a signal it does not block', () => {
    const w = signalWorld();
    const p = w.spawn();
    put(p, scratch(p), sigaction(0x5000));
    w.sys(p.tid, SYS.rt_sigaction, SIG.SIGUSR1, scratch(p), 0, 8);
    expect(w.sys(p.tid, SYS.kill, p.pid, SIG.SIGUSR1)).toBe(0);
    expect(w.interrupted).toEqual([p]);
  });
});

describe('SIGPIPE', () => {
  it('ends a writer that does not handle it, and queues for one that does', () => {
    const w = signalWorld();
    const p = w.spawn();
    expect(sendSigpipe(p)).toBe(0);
    expect(p.group.waitStatus).toBe(SIG.SIGPIPE);
    const q = w.spawn();
    put(q, scratch(q), sigaction(0x5000));
    w.sys(q.tid, SYS.rt_sigaction, SIG.SIGPIPE, scratch(q), 0, 8);
    expect(sendSigpipe(q)).toBe(0);
    expect(takeDeliverableSignal(q)).toMatchObject({ sig: SIG.SIGPIPE, info: { code: 0, pid: q.pid } });
  });
});

describe('sigaltstack', () => {
  it('sets, reports and refuses small stacks and bad modes', () => {
    const w = signalWorld();
    const p = w.spawn();
    const ss = scratch(p);
    const old = scratch(p, 32);
    const stack = (sp: number, size: number, flags: number) => {
      const b = new Uint8Array(24);
      encodeStackT({ sp, size, flags }, b);
      put(p, ss, b);
    };
    expect(w.sys(p.tid, SYS.sigaltstack, 0, old)).toBe(0);
    expect(decodeStackT(get(p, old, 24))).toEqual({ sp: 0, size: 0, flags: SS_DISABLE });
    stack(0x10000, MINSIGSTKSZ - 1, 0);
    expect(w.sys(p.tid, SYS.sigaltstack, ss, 0)).toBe(-Errno.ENOMEM);
    stack(0x10000, 8192, 5);
    expect(w.sys(p.tid, SYS.sigaltstack, ss, 0)).toBe(-Errno.EINVAL);
    stack(0x10000, 8192, 0);
    expect(w.sys(p.tid, SYS.sigaltstack, ss, 0)).toBe(0);
    expect(w.sys(p.tid, SYS.sigaltstack, 0, old)).toBe(0);
    expect(decodeStackT(get(p, old, 24))).toEqual({ sp: 0x10000, size: 8192, flags: 0 });
  });
});

describe('alarm, setitimer, getitimer', () => {
  it('ITIMER_REAL sends SIGALRM when due, re-arms with its interval, and alarm answers the seconds left', () => {
    const w = signalWorld();
    const p = w.spawn();
    put(p, scratch(p), sigaction(0x5000));
    w.sys(p.tid, SYS.rt_sigaction, SIG.SIGALRM, scratch(p), 0, 8);
    expect(w.sys(p.tid, SYS.alarm, 5)).toBe(0);
    w.time.advance(1_400_000_000);
    expect(w.sys(p.tid, SYS.alarm, 10)).toBe(4); // 3.6 s left rounds to 4
    const it = scratch(p, 64);
    expect(w.sys(p.tid, SYS.getitimer, 0, it)).toBe(0);
    const v = new DataView(get(p, it, 32).buffer);
    expect([v.getUint32(16, true), v.getUint32(24, true)]).toEqual([10, 0]);
    w.time.advance(10_000_000_000);
    expect(groupPending(p.group).has(SIG.SIGALRM)).toBe(true);
    expect(groupPending(p.group).dequeue(SIG.SIGALRM)).toMatchObject({ code: 0x80 });
    // setitimer with a 1 s interval fires every second
    const tv = new Uint8Array(32);
    const tvv = new DataView(tv.buffer);
    tvv.setUint32(0, 1, true);
    tvv.setUint32(16, 1, true);
    put(p, it, tv);
    expect(w.sys(p.tid, SYS.setitimer, 0, it, 0)).toBe(0);
    w.time.advance(1_000_000_000);
    expect(groupPending(p.group).queuedCount(SIG.SIGALRM)).toBe(1);
    groupPending(p.group).dequeue(SIG.SIGALRM);
    w.time.advance(1_000_000_000);
    expect(groupPending(p.group).has(SIG.SIGALRM)).toBe(true);
    tvv.setUint32(8, 1_000_000, true);
    put(p, it, tv);
    expect(w.sys(p.tid, SYS.setitimer, 0, it, 0)).toBe(-Errno.EINVAL);
    expect(w.sys(p.tid, SYS.setitimer, 3, 0, 0)).toBe(-Errno.EINVAL);
  });

  it('SIGALRM with no handler ends the process', () => {
    const w = signalWorld();
    const p = w.spawn();
    expect(w.sys(p.tid, SYS.alarm, 1)).toBe(0);
    w.time.advance(1_000_000_000);
    expect(p.group.alive).toBe(false);
  });
});

describe('SIGCHLD', () => {
  it('reaches the parent with the child\'s pid and status when the child exits', () => {
    const w = signalWorld();
    const p = w.spawn();
    put(p, scratch(p), sigaction(0x5000));
    w.sys(p.tid, SYS.rt_sigaction, SIG.SIGCHLD, scratch(p), 0, 8);
    const child = w.sys(p.tid, SYS.fork);
    w.sys(child, SYS.exit_group, 3);
    expect(groupPending(p.group).dequeue(SIG.SIGCHLD)).toMatchObject({ kind: 'child', code: 1, pid: child, status: 3 });
  });

  it('ignored: no signal, and children are reaped as they exit, so wait4 sleeps until the last is gone, then ECHILD (do_notify_parent)', () => {
    const w = signalWorld();
    const p = w.spawn();
    put(p, scratch(p), sigaction(SIG_IGN));
    expect(w.sys(p.tid, SYS.rt_sigaction, SIG.SIGCHLD, scratch(p), 0, 8)).toBe(0);
    const child = w.sys(p.tid, SYS.fork);
    const wait = asBlock(w.call(p.tid, SYS.wait4, child, 0, 0, 0));
    w.sys(child, SYS.exit_group, 5);
    expect(wait.retry()).toBe(-Errno.ECHILD);
    expect(groupPending(p.group).has(SIG.SIGCHLD)).toBe(false);
  });

  it('SA_NOCLDWAIT: the signal is sent, but no zombie is left to wait for', () => {
    const w = signalWorld();
    const p = w.spawn();
    put(p, scratch(p), sigaction(0x5000, SA.SA_NOCLDWAIT));
    expect(w.sys(p.tid, SYS.rt_sigaction, SIG.SIGCHLD, scratch(p), 0, 8)).toBe(0);
    const child = w.sys(p.tid, SYS.fork);
    w.sys(child, SYS.exit_group, 5);
    expect(groupPending(p.group).dequeue(SIG.SIGCHLD)).toMatchObject({ kind: 'child', pid: child, status: 5 });
    expect(w.sys(p.tid, SYS.wait4, -1, 0, 1, 0)).toBe(-Errno.ECHILD);
  });
});
