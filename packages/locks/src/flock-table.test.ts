import { Errno, LOCK_TYPE } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { FlockTable } from './flock-table';
import type { PendingLock } from './pending-lock';
import { processLockOwner } from './lock-owner';
import { RecordLockTable } from './record-lock-table';

const { F_RDLCK: SH, F_WRLCK: EX, F_UNLCK: UN } = LOCK_TYPE;

function pending(result: number | PendingLock): PendingLock {
  if (typeof result === 'number') throw new Error(`expected a pending request, got ${result}`);
  return result;
}

describe('FlockTable (flock_lock_inode)', () => {
  it('shares LOCK_SH, excludes LOCK_EX with EWOULDBLOCK under LOCK_NB', () => {
    const t = new FlockTable();
    const inode = {};
    const [d1, d2, d3] = [{}, {}, {}];
    expect(t.lock(inode, d1, SH)).toBe(0);
    expect(t.lock(inode, d2, SH)).toBe(0);
    expect(t.lock(inode, d3, EX)).toBe(-Errno.EAGAIN);
    // A description's own lock never conflicts with a request of the same description.
    expect(t.lock(inode, d1, SH)).toBe(0);
    expect(t.locksOf(inode)).toHaveLength(2);
  });

  it('a failed LOCK_NB conversion loses the old lock, as Linux', () => {
    const t = new FlockTable();
    const inode = {};
    const [d1, d2] = [{}, {}];
    t.lock(inode, d1, SH);
    t.lock(inode, d2, SH);
    expect(t.lock(inode, d1, EX)).toBe(-Errno.EAGAIN);
    expect(t.locksOf(inode).map((l) => l.description)).toEqual([d2]);
  });

  it('waiters are granted in order when locks go; a conversion wakes the old lock\'s waiters', () => {
    const t = new FlockTable();
    const inode = {};
    const [d1, d2, d3] = [{}, {}, {}];
    const done: string[] = [];
    t.lock(inode, d1, EX);
    const p2 = pending(t.lock(inode, d2, SH, (r) => done.push(`d2:${r}`)));
    const p3 = pending(t.lock(inode, d3, SH, (r) => done.push(`d3:${r}`)));
    t.lock(inode, d1, SH); // downgrade: drop EX, take SH; readers come in
    expect(done).toEqual(['d2:0', 'd3:0']);
    expect(p2.result).toBe(0);
    expect(p3.result).toBe(0);
    const p1 = pending(t.lock(inode, d1, EX, (r) => done.push(`d1:${r}`)));
    t.lock(inode, d2, UN);
    expect(p1.result).toBeUndefined();
    t.release(inode, d3);
    expect(done).toEqual(['d2:0', 'd3:0', 'd1:0']);
  });

  it('a cancelled flock waiter is never granted; flock and POSIX locks are independent', () => {
    const t = new FlockTable();
    const records = new RecordLockTable();
    const inode = {};
    const [d1, d2] = [{}, {}];
    t.lock(inode, d1, EX);
    let called = false;
    pending(t.lock(inode, d2, EX, () => (called = true))).cancel();
    t.release(inode, d1);
    expect(called).toBe(false);
    expect(t.locksOf(inode)).toEqual([]);
    t.lock(inode, d1, EX);
    expect(records.set(inode, { owner: processLockOwner(1), type: EX, start: 0n, end: 10n })).toBe(0);
  });
});
