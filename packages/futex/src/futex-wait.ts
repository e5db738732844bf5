import { Errno } from '@tskern/abi';
import type { FutexKey } from './futex-key';
import type { FutexUserMemory } from './futex-memory';
import type { FutexTable } from './futex-table';
import type { FutexWaiter, FutexWakeReason } from './futex-waiter';

/**
 * The start of FUTEX_WAIT / FUTEX_WAIT_BITSET (futex_wait_setup): read the
 * word at `addr`; EFAULT when it cannot be read, EAGAIN when it is not
 * `expected` (the wake already happened), EINVAL for an empty bitset;
 * otherwise the task is queued on `key` and the caller blocks until the
 * waiter leaves (`state` says why: woken -> 0, timedout -> ETIMEDOUT,
 * cancelled -> EINTR or a restart). The check and the queueing are one step:
 * no other task runs in between.
 */
export function futexWait(
  table: FutexTable,
  memory: FutexUserMemory,
  key: FutexKey,
  addr: number,
  expected: number,
  bitset: number,
  onLeave: ((waiter: FutexWaiter, reason: FutexWakeReason) => void) | null = null,
): FutexWaiter | number {
  if ((bitset >>> 0) === 0) return -Errno.EINVAL;
  const value = memory.readU32(addr);
  if (value < 0) return value;
  if (value !== expected >>> 0) return -Errno.EAGAIN;
  return table.wait(key, bitset, onLeave);
}

/**
 * The value check of FUTEX_CMP_REQUEUE before `FutexTable.requeue`: 0 when
 * the word at `addr` is `expected`, EAGAIN when not, EFAULT when unreadable.
 */
export function futexCheckValue(memory: FutexUserMemory, addr: number, expected: number): number {
  const value = memory.readU32(addr);
  if (value < 0) return value;
  return value === expected >>> 0 ? 0 : -Errno.EAGAIN;
}
