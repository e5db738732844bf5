/**
 * The user-memory accesses futexes need, implemented by the syscall layer
 * over the caller's address space, so this package needs no memory manager.
 * Values are unsigned 32-bit; a failed access answers `-EFAULT` (negative,
 * so never a value).
 */
export interface FutexUserMemory {
  /** The u32 at `addr` (little-endian, 4-aligned), or -EFAULT. */
  readU32(addr: number): number;
  /**
   * If the u32 at `addr` equals `expected`, store `desired`. Answers the
   * value found before (equal to `expected` when the store happened), or
   * -EFAULT (unmapped, or not writable). Atomic with respect to other tasks,
   * as futex_atomic_cmpxchg_inatomic.
   */
  cmpxchgU32(addr: number, expected: number, desired: number): number;
}

/** What the exit-time robust-list walk also reads: pointers (8 bytes on 64-bit). */
export interface RobustListMemory extends FutexUserMemory {
  /**
   * The 64-bit little-endian word at `addr` as a signed number (a pointer,
   * or robust_list_head.futex_offset which may be negative), or null when
   * the read faults.
   */
  readWord(addr: number): number | null;
}
