import { describe, expect, it } from 'vitest';
import { Errno, MAP, PROT, SYS } from '@tskern/abi';
import { FUTEX } from '@tskern/futex';
import { store } from '@tskern/mman';
import { SA, SIG, SIGACTION_X86_64, SignalSet, encodeSigaction } from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import { kernelFutexes } from '../futex/futex-host';
import { interruptBlockedCall } from './interrupt';
import { asBlock, signalWorld } from './testing/signal-world';

function handle(w: ReturnType<typeof signalWorld>, t: Task, sig: number, flags: number): void {
  const b = new Uint8Array(SIGACTION_X86_64.size);
  encodeSigaction({ handler: 0x7000, flags, restorer: 0, mask: SignalSet.EMPTY }, b, SIGACTION_X86_64);
  store(t.mm, t.stack.end - 256, b, 0, b.length);
  expect(w.sys(t.tid, SYS.rt_sigaction, sig, t.stack.end - 256, 0, 8)).toBe(0);
}

describe('a signal interrupting a blocked call', () => {
  it('answers EINTR without SA_RESTART, restarts with it; a timed wait always answers EINTR', () => {
    const w = signalWorld();
    const p = w.spawn();
    const addr = w.sys(p.tid, SYS.mmap, 0, 4096, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    handle(w, p, SIG.SIGUSR1, 0);
    handle(w, p, SIG.SIGUSR2, SA.SA_RESTART);
    const waitFutex = () => asBlock(w.call(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAIT, 0, 0, 0, 0));

    const b1 = waitFutex();
    expect(w.sys(p.tid, SYS.kill, p.pid, SIG.SIGUSR1)).toBe(0);
    expect(w.interrupted).toEqual([p]);
    expect(interruptBlockedCall(p, b1)).toBe(-Errno.EINTR);
    expect(kernelFutexes(p).keyCount).toBe(0); // the waiter left the queue
    // A retry after the cancel is the restart (futex_wait_restart): the word is
    // still 0, so the task waits again.
    expect(b1.retry()).toBe(b1);
    expect(kernelFutexes(p).keyCount).toBe(1);
    b1.cancel();

    const b2 = waitFutex();
    p.group.pending.clear(); // as if the runtime had run the SIGUSR1 handler
    expect(w.sys(p.tid, SYS.kill, p.pid, SIG.SIGUSR2)).toBe(0);
    expect(interruptBlockedCall(p, b2)).toBe('restart');

    const ts = p.stack.end - 128;
    store(p.mm, ts, new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 0, 16);
    const b3 = asBlock(w.call(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAIT, 0, ts, 0, 0));
    expect(interruptBlockedCall(p, b3)).toBe(-Errno.EINTR); // ERESTART_RESTARTBLOCK into a handler
  });

  it('restarts when the signal runs no handler (ignored or default-ignored)', () => {
    const w = signalWorld();
    const p = w.spawn();
    const child = w.sys(p.tid, SYS.fork);
    const wait = asBlock(w.call(p.tid, SYS.wait4, child, 0, 0, 0));
    expect(interruptBlockedCall(p, wait)).toBe('restart');
  });
});
