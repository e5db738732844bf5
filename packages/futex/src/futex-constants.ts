/** futex(2) operations and flags (include/uapi/linux/futex.h). */
export const FUTEX = {
  FUTEX_WAIT: 0,
  FUTEX_WAKE: 1,
  FUTEX_FD: 2,
  FUTEX_REQUEUE: 3,
  FUTEX_CMP_REQUEUE: 4,
  FUTEX_WAKE_OP: 5,
  FUTEX_LOCK_PI: 6,
  FUTEX_UNLOCK_PI: 7,
  FUTEX_TRYLOCK_PI: 8,
  FUTEX_WAIT_BITSET: 9,
  FUTEX_WAKE_BITSET: 10,
  FUTEX_WAIT_REQUEUE_PI: 11,
  FUTEX_CMP_REQUEUE_PI: 12,
  FUTEX_LOCK_PI2: 13,
  FUTEX_PRIVATE_FLAG: 128,
  FUTEX_CLOCK_REALTIME: 256,
} as const;

/** The command bits of a futex op (FUTEX_CMD_MASK). */
export const FUTEX_CMD_MASK = ~(FUTEX.FUTEX_PRIVATE_FLAG | FUTEX.FUTEX_CLOCK_REALTIME);

/** A bitset that matches every waiter (FUTEX_WAIT and FUTEX_WAKE use it). */
export const FUTEX_BITSET_MATCH_ANY = 0xffffffff;

/** Lock word bits of robust (and PI) futexes. */
export const FUTEX_WAITERS = 0x80000000;
export const FUTEX_OWNER_DIED = 0x40000000;
export const FUTEX_TID_MASK = 0x3fffffff;

/** How many robust-list entries the exit walk visits at most (ROBUST_LIST_LIMIT). */
export const ROBUST_LIST_LIMIT = 2048;
/** sizeof(struct robust_list_head) on 64-bit: set_robust_list answers EINVAL for any other length. */
export const ROBUST_LIST_HEAD_SIZE = 24;

/** A decoded futex op word. */
export interface FutexOpWord {
  readonly cmd: number;
  /** FUTEX_PRIVATE_FLAG: the key is (address space, address) whatever the mapping. */
  readonly private: boolean;
  /** FUTEX_CLOCK_REALTIME: an absolute timeout on CLOCK_REALTIME instead of CLOCK_MONOTONIC. */
  readonly clockRealtime: boolean;
}

/**
 * Split a futex op (kernel/futex/syscalls.c do_futex): the command, and the
 * flags. FUTEX_CLOCK_REALTIME is only valid with the waits that take an
 * absolute time (FUTEX_WAIT_BITSET, FUTEX_WAIT_REQUEUE_PI, FUTEX_LOCK_PI2):
 * the caller answers ENOSYS otherwise (`clockRealtimeAllowed`).
 */
export function decodeFutexOp(op: number): FutexOpWord {
  return {
    cmd: op & FUTEX_CMD_MASK,
    private: (op & FUTEX.FUTEX_PRIVATE_FLAG) !== 0,
    clockRealtime: (op & FUTEX.FUTEX_CLOCK_REALTIME) !== 0,
  };
}

/** Whether FUTEX_CLOCK_REALTIME may come with `cmd` (futex_cmd_has_timeout's companions in do_futex). */
export function clockRealtimeAllowed(cmd: number): boolean {
  return cmd === FUTEX.FUTEX_WAIT_BITSET || cmd === FUTEX.FUTEX_WAIT_REQUEUE_PI || cmd === FUTEX.FUTEX_LOCK_PI2;
}
