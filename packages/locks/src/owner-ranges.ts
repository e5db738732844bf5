import { LOCK_TYPE } from '@tskern/abi';
import type { RecordLock, RecordLockRequest } from './record-lock';

/**
 * The locks an owner holds after `request`, given the ones it held (sorted by
 * start, disjoint). As fs/locks.c posix_lock_inode: the requested bytes take
 * the new type (or are released by F_UNLCK), a lock the request covers in
 * part is split around it, and locks of one type that touch or overlap merge
 * into one. The result is sorted and canonical (no two adjacent locks of one
 * type); a lock whose range and type did not change keeps its identity.
 */
export function applyToOwner(held: readonly RecordLock[], request: RecordLockRequest): RecordLock[] {
  const pieces: RecordLock[] = [];
  for (const lock of held) {
    if (lock.end < request.start || lock.start > request.end) {
      pieces.push(lock);
      continue;
    }
    if (lock.start < request.start) pieces.push({ ...lock, end: request.start - 1n });
    if (lock.end > request.end) pieces.push({ ...lock, start: request.end + 1n });
  }
  if (request.type !== LOCK_TYPE.F_UNLCK) {
    pieces.push({ owner: request.owner, type: request.type, start: request.start, end: request.end });
  }
  pieces.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: RecordLock[] = [];
  for (const piece of pieces) {
    const last = merged[merged.length - 1];
    // Compare with "start - 1" rather than "end + 1", as Linux does, so the
    // arithmetic never passes OFFSET_MAX.
    if (last && last.type === piece.type && last.end >= piece.start - 1n) {
      merged[merged.length - 1] = { ...last, end: last.end > piece.end ? last.end : piece.end };
    } else {
      merged.push(piece);
    }
  }
  // Keep the identity of locks that came through unchanged.
  return merged.map((lock) => held.find((old) => sameLock(old, lock)) ?? lock);
}

function sameLock(a: RecordLock, b: RecordLock): boolean {
  return a.owner === b.owner && a.type === b.type && a.start === b.start && a.end === b.end;
}
