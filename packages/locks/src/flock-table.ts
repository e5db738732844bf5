import { Errno, LOCK_TYPE } from '@tskern/abi';
import { checkInvariants, invariant } from '@tskern/assert';
import { LockWaiter, type LockCompletion, type PendingLock } from './pending-lock';
import type { HeldLockType, RecordLockType } from './record-lock';

/**
 * One flock(2) lock: held by an open file description (any object compared
 * by identity), shared (F_RDLCK, LOCK_SH) or exclusive (F_WRLCK, LOCK_EX).
 */
export interface FlockLock {
  readonly description: object;
  readonly type: HeldLockType;
}

class FlockWaiter extends LockWaiter<FlockLock> {
  constructor(
    readonly inode: InodeFlocks,
    readonly description: object,
    readonly type: HeldLockType,
    blocker: FlockLock,
    onDone: LockCompletion,
    withdraw: (waiter: LockWaiter<FlockLock>) => void,
  ) {
    super(blocker, onDone, withdraw);
  }
}

class InodeFlocks {
  locks: FlockLock[] = [];
  waiters: FlockWaiter[] = [];
}

/** As fs/locks.c flock_locks_conflict: another description's lock, and one of the two exclusive. */
function flocksConflict(description: object, type: HeldLockType, lock: FlockLock): boolean {
  if (lock.description === description) return false;
  return type === LOCK_TYPE.F_WRLCK || lock.type === LOCK_TYPE.F_WRLCK;
}

/**
 * flock(2) locks of every inode, as fs/locks.c flock_lock_inode: whole-file
 * locks owned by open file descriptions, independent of POSIX record locks
 * (Linux keeps them on a separate list and they never conflict with each
 * other). No deadlock detection, as Linux.
 */
export class FlockTable {
  private readonly inodes = new WeakMap<object, InodeFlocks>();

  /** The flock locks held on `inode`, oldest first. */
  locksOf(inode: object): readonly FlockLock[] {
    return this.inodes.get(inode)?.locks ?? [];
  }

  /** How many flock requests wait on `inode`. */
  waitersOf(inode: object): number {
    return this.inodes.get(inode)?.waiters.length ?? 0;
  }

  /**
   * flock(fd, op) for the description: `type` F_RDLCK (LOCK_SH), F_WRLCK
   * (LOCK_EX) or F_UNLCK (LOCK_UN). A conversion first drops the
   * description's lock (waking its waiters) and then asks for the new one, so
   * a failed LOCK_NB conversion leaves no lock, as Linux. Returns 0, -EAGAIN
   * (EWOULDBLOCK) when `onDone` is absent (LOCK_NB) and another description
   * holds a conflicting lock, else a pending request.
   */
  lock(inode: object, description: object, type: RecordLockType, onDone?: LockCompletion): number | PendingLock<FlockLock> {
    const state = this.state(inode);
    const own = state.locks.find((l) => l.description === description);
    if (own && own.type === type) return 0;
    if (own) state.locks.splice(state.locks.indexOf(own), 1);
    if (type === LOCK_TYPE.F_UNLCK) {
      this.wake(state);
      return 0;
    }
    const conflict = state.locks.find((l) => flocksConflict(description, type, l));
    let result: number | PendingLock<FlockLock> = 0;
    if (!conflict) {
      state.locks.push({ description, type });
    } else if (!onDone) {
      result = -Errno.EAGAIN;
    } else {
      const waiter = new FlockWaiter(state, description, type, conflict, onDone, (w) => this.withdraw(w as FlockWaiter));
      state.waiters.push(waiter);
      result = waiter;
    }
    if (own) this.wake(state);
    return result;
  }

  /** Drops the description's flock lock: its last close (locks_remove_flock). */
  release(inode: object, description: object): void {
    const state = this.inodes.get(inode);
    if (!state) return;
    const own = state.locks.findIndex((l) => l.description === description);
    if (own < 0) return;
    state.locks.splice(own, 1);
    this.wake(state);
  }

  private state(inode: object): InodeFlocks {
    let state = this.inodes.get(inode);
    if (!state) {
      state = new InodeFlocks();
      this.inodes.set(inode, state);
    }
    return state;
  }

  /** Retries, oldest first, every waiter whose blocker went: granted or waiting behind another lock. */
  private wake(state: InodeFlocks): void {
    const completed: FlockWaiter[] = [];
    for (;;) {
      const woken = state.waiters.find((w) => !state.locks.includes(w.blocker));
      if (!woken) break;
      const conflict = state.locks.find((l) => flocksConflict(woken.description, woken.type, l));
      if (conflict) {
        woken.blocker = conflict;
        continue;
      }
      state.waiters.splice(state.waiters.indexOf(woken), 1);
      state.locks.push({ description: woken.description, type: woken.type });
      woken.complete(0);
      completed.push(woken);
    }
    checkInvariants(() => {
      const exclusive = state.locks.filter((l) => l.type === LOCK_TYPE.F_WRLCK);
      invariant(exclusive.length === 0 || state.locks.length === 1, 'an exclusive flock is alone');
      invariant(new Set(state.locks.map((l) => l.description)).size === state.locks.length, 'one flock per description');
    });
    for (const waiter of completed) waiter.notify();
  }

  private withdraw(waiter: FlockWaiter): void {
    const i = waiter.inode.waiters.indexOf(waiter);
    if (i >= 0) waiter.inode.waiters.splice(i, 1);
  }
}
