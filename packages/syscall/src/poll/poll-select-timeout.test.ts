import { describe, expect, it } from 'vitest';
import { Errno, MAP, PROT, SYS } from '@tskern/abi';
import { load, store } from '@tskern/mman';
import { SIG, SIGACTION_X86_64, SignalSet, encodeSigaction } from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import { interruptBlockedCall } from '../signal/interrupt';
import { asBlock, signalWorld } from '../signal/testing/signal-world';

// The rules were checked on Linux 6.18 (x86-64) with a C program calling the raw
// syscalls: the time left is written back after a count, an error (EBADF, EINVAL of
// n < 0 or nfds, EFAULT of the table) and EINTR; a read-only timeout leaves a result
// as it was, but a select interrupted by SIGSTOP/SIGCONT (no handler) then answers
// EINTR instead of restarting. Here the test clock makes the time left exact.

const SEC = 1_000_000_000;

function setup() {
  const w = signalWorld();
  const p = w.spawn();
  const page = w.sys(p.tid, SYS.mmap, 0, 3 * 4096, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
  expect(w.sys(p.tid, SYS.pipe, page)).toBe(0);
  const fds = new Uint8Array(8);
  load(p.mm, page, fds, 0, 8);
  const v = new DataView(fds.buffer);
  const [r, wr] = [v.getInt32(0, true), v.getInt32(4, true)];
  const put64 = (at: number, ...words: bigint[]): void => {
    const b = new DataView(new ArrayBuffer(words.length * 8));
    words.forEach((x, i) => b.setBigInt64(i * 8, x, true));
    store(p.mm, at, new Uint8Array(b.buffer), 0, b.byteLength);
  };
  const get64 = (at: number, n = 2): bigint[] => {
    const b = new Uint8Array(n * 8);
    load(p.mm, at, b, 0, b.length);
    const d = new DataView(b.buffer);
    return Array.from({ length: n }, (_, i) => d.getBigInt64(i * 8, true));
  };
  const readSet = page + 64; // fd_set with the pipe's read end
  put64(readSet, 1n << BigInt(r));
  const pollfd = page + 128; // struct pollfd for the read end, POLLIN
  const pf = new DataView(new ArrayBuffer(8));
  pf.setInt32(0, r, true);
  pf.setInt16(4, 1, true);
  store(p.mm, pollfd, new Uint8Array(pf.buffer), 0, 8);
  const handle = (t: Task, sig: number): void => {
    const b = new Uint8Array(SIGACTION_X86_64.size);
    encodeSigaction({ handler: 0x7000, flags: 0, restorer: 0, mask: SignalSet.EMPTY }, b, SIGACTION_X86_64);
    store(t.mm, page + 512, b, 0, b.length);
    expect(w.sys(t.tid, SYS.rt_sigaction, sig, page + 512, 0, 8)).toBe(0);
  };
  return { w, p, page, r, wr, put64, get64, readSet, pollfd, handle, time: page + 256, readOnly: page + 4096, table: page + 2 * 4096 };
}

describe('poll_select_finish: the time left of select, pselect6 and ppoll', () => {
  it('select writes the timeval left at the deadline, after an error, and when a handler interrupts it', () => {
    const { w, p, r, wr, put64, get64, readSet, time, handle } = setup();
    put64(time, 5n, 0n);
    const b = asBlock(w.call(p.tid, SYS.select, r + 1, readSet, 0, 0, time));
    w.time.advance(2 * SEC);
    handle(p, SIG.SIGUSR1);
    expect(w.sys(p.tid, SYS.kill, p.pid, SIG.SIGUSR1)).toBe(0);
    expect(interruptBlockedCall(p, b)).toBe(-Errno.EINTR);
    expect(get64(time)).toEqual([3n, 0n]);
    p.group.pending.clear(); // as if the handler had run

    // An error is written back too: n < 0 with a timeval of 5 000 000 us comes back as 5 s.
    put64(time, 0n, 5_000_000n);
    expect(w.sys(p.tid, SYS.select, -1, 0, 0, 0, time)).toBe(-Errno.EINVAL);
    expect(get64(time)).toEqual([5n, 0n]);

    // A descriptor closed while it waits: EBADF with the 1.500249800 s left, as microseconds truncated.
    put64(time, 3n, 250n);
    const c = asBlock(w.call(p.tid, SYS.select, r + 1, readSet, 0, 0, time));
    w.time.advance(1.5 * SEC + 200);
    expect(w.sys(p.tid, SYS.close, r)).toBe(0);
    expect(c.retry()).toBe(-Errno.EBADF);
    expect(get64(time)).toEqual([1n, 500_249n]);
    expect(wr).toBeGreaterThan(r);
  });

  it('select at its deadline leaves 0, and a zero timeout is not written', () => {
    const { w, p, r, put64, get64, readSet, time, readOnly } = setup();
    put64(time, 1n, 0n);
    const b = asBlock(w.call(p.tid, SYS.select, r + 1, readSet, 0, 0, time));
    w.time.advance(3 * SEC);
    expect(b.retry()).toBe(0);
    expect(get64(time)).toEqual([0n, 0n]);
    // A zero timeout in read-only memory: nothing is written, so nothing faults.
    put64(readOnly, 0n, 0n);
    expect(w.sys(p.tid, SYS.mprotect, readOnly, 4096, PROT.PROT_READ)).toBe(0);
    expect(w.sys(p.tid, SYS.select, r + 1, readSet, 0, 0, readOnly)).toBe(0);
  });

  it('a timeout in read-only memory leaves a result as it was, but an interrupted call then answers EINTR rather than restart', () => {
    const { w, p, r, wr, page, put64, readSet, readOnly } = setup();
    put64(readOnly, 2n, 0n);
    expect(w.sys(p.tid, SYS.mprotect, readOnly, 4096, PROT.PROT_READ)).toBe(0);
    // Nothing ready: with no handler to run, a writable timeout restarts; this one cannot be updated.
    const b = asBlock(w.call(p.tid, SYS.select, r + 1, readSet, 0, 0, readOnly));
    w.time.advance(SEC);
    expect(interruptBlockedCall(p, b)).toBe(-Errno.EINTR);
    const ppoll = asBlock(w.call(p.tid, SYS.ppoll, page + 128, 1, readOnly, 0, 8));
    expect(interruptBlockedCall(p, ppoll)).toBe(-Errno.EINTR);
    expect(w.sys(p.tid, SYS.write, wr, page, 1)).toBe(1);
    expect(w.sys(p.tid, SYS.select, r + 1, readSet, 0, 0, readOnly)).toBe(1);
    expect(w.sys(p.tid, SYS.ppoll, page + 128, 1, readOnly, 0, 8)).toBe(1);
    put64(page + 64, 1n << BigInt(r));
    expect(w.sys(p.tid, SYS.pselect6, r + 1, readSet, 0, 0, readOnly, 0)).toBe(1);
  });

  it('with a writable timeout and no handler to run, the interrupted call restarts', () => {
    const { w, p, r, put64, get64, readSet, time } = setup();
    put64(time, 2n, 0n);
    const b = asBlock(w.call(p.tid, SYS.pselect6, r + 1, readSet, 0, 0, time, 0));
    w.time.advance(SEC / 4);
    expect(interruptBlockedCall(p, b)).toBe('restart');
    expect(get64(time)).toEqual([1n, 750_000_000n]);
  });

  it('pselect6 and ppoll write the timespec left on EINTR and keep the temporary mask for the handler frame', () => {
    const { w, p, r, page, put64, get64, readSet, pollfd, time, handle } = setup();
    handle(p, SIG.SIGUSR1);
    const mask = page + 600;
    put64(mask, 1n << BigInt(SIG.SIGUSR2 - 1));
    put64(page + 640, BigInt(mask), 8n); // pselect6's { ss, ss_len }
    put64(time, 5n, 0n);
    const b = asBlock(w.call(p.tid, SYS.pselect6, r + 1, readSet, 0, 0, time, page + 640));
    w.time.advance(1.5 * SEC);
    expect(w.sys(p.tid, SYS.kill, p.pid, SIG.SIGUSR1)).toBe(0);
    expect(interruptBlockedCall(p, b)).toBe(-Errno.EINTR);
    expect(get64(time)).toEqual([3n, 500_000_000n]);
    expect(p.savedSigmask).not.toBeNull(); // the handler's frame will save the old mask
    p.group.pending.clear();
    p.savedSigmask = null;

    put64(time, 4n, 0n);
    const c = asBlock(w.call(p.tid, SYS.ppoll, pollfd, 1, time, mask, 8));
    w.time.advance(SEC / 2);
    expect(w.sys(p.tid, SYS.kill, p.pid, SIG.SIGUSR1)).toBe(0);
    expect(interruptBlockedCall(p, c)).toBe(-Errno.EINTR);
    expect(get64(time)).toEqual([3n, 500_000_000n]);
  });

  it('ppoll writes the timespec left after EFAULT of its table and after EINVAL, and a completed call puts the mask back', () => {
    const { w, p, r, wr, page, put64, get64, pollfd, time, table } = setup();
    const entry = new Uint8Array(8);
    load(p.mm, pollfd, entry, 0, 8);
    store(p.mm, table, entry, 0, 8);
    put64(time, 4n, 0n);
    const b = asBlock(w.call(p.tid, SYS.ppoll, table, 1, time, 0, 8));
    w.time.advance(SEC);
    expect(w.sys(p.tid, SYS.munmap, table, 4096)).toBe(0);
    expect(w.sys(p.tid, SYS.write, wr, page, 1)).toBe(1);
    expect(b.retry()).toBe(-Errno.EFAULT); // the revents cannot be copied back
    expect(get64(time)).toEqual([3n, 0n]);

    put64(time, 0n, 7n);
    expect(w.sys(p.tid, SYS.ppoll, pollfd, p.files.limit + 1, time, 0, 8)).toBe(-Errno.EINVAL);
    expect(get64(time)).toEqual([0n, 7n]);
    const mask = page + 600;
    put64(mask, 1n << BigInt(SIG.SIGUSR2 - 1));
    expect(w.sys(p.tid, SYS.ppoll, pollfd, 1, time, mask, 8)).toBe(1);
    expect(p.savedSigmask).toBeNull();
    expect(r).toBeGreaterThanOrEqual(0);
  });
});
