import { describe, expect, it } from 'vitest';
import { CLONE, Errno, MAP, O, PROT, SYS } from '@tskern/abi';
import { FUTEX, FUTEX_OWNER_DIED, FUTEX_WAITERS, encodeWakeOp, FUTEX_OP } from '@tskern/futex';
import { load, store } from '@tskern/mman';
import type { Task } from '@tskern/tasks';
import { asBlock, signalWorld } from '../signal/testing/signal-world';

const K = 4096;
const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const PRIVATE = FUTEX.FUTEX_PRIVATE_FLAG;

function putU32(t: Task, addr: number, v: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  expect(store(t.mm, addr, b, 0, 4)).toBe(0);
}

function getU32(t: Task, addr: number): number {
  const b = new Uint8Array(4);
  expect(load(t.mm, addr, b, 0, 4)).toBe(0);
  return new DataView(b.buffer).getUint32(0, true);
}

function putBytes(t: Task, addr: number, bytes: Uint8Array): void {
  expect(store(t.mm, addr, bytes, 0, bytes.length)).toBe(0);
}

/** A scratch area at the top of the task's stack. */
const scratch = (t: Task, off = 0) => t.stack.end - 256 + off;

/** Open (creating) `/seg` of one page and map it shared; `shift` pages are mapped first so addresses differ. */
function mapSegment(w: ReturnType<typeof signalWorld>, t: Task, shift: number): number {
  putBytes(t, scratch(t), new TextEncoder().encode('/seg\0'));
  const fd = w.sys(t.tid, SYS.open, scratch(t), O.O_RDWR | O.O_CREAT, 0o600);
  expect(fd).toBeGreaterThanOrEqual(0);
  expect(w.sys(t.tid, SYS.ftruncate, fd, K)).toBe(0);
  if (shift > 0) w.sys(t.tid, SYS.mmap, 0, shift * K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
  const addr = w.sys(t.tid, SYS.mmap, 0, K, RW, MAP.MAP_SHARED, fd, 0);
  expect(addr).toBeGreaterThan(0);
  return addr;
}

describe('futex(2) through the syscall layer', () => {
  it('two processes mapping one file at different addresses meet on one shared futex', () => {
    const w = signalWorld();
    const a = w.spawn(0);
    const b = w.spawn(0);
    const pa = mapSegment(w, a, 0);
    const pb = mapSegment(w, b, 3);
    expect(pa).not.toBe(pb);
    const wait = asBlock(w.call(a.tid, SYS.futex, pa + 8, FUTEX.FUTEX_WAIT, 0, 0, 0, 0));
    expect(wait.reason).toContain('shared');
    expect(wait.retry()).toBe(wait); // nothing woke it yet
    // a private wake through the other address space reaches nobody
    expect(w.sys(b.tid, SYS.futex, pb + 8, FUTEX.FUTEX_WAKE | PRIVATE, 1, 0, 0, 0)).toBe(0);
    expect(w.sys(b.tid, SYS.futex, pb + 8, FUTEX.FUTEX_WAKE, 1, 0, 0, 0)).toBe(1);
    expect(wait.retry()).toBe(0);
  });

  it('keys private futexes by address space: a forked child does not wake its parent', () => {
    const w = signalWorld();
    const p = w.spawn();
    const addr = w.sys(p.tid, SYS.mmap, 0, K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    const child = w.sys(p.tid, SYS.fork);
    const wait = asBlock(w.call(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAIT | PRIVATE, 0, 0, 0, 0));
    expect(w.sys(child, SYS.futex, addr, FUTEX.FUTEX_WAKE | PRIVATE, 1, 0, 0, 0)).toBe(0);
    expect(w.sys(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAKE | PRIVATE, 1, 0, 0, 0)).toBe(1);
    expect(wait.retry()).toBe(0);
  });

  it('answers EAGAIN when the word moved, EINVAL when misaligned, EFAULT when unmapped, ENOSYS for PI', () => {
    const w = signalWorld();
    const p = w.spawn();
    const addr = w.sys(p.tid, SYS.mmap, 0, K, RW, MAP.MAP_SHARED | MAP.MAP_ANONYMOUS, -1, 0);
    putU32(p, addr, 5);
    expect(w.sys(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAIT, 4, 0, 0, 0)).toBe(-Errno.EAGAIN);
    expect(w.call(p.tid, SYS.futex, addr + 2, FUTEX.FUTEX_WAIT, 5, 0, 0, 0)).toBe(-Errno.EINVAL);
    expect(w.call(p.tid, SYS.futex, 0x1000, FUTEX.FUTEX_WAIT, 0, 0, 0, 0)).toBe(-Errno.EFAULT);
    expect(w.call(p.tid, SYS.futex, 0x1000, FUTEX.FUTEX_WAKE | PRIVATE, 1, 0, 0, 0)).toBe(0); // no mapping check
    expect(w.call(p.tid, SYS.futex, addr, FUTEX.FUTEX_LOCK_PI, 0, 0, 0, 0)).toBe(-Errno.ENOSYS);
    expect(w.call(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAKE | FUTEX.FUTEX_CLOCK_REALTIME, 1, 0, 0, 0)).toBe(-Errno.ENOSYS);
    expect(w.call(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAIT_BITSET, 5, 0, 0, 0)).toBe(-Errno.EINVAL); // empty bitset
  });

  it('times out: relative for FUTEX_WAIT, absolute for FUTEX_WAIT_BITSET; EINVAL for a bad timespec', () => {
    const w = signalWorld();
    const p = w.spawn();
    const addr = w.sys(p.tid, SYS.mmap, 0, K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    const ts = scratch(p, 64);
    const timespec = (sec: number, nsec: number) => {
      const b = new Uint8Array(16);
      const v = new DataView(b.buffer);
      v.setInt32(0, sec, true);
      v.setInt32(4, sec < 0 ? -1 : 0, true);
      v.setUint32(8, nsec, true);
      putBytes(p, ts, b);
    };
    timespec(0, 500);
    const rel = asBlock(w.call(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAIT | PRIVATE, 0, ts, 0, 0));
    expect(rel.deadline).toBe(w.time.now + 500);
    expect(rel.restart).toBe('restartblock');
    w.time.advance(499);
    expect(rel.retry()).toBe(rel);
    w.time.advance(1);
    expect(rel.retry()).toBe(-Errno.ETIMEDOUT);
    timespec(0, 0); // an expired timeout still checks the word first
    expect(w.call(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAIT | PRIVATE, 0, ts, 0, 0)).toBe(-Errno.ETIMEDOUT);
    expect(w.call(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAIT | PRIVATE, 1, ts, 0, 0)).toBe(-Errno.EAGAIN);
    timespec(2, 0);
    const abs = asBlock(w.call(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAIT_BITSET | PRIVATE, 0, ts, 0, 0xffffffff));
    expect(abs.deadline).toBe(2_000_000_000);
    timespec(0, 1_000_000_000);
    expect(w.call(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAIT | PRIVATE, 0, ts, 0, 0)).toBe(-Errno.EINVAL);
    timespec(-1, 0);
    expect(w.call(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAIT | PRIVATE, 0, ts, 0, 0)).toBe(-Errno.EINVAL);
  });

  it('wakes by bitset, requeues, compares before requeue, and does wake-op', () => {
    const w = signalWorld();
    const p = w.spawn();
    const addr = w.sys(p.tid, SYS.mmap, 0, K, RW, MAP.MAP_SHARED | MAP.MAP_ANONYMOUS, -1, 0);
    const child = w.sys(p.tid, SYS.fork);
    const waits = [1, 2, 1].map((bits) => asBlock(w.call(child, SYS.futex, addr, FUTEX.FUTEX_WAIT_BITSET, 0, 0, 0, bits)));
    expect(w.sys(p.tid, SYS.futex, addr, FUTEX.FUTEX_WAKE_BITSET, 10, 0, 0, 2)).toBe(1);
    expect(waits.map((b) => b.retry() === 0)).toEqual([false, true, false]);
    putU32(p, addr, 7);
    expect(w.sys(p.tid, SYS.futex, addr, FUTEX.FUTEX_CMP_REQUEUE, 0, 1, addr + 4, 8)).toBe(-Errno.EAGAIN);
    expect(w.sys(p.tid, SYS.futex, addr, FUTEX.FUTEX_CMP_REQUEUE, 0, -1, addr + 4, 7)).toBe(-Errno.EINVAL);
    // the first waiter moves to addr + 4; the next plain requeue wakes the other one
    expect(w.sys(p.tid, SYS.futex, addr, FUTEX.FUTEX_CMP_REQUEUE, 0, 1, addr + 4, 7)).toBe(1);
    expect(w.sys(p.tid, SYS.futex, addr, FUTEX.FUTEX_REQUEUE, 1, 5, addr + 4, 0)).toBe(1);
    expect(waits[2]!.retry()).toBe(0);
    expect(waits[0]!.retry()).toBe(waits[0]);
    // the requeued waiter now sleeps on addr + 4: wake-op sets *(addr+4) = 1 and wakes it if the old value was 0
    putU32(p, addr + 4, 0);
    const op = encodeWakeOp(FUTEX_OP.FUTEX_OP_SET, 1, FUTEX_OP.FUTEX_OP_CMP_EQ, 0);
    expect(w.sys(p.tid, SYS.futex, addr + 8, FUTEX.FUTEX_WAKE_OP, 1, 1, addr + 4, op)).toBe(1);
    expect(getU32(p, addr + 4)).toBe(1);
    expect(waits[0]!.retry()).toBe(0);
  });

  it('set_robust_list checks the length; get_robust_list answers it', () => {
    const w = signalWorld();
    const p = w.spawn();
    expect(w.sys(p.tid, SYS.set_robust_list, 0x1000, 16)).toBe(-Errno.EINVAL);
    expect(w.sys(p.tid, SYS.set_robust_list, 0x7000, 24)).toBe(0);
    const out = scratch(p, 128);
    expect(w.sys(p.tid, SYS.get_robust_list, 0, out, out + 8)).toBe(0);
    expect([getU32(p, out), getU32(p, out + 8)]).toEqual([0x7000, 24]);
    expect(w.sys(p.tid, SYS.get_robust_list, 99999, out, out + 8)).toBe(-Errno.ESRCH);
    const other = w.spawn(2000);
    expect(w.sys(p.tid, SYS.get_robust_list, other.tid, out, out + 8)).toBe(-Errno.EPERM);
  });

  it('a dead owner of a robust mutex in shared memory leaves FUTEX_OWNER_DIED and wakes a waiter', () => {
    const w = signalWorld();
    const owner = w.spawn(0);
    const shm = mapSegment(w, owner, 0);
    const waiterTask = w.spawn(0);
    const shmB = mapSegment(w, waiterTask, 2);
    // the robust list head lives in the owner's private memory, the mutex in shared memory
    const head = w.sys(owner.tid, SYS.mmap, 0, K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    const entry = shm + 0x40; // struct robust_list at the mutex start; the lock word at +8
    const word = (v: number) => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setUint32(0, v >>> 0, true);
      new DataView(b.buffer).setUint32(4, Math.floor(v / 2 ** 32), true);
      return b;
    };
    putBytes(owner, head, word(entry));
    putBytes(owner, head + 8, word(8));
    putBytes(owner, head + 16, word(0));
    putBytes(owner, entry, word(head));
    putU32(owner, entry + 8, owner.tid | FUTEX_WAITERS);
    expect(w.sys(owner.tid, SYS.set_robust_list, head, 24)).toBe(0);
    const wait = asBlock(w.call(waiterTask.tid, SYS.futex, shmB + 0x48, FUTEX.FUTEX_WAIT, (owner.tid | FUTEX_WAITERS) >>> 0, 0, 0, 0));
    w.sys(owner.tid, SYS.exit_group, 0);
    expect(getU32(waiterTask, shmB + 0x48)).toBe((FUTEX_WAITERS | FUTEX_OWNER_DIED) >>> 0);
    expect(wait.retry()).toBe(0);
  });

  it('CLONE_CHILD_CLEARTID: a thread\'s exit stores 0 at its tid word and wakes the joiner', () => {
    const w = signalWorld();
    const p = w.spawn();
    const mem = w.sys(p.tid, SYS.mmap, 0, K, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    const flags = CLONE.CLONE_VM | CLONE.CLONE_FS | CLONE.CLONE_FILES | CLONE.CLONE_SIGHAND | CLONE.CLONE_THREAD |
      CLONE.CLONE_CHILD_CLEARTID | CLONE.CLONE_PARENT_SETTID;
    const tid = w.sys(p.tid, SYS.clone, flags, 0, mem, mem, 0);
    expect(tid).toBeGreaterThan(0);
    expect(getU32(p, mem)).toBe(tid);
    const join = asBlock(w.call(p.tid, SYS.futex, mem, FUTEX.FUTEX_WAIT, tid, 0, 0, 0));
    w.sys(tid, SYS.exit, 0);
    expect(getU32(p, mem)).toBe(0);
    expect(join.retry()).toBe(0);
  });
});
