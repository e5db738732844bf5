/**
 * @tskern/futex — Linux futexes with no knowledge of tasks or memory
 * managers: the waiter table keyed by `FutexKey`, wait/wake with bitsets,
 * requeue, wake-op, and the robust-list walk at exit. User memory is reached
 * through `FutexUserMemory`, which the syscall layer implements. See README.md.
 */
export {
  FUTEX, FUTEX_CMD_MASK, FUTEX_BITSET_MATCH_ANY, FUTEX_WAITERS, FUTEX_OWNER_DIED, FUTEX_TID_MASK,
  ROBUST_LIST_LIMIT, ROBUST_LIST_HEAD_SIZE, type FutexOpWord, decodeFutexOp, clockRealtimeAllowed,
} from './futex-constants';
export { type FutexKey, privateFutexKey, sharedFutexKey, sameFutexKey } from './futex-key';
export { type FutexUserMemory, type RobustListMemory } from './futex-memory';
export { FutexWaiter, type FutexWaitState, type FutexWakeReason } from './futex-waiter';
export { FutexTable } from './futex-table';
export { futexWait, futexCheckValue } from './futex-wait';
export {
  FUTEX_OP, type WakeOpWord, encodeWakeOp, decodeWakeOp, futexAtomicOp, futexWakeOp,
} from './wake-op';
export { type RobustListWalk, exitRobustList } from './robust-list';
