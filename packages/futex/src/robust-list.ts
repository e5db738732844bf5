import { FUTEX_OWNER_DIED, FUTEX_TID_MASK, FUTEX_WAITERS, ROBUST_LIST_LIMIT } from './futex-constants';
import type { FutexKey } from './futex-key';
import type { RobustListMemory } from './futex-memory';
import type { FutexTable } from './futex-table';

/** What the exit walk did (for tests and tracing). */
export interface RobustListWalk {
  /** List entries visited (at most ROBUST_LIST_LIMIT), plus the pending one. */
  readonly visited: number;
  /** Lock words marked FUTEX_OWNER_DIED. */
  readonly ownerDied: number;
  /** Waiters woken. */
  readonly woken: number;
}

/** Bit 0 of a robust-list pointer marks a PI futex (fetch_robust_entry). */
const PI_BIT = 1;

/**
 * The robust-futex cleanup of an exiting thread (kernel/futex/core.c
 * exit_robust_list): walk the list at `head` (robust_list_head: list.next at
 * 0, futex_offset at 8, list_op_pending at 16), and for each entry's lock
 * word at entry + futex_offset owned by `tid`, set FUTEX_OWNER_DIED (keeping
 * FUTEX_WAITERS) and wake one waiter if FUTEX_WAITERS was set; then the
 * pending entry, where a word of 0 means the lock was being taken and a
 * waiter is woken to retry. The walk stops at a fault, at the head, or after
 * ROBUST_LIST_LIMIT entries (a circular list cannot hang the exit). `keyOf`
 * answers the futex key of an address as a shared futex (Linux wakes with
 * FLAGS_SHARED, which is the private key for private memory), or a negative
 * errno to skip the wake. PI futexes are marked but not woken here (tskern
 * has no PI futexes).
 */
export function exitRobustList(
  memory: RobustListMemory,
  head: number,
  tid: number,
  table: FutexTable,
  keyOf: (addr: number) => FutexKey | number,
): RobustListWalk {
  const result = { visited: 0, ownerDied: 0, woken: 0 };
  const first = memory.readWord(head);
  if (first === null) return result;
  const futexOffset = memory.readWord(head + 8);
  if (futexOffset === null) return result;
  const pendingRaw = memory.readWord(head + 16);
  if (pendingRaw === null) return result;
  const pending = pendingRaw - (pendingRaw & PI_BIT);
  const pendingPi = (pendingRaw & PI_BIT) !== 0;

  let entry = first - (first & PI_BIT);
  let pi = (first & PI_BIT) !== 0;
  let limit = ROBUST_LIST_LIMIT;
  while (entry !== head) {
    const nextRaw = memory.readWord(entry);
    result.visited++;
    if (entry !== pending && !handleFutexDeath(memory, entry + futexOffset, tid, pi, false, table, keyOf, result)) {
      return result;
    }
    if (nextRaw === null) return result;
    entry = nextRaw - (nextRaw & PI_BIT);
    pi = (nextRaw & PI_BIT) !== 0;
    if (--limit === 0) break;
  }
  if (pending !== 0) {
    result.visited++;
    handleFutexDeath(memory, pending + futexOffset, tid, pendingPi, true, table, keyOf, result);
  }
  return result;
}

/** handle_futex_death: false when the walk must stop (misaligned or faulting word). */
function handleFutexDeath(
  memory: RobustListMemory,
  addr: number,
  tid: number,
  pi: boolean,
  pendingOp: boolean,
  table: FutexTable,
  keyOf: (addr: number) => FutexKey | number,
  result: { ownerDied: number; woken: number },
): boolean {
  if (addr % 4 !== 0) return false;
  const wakeOne = (): void => {
    const key = keyOf(addr);
    if (typeof key !== 'number') result.woken += table.wake(key, 1);
  };
  for (;;) {
    const uval = memory.readU32(addr);
    if (uval < 0) return false;
    // The owner died between taking the pending lock's slot and the store:
    // wake a waiter so it can try for the lock again.
    if (pendingOp && !pi && uval === 0) {
      wakeOne();
      return true;
    }
    if ((uval & FUTEX_TID_MASK) !== tid) return true;
    const mval = ((uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0;
    const seen = memory.cmpxchgU32(addr, uval, mval);
    if (seen < 0) return false;
    if (seen !== uval) continue; // the word changed under us: look again
    result.ownerDied++;
    if (!pi && (uval & FUTEX_WAITERS) !== 0) wakeOne();
    return true;
  }
}
