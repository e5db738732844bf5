import { Errno, MCL, MLOCK_ONFAULT, PAGE_MASK, PAGE_SIZE } from '@tskern/abi';
import type { AddressSpace } from './address-space';
import { lockedBytes, lockedBytesIn, mappedBytes, memlockPages } from './locked-memory';
import { canDoMlock, type MemoryLimits } from './memory-limits';
import { populateRange } from './populate';
import { VM_DROPPABLE, VM_LOCKED, VM_LOCKED_MASK, VM_LOCKONFAULT } from './vma';

/** mlock(2): lock [addr, addr + len) and fault its pages in. */
export function mlock(as: AddressSpace, addr: number, len: number, limits: MemoryLimits): number {
  return doMlock(as, addr, len, VM_LOCKED, limits);
}

/** mlock2(2): MLOCK_ONFAULT locks without faulting pages in; any other flag is EINVAL. */
export function mlock2(as: AddressSpace, addr: number, len: number, flags: number, limits: MemoryLimits): number {
  if ((flags & ~MLOCK_ONFAULT) !== 0) return -Errno.EINVAL;
  return doMlock(as, addr, len, (flags & MLOCK_ONFAULT) !== 0 ? VM_LOCKED | VM_LOCKONFAULT : VM_LOCKED, limits);
}

/** munlock(2): unlock [addr, addr + len); ENOMEM for an unmapped page (after unlocking what came before). */
export function munlock(as: AddressSpace, addr: number, len: number): number {
  const start = addr - (addr & PAGE_MASK);
  return finish(as, applyLockFlags(as, start, start + pageAlign(len + (addr & PAGE_MASK)), 0));
}

/**
 * mlockall(2), as mm/mlock.c: flags must hold MCL_CURRENT or MCL_FUTURE
 * (MCL_ONFAULT alone or an unknown bit is EINVAL); EPERM without the right to
 * lock (can_do_mlock); MCL_CURRENT with more mapped than RLIMIT_MEMLOCK is
 * ENOMEM for an unprivileged caller. MCL_FUTURE sets the flags every later
 * mapping gets; MCL_CURRENT locks (and populates) every VMA now.
 */
export function mlockall(as: AddressSpace, flags: number, limits: MemoryLimits): number {
  const all = MCL.MCL_CURRENT | MCL.MCL_FUTURE | MCL.MCL_ONFAULT;
  if (flags === 0 || (flags & ~all) !== 0 || flags === MCL.MCL_ONFAULT) return -Errno.EINVAL;
  if (!canDoMlock(limits)) return -Errno.EPERM;
  const current = (flags & MCL.MCL_CURRENT) !== 0;
  if (current && !limits.ipcLock && mappedBytes(as) / PAGE_SIZE > memlockPages(limits)) return -Errno.ENOMEM;
  applyMlockallFlags(as, flags);
  if (current) populateRange(as, 0, as.options.taskSize, true);
  return finish(as, 0);
}

/** munlockall(2): unlock every VMA and stop locking future ones. */
export function munlockall(as: AddressSpace): number {
  applyMlockallFlags(as, 0);
  return finish(as, 0);
}

function pageAlign(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/**
 * mm/mlock.c do_mlock: EPERM first, then RLIMIT_MEMLOCK against what would
 * be locked (memory in the range that is locked already does not count
 * twice), then the flags, then the pages (an EFAULT there reads ENOMEM, as
 * __mlock_posix_error_return).
 */
function doMlock(as: AddressSpace, addr: number, len: number, lockFlags: number, limits: MemoryLimits): number {
  if (!canDoMlock(limits)) return -Errno.EPERM;
  const start = addr - (addr & PAGE_MASK);
  const alignedLen = pageAlign(len + (addr & PAGE_MASK));
  const end = start + alignedLen;
  if (!limits.ipcLock) {
    let locked = alignedLen / PAGE_SIZE + lockedBytes(as) / PAGE_SIZE;
    const limit = memlockPages(limits);
    if (locked > limit) locked -= lockedBytesIn(as, start, end) / PAGE_SIZE;
    if (locked > limit) return -Errno.ENOMEM;
  }
  const error = applyLockFlags(as, start, end, lockFlags);
  if (error !== 0) return finish(as, error);
  const populated = populateRange(as, start, end, false);
  return finish(as, populated === -Errno.EFAULT ? -Errno.ENOMEM : populated);
}

/**
 * mm/mlock.c apply_vma_lock_flags: every VMA over [start, end) gets
 * `lockFlags` in place of its VM_LOCKED/VM_LOCKONFAULT bits, split off at
 * the ends and merged with equal neighbours (mlock_fixup). The range must be
 * mapped from its start; a hole is ENOMEM with the VMAs before it changed.
 */
function applyLockFlags(as: AddressSpace, start: number, end: number, lockFlags: number): number {
  if (end < start) return -Errno.EINVAL;
  if (end === start) return 0;
  if (as.vmas.find(start) === undefined) return -Errno.ENOMEM;
  let pos = start;
  while (pos < end) {
    const seg = as.vmas.find(pos);
    if (seg === undefined) return -Errno.ENOMEM;
    const to = Math.min(seg.end, end);
    const error = lockFixup(as, pos, to, lockFlags);
    if (error !== 0) return error;
    pos = to;
  }
  return 0;
}

/**
 * mlock_fixup over [from, to) inside one VMA: nothing changes when the flags
 * already match, nor for VM_DROPPABLE memory (which mlock leaves unlocked
 * and uncounted, and succeeds).
 */
function lockFixup(as: AddressSpace, from: number, to: number, lockFlags: number): number {
  const seg = as.vmas.find(from)!;
  const vma = seg.value;
  if ((vma.flags & VM_DROPPABLE) !== 0) return 0;
  const flags = (vma.flags & ~VM_LOCKED_MASK) | lockFlags;
  if (flags === vma.flags) return 0;
  const splits = (seg.start < from ? 1 : 0) + (seg.end > to ? 1 : 0);
  if (splits > 0 && as.mapCount + splits > as.options.tunables.maxMapCount) return -Errno.ENOMEM;
  let piece = seg;
  if (piece.start < from) piece = as.splitVma(piece, from);
  if (piece.end > to) as.splitVma(piece, to);
  piece.value = piece.value.with({ flags });
  as.mergeAround(piece);
  return 0;
}

/** mm/mlock.c apply_mlockall_flags: set mm->def_flags, then relock every VMA (errors ignored). */
function applyMlockallFlags(as: AddressSpace, flags: number): void {
  as.defFlags &= ~VM_LOCKED_MASK;
  if ((flags & MCL.MCL_FUTURE) !== 0) {
    as.defFlags |= VM_LOCKED;
    if ((flags & MCL.MCL_ONFAULT) !== 0) as.defFlags |= VM_LOCKONFAULT;
    if ((flags & MCL.MCL_CURRENT) === 0) return;
  }
  let toAdd = 0;
  if ((flags & MCL.MCL_CURRENT) !== 0) {
    toAdd = VM_LOCKED;
    if ((flags & MCL.MCL_ONFAULT) !== 0) toAdd |= VM_LOCKONFAULT;
  }
  // Walk by address: each fixup may merge the VMA with its neighbours.
  let pos = 0;
  for (let seg = as.vmas.lowerBound(pos); seg !== undefined; seg = as.vmas.lowerBound(pos)) {
    pos = seg.end;
    lockFixup(as, seg.start, seg.end, toAdd);
  }
}

function finish(as: AddressSpace, result: number): number {
  as.check();
  return result;
}
