import { Errno, LOCK_TYPE, OFFSET_MAX } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { descriptionLockOwner, processLockOwner, reportedPid } from './lock-owner';
import type { PendingLock } from './pending-lock';
import type { RecordLock } from './record-lock';
import { RecordLockTable } from './record-lock-table';

const { F_RDLCK: R, F_WRLCK: W, F_UNLCK: U } = LOCK_TYPE;
const inode = {};

function ranges(table: RecordLockTable, node: object = inode): string[] {
  return table.locksOf(node).map((l) => `${l.owner.pid}:${l.type === R ? 'R' : 'W'}[${l.start},${l.end}]`);
}

function pending(result: number | PendingLock<RecordLock>): PendingLock<RecordLock> {
  if (typeof result === 'number') throw new Error(`expected a pending request, got ${result}`);
  return result;
}

describe('RecordLockTable placing and splitting (posix_lock_inode)', () => {
  it('merges touching locks of one type and splits around a different type', () => {
    const t = new RecordLockTable();
    const a = processLockOwner(10);
    expect(t.set(inode, { owner: a, type: R, start: 0n, end: 9n })).toBe(0);
    expect(t.set(inode, { owner: a, type: R, start: 10n, end: 19n })).toBe(0);
    expect(ranges(t)).toEqual(['10:R[0,19]']);
    expect(t.set(inode, { owner: a, type: W, start: 5n, end: 7n })).toBe(0);
    expect(ranges(t)).toEqual(['10:R[0,4]', '10:W[5,7]', '10:R[8,19]']);
    expect(t.set(inode, { owner: a, type: U, start: 3n, end: 9n })).toBe(0);
    expect(ranges(t)).toEqual(['10:R[0,2]', '10:R[10,19]']);
    expect(t.set(inode, { owner: a, type: R, start: 3n, end: 9n })).toBe(0);
    expect(ranges(t)).toEqual(['10:R[0,19]']);
  });

  it('handles locks to OFFSET_MAX (l_len 0) without passing it', () => {
    const t = new RecordLockTable();
    const a = processLockOwner(1);
    t.set(inode, { owner: a, type: W, start: 100n, end: OFFSET_MAX });
    t.set(inode, { owner: a, type: U, start: 200n, end: 299n });
    expect(ranges(t)).toEqual([`1:W[100,199]`, `1:W[300,${OFFSET_MAX}]`]);
    t.set(inode, { owner: a, type: W, start: 0n, end: OFFSET_MAX });
    expect(ranges(t)).toEqual([`1:W[0,${OFFSET_MAX}]`]);
  });

  it('keeps owners grouped in the order they first locked', () => {
    const t = new RecordLockTable();
    const a = processLockOwner(1);
    const b = processLockOwner(2);
    t.set(inode, { owner: a, type: R, start: 50n, end: 59n });
    t.set(inode, { owner: b, type: R, start: 0n, end: 9n });
    t.set(inode, { owner: a, type: R, start: 0n, end: 9n });
    expect(ranges(t)).toEqual(['1:R[0,9]', '1:R[50,59]', '2:R[0,9]']);
    // F_GETLK reports the first conflict in that order.
    const c = processLockOwner(3);
    expect(t.test(inode, { owner: c, type: W, start: 0n, end: 0n })?.owner).toBe(a);
  });
});

describe('RecordLockTable conflicts', () => {
  it('F_SETLK fails with EAGAIN on a conflicting lock of another owner, never on its own', () => {
    const t = new RecordLockTable();
    const a = processLockOwner(1);
    const b = processLockOwner(2);
    t.set(inode, { owner: a, type: R, start: 0n, end: 9n });
    expect(t.set(inode, { owner: b, type: R, start: 5n, end: 15n })).toBe(0);
    expect(t.set(inode, { owner: b, type: W, start: 9n, end: 9n })).toBe(-Errno.EAGAIN);
    expect(t.set(inode, { owner: b, type: W, start: 10n, end: 15n })).toBe(0);
    expect(t.set(inode, { owner: a, type: W, start: 0n, end: 4n })).toBe(0);
    expect(t.set(inode, { owner: b, type: U, start: 0n, end: OFFSET_MAX })).toBe(0);
    expect(ranges(t)).toEqual(['1:W[0,4]', '1:R[5,9]']);
  });

  it('an OFD lock conflicts with a POSIX lock of the same process and reports pid -1', () => {
    const t = new RecordLockTable();
    const posix = processLockOwner(7);
    const ofd = descriptionLockOwner(7);
    expect(t.set(inode, { owner: ofd, type: W, start: 0n, end: 0n })).toBe(0);
    expect(t.set(inode, { owner: posix, type: R, start: 0n, end: 0n })).toBe(-Errno.EAGAIN);
    const found = t.test(inode, { owner: posix, type: R, start: 0n, end: 10n });
    expect(found && reportedPid(found.owner)).toBe(-1);
    expect(t.test(inode, { owner: ofd, type: W, start: 0n, end: 10n })).toBeUndefined();
  });

  it('locks on different inodes are independent', () => {
    const t = new RecordLockTable();
    const other = {};
    t.set(inode, { owner: processLockOwner(1), type: W, start: 0n, end: 0n });
    expect(t.set(other, { owner: processLockOwner(2), type: W, start: 0n, end: 0n })).toBe(0);
  });
});

describe('RecordLockTable waiting (F_SETLKW)', () => {
  it('grants waiters in order when the blocker goes, and re-blocks those that still conflict', () => {
    const t = new RecordLockTable();
    const a = processLockOwner(1);
    const b = processLockOwner(2);
    const c = processLockOwner(3);
    const done: string[] = [];
    t.set(inode, { owner: a, type: W, start: 0n, end: 9n });
    const pb = pending(t.setWait(inode, { owner: b, type: W, start: 0n, end: 0n }, (r) => done.push(`b${r}`)));
    const pc = pending(t.setWait(inode, { owner: c, type: R, start: 0n, end: 0n }, (r) => done.push(`c${r}`)));
    expect(t.waitersOf(inode)).toBe(2);
    t.release(inode, a);
    expect(done).toEqual(['b0']);
    expect(pb.result).toBe(0);
    expect(pc.result).toBeUndefined();
    expect(pc.blocker).toBe(t.locksOf(inode)[0]);
    t.set(inode, { owner: b, type: U, start: 0n, end: 0n });
    expect(done).toEqual(['b0', 'c0']);
    expect(ranges(t)).toEqual(['3:R[0,0]']);
  });

  it('wakes waiters of a lock that shrank', () => {
    const t = new RecordLockTable();
    const a = processLockOwner(1);
    const b = processLockOwner(2);
    t.set(inode, { owner: a, type: W, start: 0n, end: 9n });
    const p = pending(t.setWait(inode, { owner: b, type: W, start: 8n, end: 8n }, () => {}));
    t.set(inode, { owner: a, type: U, start: 5n, end: 9n });
    expect(p.result).toBe(0);
    // A downgrade to a read lock lets readers in.
    t.set(inode, { owner: a, type: W, start: 0n, end: 4n });
    const q = pending(t.setWait(inode, { owner: b, type: R, start: 0n, end: 0n }, () => {}));
    t.set(inode, { owner: a, type: R, start: 0n, end: 4n });
    expect(q.result).toBe(0);
  });

  it('a cancelled request (a signal) is never granted', () => {
    const t = new RecordLockTable();
    const a = processLockOwner(1);
    const b = processLockOwner(2);
    let called = false;
    t.set(inode, { owner: a, type: W, start: 0n, end: 0n });
    const p = pending(t.setWait(inode, { owner: b, type: W, start: 0n, end: 0n }, () => (called = true)));
    p.cancel();
    t.release(inode, a);
    expect(called).toBe(false);
    expect(t.locksOf(inode)).toEqual([]);
    expect(t.waitersOf(inode)).toBe(0);
  });

  it('detects EDEADLK across two files (posix_locks_deadlock)', () => {
    const t = new RecordLockTable();
    const f1 = {};
    const f2 = {};
    const a = processLockOwner(1);
    const b = processLockOwner(2);
    t.set(f1, { owner: a, type: W, start: 0n, end: 0n });
    t.set(f2, { owner: b, type: W, start: 0n, end: 0n });
    pending(t.setWait(f2, { owner: a, type: W, start: 0n, end: 0n }, () => {}));
    expect(t.setWait(f1, { owner: b, type: W, start: 0n, end: 0n }, () => {})).toBe(-Errno.EDEADLK);
  });

  it('detects a cycle of three processes', () => {
    const t = new RecordLockTable();
    const [a, b, c] = [1, 2, 3].map(processLockOwner) as [ReturnType<typeof processLockOwner>, ReturnType<typeof processLockOwner>, ReturnType<typeof processLockOwner>];
    t.set(inode, { owner: a, type: W, start: 0n, end: 0n });
    t.set(inode, { owner: b, type: W, start: 1n, end: 1n });
    t.set(inode, { owner: c, type: W, start: 2n, end: 2n });
    pending(t.setWait(inode, { owner: a, type: W, start: 1n, end: 1n }, () => {}));
    pending(t.setWait(inode, { owner: b, type: W, start: 2n, end: 2n }, () => {}));
    expect(t.setWait(inode, { owner: c, type: W, start: 0n, end: 0n }, () => {})).toBe(-Errno.EDEADLK);
  });

  it('OFD requests never report EDEADLK: they wait', () => {
    const t = new RecordLockTable();
    const a = descriptionLockOwner(1);
    const b = descriptionLockOwner(2);
    t.set(inode, { owner: a, type: W, start: 0n, end: 0n });
    t.set(inode, { owner: b, type: W, start: 1n, end: 1n });
    pending(t.setWait(inode, { owner: a, type: W, start: 1n, end: 1n }, () => {}));
    expect(typeof t.setWait(inode, { owner: b, type: W, start: 0n, end: 0n }, () => {})).toBe('object');
  });

  it('a woken waiter that would now deadlock completes with EDEADLK', () => {
    const t = new RecordLockTable();
    const a = processLockOwner(1);
    const b = processLockOwner(2);
    const c = processLockOwner(3);
    t.set(inode, { owner: c, type: W, start: 0n, end: 0n });
    t.set(inode, { owner: b, type: W, start: 1n, end: 1n });
    t.set(inode, { owner: a, type: W, start: 5n, end: 5n });
    const results: number[] = [];
    const pa = pending(t.setWait(inode, { owner: a, type: W, start: 0n, end: 1n }, (r) => results.push(r)));
    expect(pa.blocker.owner).toBe(c);
    // b waits behind a, who waits behind c: no cycle yet.
    const pb = pending(t.setWait(inode, { owner: b, type: W, start: 5n, end: 5n }, () => {}));
    t.release(inode, c);
    // a retries, now behind b's lock while b waits for a: the retry fails.
    expect(results).toEqual([-Errno.EDEADLK]);
    expect(pb.result).toBeUndefined();
    t.release(inode, a);
    expect(pb.result).toBe(0);
  });
});

describe('RecordLockTable F_OFD_GETLK with F_UNLCK', () => {
  it("reports the owner's own lock over the range", () => {
    const t = new RecordLockTable();
    const ofd = descriptionLockOwner(1);
    t.set(inode, { owner: ofd, type: W, start: 10n, end: 19n });
    expect(t.test(inode, { owner: ofd, type: U, start: 0n, end: 9n })).toBeUndefined();
    expect(t.test(inode, { owner: ofd, type: U, start: 0n, end: 10n })?.start).toBe(10n);
    expect(t.test(inode, { owner: descriptionLockOwner(2), type: U, start: 0n, end: 10n })).toBeUndefined();
  });
});
