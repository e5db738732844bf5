import { Errno } from '@tskern/abi';
import type { FutexKey } from './futex-key';
import type { FutexUserMemory } from './futex-memory';
import type { FutexTable } from './futex-table';

/** FUTEX_WAKE_OP operations and comparisons (include/uapi/linux/futex.h). */
export const FUTEX_OP = {
  FUTEX_OP_SET: 0, // *uaddr2 = oparg
  FUTEX_OP_ADD: 1, // *uaddr2 += oparg
  FUTEX_OP_OR: 2, // *uaddr2 |= oparg
  FUTEX_OP_ANDN: 3, // *uaddr2 &= ~oparg
  FUTEX_OP_XOR: 4, // *uaddr2 ^= oparg
  FUTEX_OP_OPARG_SHIFT: 8, // use (1 << oparg) as the operand
  FUTEX_OP_CMP_EQ: 0,
  FUTEX_OP_CMP_NE: 1,
  FUTEX_OP_CMP_LT: 2,
  FUTEX_OP_CMP_LE: 3,
  FUTEX_OP_CMP_GT: 4,
  FUTEX_OP_CMP_GE: 5,
} as const;

/** The fields of an encoded FUTEX_WAKE_OP word. */
export interface WakeOpWord {
  readonly op: number;
  readonly cmp: number;
  /** The operand, already `1 << oparg` under FUTEX_OP_OPARG_SHIFT. */
  readonly oparg: number;
  readonly cmparg: number;
}

function signExtend12(v: number): number {
  return (v << 20) >> 20;
}

/** Encode a FUTEX_WAKE_OP word (the FUTEX_OP macro of the uapi header). */
export function encodeWakeOp(op: number, oparg: number, cmp: number, cmparg: number): number {
  return (((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff)) >>> 0;
}

/**
 * Decode a FUTEX_WAKE_OP word (kernel/futex/waitwake.c
 * futex_atomic_op_inuser): op in bits 28..30, FUTEX_OP_OPARG_SHIFT in bit
 * 31, cmp in 24..27, oparg and cmparg as signed 12-bit fields. A shift
 * outside 0..31 is masked to 5 bits, as Linux does after warning.
 */
export function decodeWakeOp(encoded: number): WakeOpWord {
  const op = (encoded >>> 28) & 7;
  const cmp = (encoded >>> 24) & 15;
  let oparg = signExtend12((encoded >>> 12) & 0xfff);
  const cmparg = signExtend12(encoded & 0xfff);
  if (((encoded >>> 28) & FUTEX_OP.FUTEX_OP_OPARG_SHIFT) !== 0) oparg = (1 << (oparg & 31)) | 0;
  return { op, cmp, oparg, cmparg };
}

function applyOp(op: number, old: number, oparg: number): number | null {
  switch (op) {
    case FUTEX_OP.FUTEX_OP_SET: return oparg >>> 0;
    case FUTEX_OP.FUTEX_OP_ADD: return (old + oparg) >>> 0;
    case FUTEX_OP.FUTEX_OP_OR: return (old | oparg) >>> 0;
    case FUTEX_OP.FUTEX_OP_ANDN: return (old & ~oparg) >>> 0;
    case FUTEX_OP.FUTEX_OP_XOR: return (old ^ oparg) >>> 0;
    default: return null;
  }
}

function compare(cmp: number, oldval: number, cmparg: number): boolean | null {
  const old = oldval | 0; // the comparison is on ints
  switch (cmp) {
    case FUTEX_OP.FUTEX_OP_CMP_EQ: return old === cmparg;
    case FUTEX_OP.FUTEX_OP_CMP_NE: return old !== cmparg;
    case FUTEX_OP.FUTEX_OP_CMP_LT: return old < cmparg;
    case FUTEX_OP.FUTEX_OP_CMP_LE: return old <= cmparg;
    case FUTEX_OP.FUTEX_OP_CMP_GT: return old > cmparg;
    case FUTEX_OP.FUTEX_OP_CMP_GE: return old >= cmparg;
    default: return null;
  }
}

/**
 * Apply the operation of `encoded` to the u32 at `addr` atomically (a
 * compare-and-set loop) and compare the old value: true or false, -ENOSYS for
 * an unknown op (memory untouched) or comparison (memory already changed, as
 * Linux), -EFAULT when the word cannot be written.
 */
export function futexAtomicOp(memory: FutexUserMemory, addr: number, encoded: number): boolean | number {
  const { op, cmp, oparg, cmparg } = decodeWakeOp(encoded);
  let old = memory.readU32(addr);
  for (;;) {
    if (old < 0) return old;
    const next = applyOp(op, old, oparg);
    if (next === null) return -Errno.ENOSYS;
    const seen = memory.cmpxchgU32(addr, old, next);
    if (seen === old) break;
    old = seen;
  }
  return compare(cmp, old, cmparg) ?? -Errno.ENOSYS;
}

/**
 * FUTEX_WAKE_OP (futex_wake_op): do the operation on the word at `addr2`,
 * wake up to `nrWake` waiters of `key1`, and, when the comparison of the old
 * value holds, up to `nrWake2` of `key2`. Bitsets are not consulted. As
 * futex_wake, each count is checked after a wake (0 still wakes one).
 * Answers the total woken, or -errno.
 */
export function futexWakeOp(
  table: FutexTable,
  memory: FutexUserMemory,
  key1: FutexKey,
  key2: FutexKey,
  addr2: number,
  nrWake: number,
  nrWake2: number,
  encoded: number,
): number {
  const cond = futexAtomicOp(memory, addr2, encoded);
  if (typeof cond === 'number') return cond;
  let woken = table.wake(key1, nrWake);
  if (cond) woken += table.wake(key2, nrWake2);
  return woken;
}
