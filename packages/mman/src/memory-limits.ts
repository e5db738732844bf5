/**
 * The resource limits and privilege that memory calls check, supplied by the
 * caller (the task model owns rlimits and credentials). Sizes are bytes;
 * RLIM_INFINITY (or any value past 2^53) is `Infinity`.
 */
export interface MemoryLimits {
  /** RLIMIT_MEMLOCK's soft limit. */
  readonly memlock: number;
  /** RLIMIT_DATA's soft limit. */
  readonly data: number;
  /** RLIMIT_AS's soft limit: the most bytes the address space may map (may_expand_vm). */
  readonly addressSpace: number;
  /** CAP_IPC_LOCK: locking ignores RLIMIT_MEMLOCK. */
  readonly ipcLock: boolean;
  /** CAP_SYS_RAWIO: a fixed mapping may go below vm.mmap_min_addr (cap_mmap_addr); absent means not held. */
  readonly rawIo?: boolean;
}

/** No limit: what the memory calls assume when the caller gives no limits. */
export const UNLIMITED_MEMORY: MemoryLimits = { memlock: Infinity, data: Infinity, addressSpace: Infinity, ipcLock: false };

/** As mm/mlock.c can_do_mlock: a nonzero RLIMIT_MEMLOCK or CAP_IPC_LOCK lets a process lock memory. */
export function canDoMlock(limits: MemoryLimits): boolean {
  return limits.memlock !== 0 || limits.ipcLock;
}
