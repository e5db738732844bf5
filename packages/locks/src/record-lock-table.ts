import { Errno, LOCK_TYPE, OFFSET_MAX } from '@tskern/abi';
import { checkInvariants, invariant } from '@tskern/assert';
import type { LockOwner } from './lock-owner';
import { applyToOwner } from './owner-ranges';
import { LockWaiter, type LockCompletion, type PendingLock } from './pending-lock';
import { rangesOverlap, recordLocksConflict, validLockRange, type RecordLock, type RecordLockRequest } from './record-lock';

/** As fs/locks.c MAX_DEADLK_ITERATIONS: how far the deadlock detector follows a chain of waiters. */
const MAX_DEADLOCK_ITERATIONS = 10;

class RecordWaiter extends LockWaiter<RecordLock> {
  constructor(
    readonly inode: InodeRecordLocks,
    readonly request: RecordLockRequest,
    blocker: RecordLock,
    onDone: LockCompletion,
    withdraw: (waiter: LockWaiter<RecordLock>) => void,
  ) {
    super(blocker, onDone, withdraw);
  }
}

/** The record locks of one inode (Linux's file_lock_context flc_posix) and the requests waiting on them. */
class InodeRecordLocks {
  /**
   * In Linux's list order: each owner's locks together, sorted by start, the
   * owners in the order they first locked (F_GETLK reports the first conflict).
   */
  locks: RecordLock[] = [];
  /** Waiting requests, oldest first: woken and re-checked in this order. */
  waiters: RecordWaiter[] = [];
}

/**
 * POSIX record locks (F_SETLK, F_SETLKW, F_GETLK) and open-file-description
 * locks (the F_OFD_* forms) of every inode, as fs/locks.c: one table per
 * kernel, because deadlock detection follows waiters across files. Requests
 * arrive with byte ranges already resolved; inodes are any objects compared
 * by identity.
 */
export class RecordLockTable {
  private readonly inodes = new WeakMap<object, InodeRecordLocks>();
  /** Waiting requests of process (non-OFD) owners: Linux's blocked_hash. */
  private readonly blocked = new Map<LockOwner, RecordWaiter[]>();

  /** The locks held on `inode`, in Linux's list order. */
  locksOf(inode: object): readonly RecordLock[] {
    return this.inodes.get(inode)?.locks ?? [];
  }

  /** How many requests wait on `inode`. */
  waitersOf(inode: object): number {
    return this.inodes.get(inode)?.waiters.length ?? 0;
  }

  /**
   * F_GETLK / F_OFD_GETLK: the first held lock that would conflict with
   * `request` (as posix_test_lock), or undefined if it could be placed. An
   * F_UNLCK request (F_OFD_GETLK allows it) finds the first lock of the same
   * owner over the range instead (posix_test_locks_conflict).
   */
  test(inode: object, request: RecordLockRequest): RecordLock | undefined {
    this.checkRange(request);
    const locks = this.inodes.get(inode)?.locks;
    if (request.type === LOCK_TYPE.F_UNLCK) return locks?.find((lock) => lock.owner === request.owner && rangesOverlap(lock, request));
    return locks?.find((lock) => recordLocksConflict(request, lock));
  }

  /** F_SETLK / F_OFD_SETLK: places or releases the lock; -EAGAIN if another owner's lock conflicts. */
  set(inode: object, request: RecordLockRequest): number {
    this.checkRange(request);
    const state = this.state(inode);
    if (state.locks.some((lock) => recordLocksConflict(request, lock))) return -Errno.EAGAIN;
    this.runCompletions(this.commit(state, request));
    return 0;
  }

  /**
   * F_SETLKW / F_OFD_SETLKW: 0 when placed at once, -EDEADLK when waiting
   * would close a cycle of process owners waiting on each other (as
   * posix_locks_deadlock; OFD requests are never checked), else a pending
   * request that `onDone` reports on.
   */
  setWait(inode: object, request: RecordLockRequest, onDone: LockCompletion): number | PendingLock<RecordLock> {
    this.checkRange(request);
    const state = this.state(inode);
    const conflict = state.locks.find((lock) => recordLocksConflict(request, lock));
    if (!conflict) {
      this.runCompletions(this.commit(state, request));
      return 0;
    }
    if (this.wouldDeadlock(request.owner, conflict)) return -Errno.EDEADLK;
    const waiter = new RecordWaiter(state, request, conflict, onDone, (w) => this.withdraw(w as RecordWaiter));
    state.waiters.push(waiter);
    this.block(waiter);
    return waiter;
  }

  /**
   * Releases every lock `owner` holds on `inode`: a process closing any fd of
   * the file (the POSIX rule, locks_remove_posix), a process exiting, or the
   * last close of an open file description for its OFD locks.
   */
  release(inode: object, owner: LockOwner): void {
    const state = this.inodes.get(inode);
    if (!state || !state.locks.some((lock) => lock.owner === owner)) return;
    this.runCompletions(this.commit(state, { owner, type: LOCK_TYPE.F_UNLCK, start: 0n, end: OFFSET_MAX }));
  }

  private state(inode: object): InodeRecordLocks {
    let state = this.inodes.get(inode);
    if (!state) {
      state = new InodeRecordLocks();
      this.inodes.set(inode, state);
    }
    return state;
  }

  private checkRange(request: RecordLockRequest): void {
    invariant(validLockRange(request.start, request.end), () => `bad lock range [${request.start}, ${request.end}]`);
  }

  /**
   * Applies a request that has no conflict, then wakes the waiters whose
   * blocker changed or went, oldest first; each retries as a woken
   * F_SETLKW does (granted, blocked again, or EDEADLK). Returns the waiters
   * that completed, to be told once the table is consistent.
   */
  private commit(state: InodeRecordLocks, request: RecordLockRequest): RecordWaiter[] {
    this.place(state, request);
    const completed: RecordWaiter[] = [];
    for (;;) {
      const woken = state.waiters.find((w) => !state.locks.includes(w.blocker));
      if (!woken) break;
      this.unblock(woken);
      const conflict = state.locks.find((lock) => recordLocksConflict(woken.request, lock));
      if (!conflict) {
        state.waiters.splice(state.waiters.indexOf(woken), 1);
        this.place(state, woken.request);
        woken.complete(0);
        completed.push(woken);
      } else if (this.wouldDeadlock(woken.request.owner, conflict)) {
        state.waiters.splice(state.waiters.indexOf(woken), 1);
        woken.complete(-Errno.EDEADLK);
        completed.push(woken);
      } else {
        woken.blocker = conflict;
        this.block(woken);
      }
    }
    checkInvariants(() => this.check(state));
    return completed;
  }

  /** Replaces the owner's locks with their state after `request`, keeping Linux's list order. */
  private place(state: InodeRecordLocks, request: RecordLockRequest): void {
    const owner = request.owner;
    const first = state.locks.findIndex((lock) => lock.owner === owner);
    const held = state.locks.filter((lock) => lock.owner === owner);
    const next = applyToOwner(held, request);
    const others = state.locks.filter((lock) => lock.owner !== owner);
    // An owner that holds locks keeps its place in the list; a new one goes last.
    const at = first < 0 ? others.length : first;
    state.locks = [...others.slice(0, at), ...next, ...others.slice(at)];
  }

  /**
   * Whether `owner` waiting behind `blocker` closes a cycle, as
   * posix_locks_deadlock: follow what the blocker's owner waits for, and
   * what that lock's owner waits for, up to MAX_DEADLOCK_ITERATIONS steps.
   */
  private wouldDeadlock(owner: LockOwner, blocker: RecordLock): boolean {
    if (owner.ofd) return false;
    let lock = blocker;
    for (let i = 0; ; i++) {
      const waiting = this.blocked.get(lock.owner)?.[0];
      if (!waiting) return false;
      if (i > MAX_DEADLOCK_ITERATIONS) return false;
      lock = waiting.blocker;
      if (lock.owner === owner) return true;
    }
  }

  private block(waiter: RecordWaiter): void {
    const owner = waiter.request.owner;
    if (owner.ofd) return;
    const list = this.blocked.get(owner);
    if (list) list.push(waiter);
    else this.blocked.set(owner, [waiter]);
  }

  private unblock(waiter: RecordWaiter): void {
    const owner = waiter.request.owner;
    const list = this.blocked.get(owner);
    if (!list) return;
    const i = list.indexOf(waiter);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.blocked.delete(owner);
  }

  private withdraw(waiter: RecordWaiter): void {
    const state = waiter.inode;
    const i = state.waiters.indexOf(waiter);
    if (i >= 0) state.waiters.splice(i, 1);
    this.unblock(waiter);
  }

  private runCompletions(completed: RecordWaiter[]): void {
    for (const waiter of completed) waiter.notify();
  }

  private check(state: InodeRecordLocks): void {
    const seen = new Set<LockOwner>();
    let previous: RecordLock | undefined;
    for (const lock of state.locks) {
      invariant(validLockRange(lock.start, lock.end), 'held lock range is valid');
      if (!previous || previous.owner !== lock.owner) {
        invariant(!seen.has(lock.owner), "an owner's locks are together in the list");
        seen.add(lock.owner);
      } else {
        invariant(previous.end < lock.start, "an owner's locks are sorted and disjoint");
        invariant(previous.type !== lock.type || previous.end < lock.start - 1n, 'touching locks of one type are merged');
      }
      previous = lock;
    }
    for (const waiter of state.waiters) {
      invariant(state.locks.includes(waiter.blocker), 'a waiter waits behind a held lock');
      invariant(recordLocksConflict(waiter.request, waiter.blocker), 'a waiter conflicts with its blocker');
    }
  }
}
