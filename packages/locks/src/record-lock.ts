import { LOCK_TYPE, OFFSET_MAX } from '@tskern/abi';
import type { LockOwner } from './lock-owner';

/** F_RDLCK or F_WRLCK: the kind of a held lock. */
export type HeldLockType = typeof LOCK_TYPE.F_RDLCK | typeof LOCK_TYPE.F_WRLCK;
/** F_RDLCK, F_WRLCK or F_UNLCK: what a request asks for. */
export type RecordLockType = HeldLockType | typeof LOCK_TYPE.F_UNLCK;

/**
 * One held POSIX or OFD record lock over the bytes [start, end] (inclusive,
 * as Linux's fl_start/fl_end; `end` is OFFSET_MAX for "to the end of file").
 * Immutable: a change makes a new lock, so a waiter can tell its blocker went.
 */
export interface RecordLock {
  readonly owner: LockOwner;
  readonly type: HeldLockType;
  readonly start: bigint;
  readonly end: bigint;
}

/** A lock or unlock request with l_whence/l_start/l_len already resolved to [start, end]. */
export interface RecordLockRequest {
  readonly owner: LockOwner;
  readonly type: RecordLockType;
  readonly start: bigint;
  readonly end: bigint;
}

/** Whether [a.start, a.end] and [b.start, b.end] share a byte. */
export function rangesOverlap(a: { start: bigint; end: bigint }, b: { start: bigint; end: bigint }): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * Whether `request` conflicts with the held `lock`, as fs/locks.c
 * posix_locks_conflict: different owners, overlapping bytes, and at least
 * one of them a write lock.
 */
export function recordLocksConflict(request: RecordLockRequest, lock: RecordLock): boolean {
  if (request.owner === lock.owner) return false;
  if (request.type === LOCK_TYPE.F_UNLCK) return false;
  if (request.type === LOCK_TYPE.F_RDLCK && lock.type === LOCK_TYPE.F_RDLCK) return false;
  return rangesOverlap(request, lock);
}

/** Whether [start, end] is a valid lock range (0 <= start <= end <= OFFSET_MAX). */
export function validLockRange(start: bigint, end: bigint): boolean {
  return start >= 0n && start <= end && end <= OFFSET_MAX;
}
