import { err, Errno, MADV, PAGE_MASK, PAGE_SIZE, Signal, type Status } from '@tskern/abi';
import type { Segment } from '@tskern/rangemap';
import type { AddressSpace } from './address-space';
import { handleFault } from './fault';
import { installGuards, removeGuards } from './guard';
import { PROT_READ_MASK, PROT_WRITE_BIT } from './prot';
import {
  MAY_WRITE, Vma, VM_DONTCOPY, VM_DONTDUMP, VM_HUGEPAGE, VM_LOCKED, VM_NOHUGEPAGE, VM_RAND_READ,
  VM_SEQ_READ, VM_WIPEONFORK,
} from './vma';

/**
 * Advice values madvise(2) accepts (mm/madvise.c:madvise_behavior_valid, a
 * kernel with THP and KSM). MADV_HWPOISON and MADV_SOFT_OFFLINE are valid
 * only with CONFIG_MEMORY_FAILURE; tskern has no memory-failure machinery, so
 * they are EINVAL before any other check, as on such a kernel (the EPERM of a
 * caller without CAP_SYS_ADMIN comes later, in madvise_inject_error, which
 * that kernel does not have).
 */
const VALID = new Set<number>([
  MADV.MADV_NORMAL, MADV.MADV_RANDOM, MADV.MADV_SEQUENTIAL, MADV.MADV_WILLNEED, MADV.MADV_DONTNEED,
  MADV.MADV_FREE, MADV.MADV_REMOVE, MADV.MADV_DONTFORK, MADV.MADV_DOFORK, MADV.MADV_MERGEABLE,
  MADV.MADV_UNMERGEABLE, MADV.MADV_HUGEPAGE, MADV.MADV_NOHUGEPAGE, MADV.MADV_DONTDUMP, MADV.MADV_DODUMP,
  MADV.MADV_WIPEONFORK, MADV.MADV_KEEPONFORK, MADV.MADV_COLD, MADV.MADV_PAGEOUT, MADV.MADV_POPULATE_READ,
  MADV.MADV_POPULATE_WRITE, MADV.MADV_DONTNEED_LOCKED, MADV.MADV_COLLAPSE, MADV.MADV_GUARD_INSTALL,
  MADV.MADV_GUARD_REMOVE,
]);

/**
 * madvise(2), as mm/madvise.c:do_madvise and madvise_walk_vmas: advice applies
 * VMA by VMA over the mapped parts of the range; a hole makes the result
 * ENOMEM after the rest was applied; an error from one VMA stops the walk.
 */
export function madvise(as: AddressSpace, addr: number, len: number, advice: number): Status {
  if (!VALID.has(advice)) return err(Errno.EINVAL);
  if ((addr & PAGE_MASK) !== 0 || len < 0) return err(Errno.EINVAL);
  const alignedLen = Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  const end = addr + alignedLen;
  if (end > Number.MAX_SAFE_INTEGER) return err(Errno.EINVAL);
  if (end === addr) return 0;
  if (advice === MADV.MADV_POPULATE_READ || advice === MADV.MADV_POPULATE_WRITE) {
    return finish(as, populate(as, addr, end, advice === MADV.MADV_POPULATE_WRITE));
  }

  let unmappedError: Status = 0;
  let start = addr;
  let seg = as.vmas.lowerBound(start);
  for (;;) {
    if (seg === undefined) return finish(as, err(Errno.ENOMEM));
    if (start < seg.start) {
      unmappedError = err(Errno.ENOMEM);
      start = seg.start;
      if (start >= end) break;
    }
    const to = Math.min(end, seg.end);
    const error = adviseVma(as, seg, start, to, advice);
    if (error !== 0) return finish(as, error);
    start = to;
    if (start >= end) break;
    seg = as.vmas.lowerBound(start);
  }
  return finish(as, unmappedError);
}

function finish(as: AddressSpace, result: Status): Status {
  as.check();
  return result;
}

/** Apply `advice` to [start, end) of the VMA in `seg`. */
function adviseVma(as: AddressSpace, seg: Segment<Vma>, start: number, end: number, advice: number): Status {
  const vma = seg.value;
  switch (advice) {
    case MADV.MADV_NORMAL:
      return setFlags(as, seg, start, end, (f) => f & ~(VM_SEQ_READ | VM_RAND_READ));
    case MADV.MADV_RANDOM:
      return setFlags(as, seg, start, end, (f) => (f & ~VM_SEQ_READ) | VM_RAND_READ);
    case MADV.MADV_SEQUENTIAL:
      return setFlags(as, seg, start, end, (f) => (f & ~VM_RAND_READ) | VM_SEQ_READ);
    case MADV.MADV_DONTFORK:
      return setFlags(as, seg, start, end, (f) => f | VM_DONTCOPY);
    case MADV.MADV_DOFORK:
      return setFlags(as, seg, start, end, (f) => f & ~VM_DONTCOPY);
    case MADV.MADV_DONTDUMP:
      return setFlags(as, seg, start, end, (f) => f | VM_DONTDUMP);
    case MADV.MADV_DODUMP:
      return setFlags(as, seg, start, end, (f) => f & ~VM_DONTDUMP);
    case MADV.MADV_HUGEPAGE:
      return setFlags(as, seg, start, end, (f) => (f & ~VM_NOHUGEPAGE) | VM_HUGEPAGE);
    case MADV.MADV_NOHUGEPAGE:
      return setFlags(as, seg, start, end, (f) => (f & ~VM_HUGEPAGE) | VM_NOHUGEPAGE);
    case MADV.MADV_WIPEONFORK:
      // Only private anonymous memory can be wiped (madvise_behavior: -EINVAL otherwise).
      if (vma.backing !== null || vma.shared) return err(Errno.EINVAL);
      return setFlags(as, seg, start, end, (f) => f | VM_WIPEONFORK);
    case MADV.MADV_KEEPONFORK:
      return setFlags(as, seg, start, end, (f) => f & ~VM_WIPEONFORK);
    case MADV.MADV_DONTNEED:
    case MADV.MADV_DONTNEED_LOCKED:
      // Zap the range: private anonymous memory refaults as zeros, private file
      // pages lose their COW copies and read the file again, shared pages keep
      // their data in the object (mm/madvise.c:madvise_dontneed_single_vma).
      if (advice === MADV.MADV_DONTNEED && (vma.flags & VM_LOCKED) !== 0) return err(Errno.EINVAL);
      as.zap(start, end);
      return 0;
    case MADV.MADV_FREE:
      // Lazy free of private anonymous memory: the data stays until reclaim,
      // and tskern never reclaims, so nothing changes (mm/madvise.c:madvise_free_single_vma).
      if (vma.backing !== null || vma.shared) return err(Errno.EINVAL);
      return 0;
    case MADV.MADV_REMOVE: {
      // Punch a hole in the object for every sharer (madvise_remove -> fallocate PUNCH_HOLE).
      if ((vma.flags & VM_LOCKED) !== 0) return err(Errno.EINVAL);
      if (vma.backing === null) return err(Errno.EINVAL);
      if (!vma.shared || (vma.maxProt & MAY_WRITE) === 0) return err(Errno.EACCES);
      return vma.backing.mappable.punchHole(vma.objectOffset(seg.start, start), end - start);
    }
    case MADV.MADV_COLLAPSE:
      return err(Errno.EINVAL);
    case MADV.MADV_GUARD_INSTALL:
      return installGuards(as, seg, start, end);
    case MADV.MADV_GUARD_REMOVE:
      return removeGuards(as, start, end);
    default:
      // WILLNEED, COLD, PAGEOUT, MERGEABLE, UNMERGEABLE: hints with no visible effect here.
      return 0;
  }
}

/**
 * MADV_POPULATE_READ/WRITE (mm/madvise.c:madvise_populate through
 * faultin_page_range): fault every page in as a load or a store, over the
 * whole range at once. No VMA is ENOMEM; a VMA that GUP's check_vma_flags
 * refuses (PROT_NONE, or not writable for a store: no FOLL_FORCE) EINVAL, as
 * FOLL_MADV_POPULATE turns its EFAULT into that; a SIGBUS or SIGSEGV (a guard
 * marker) EFAULT; no memory ENOMEM.
 */
function populate(as: AddressSpace, start: number, end: number, write: boolean): Status {
  for (let addr = start; addr < end; ) {
    const seg = as.vmas.find(addr);
    if (seg === undefined) return err(Errno.ENOMEM);
    const vma = seg.value;
    if ((vma.prot & PROT_READ_MASK) === 0) return err(Errno.EINVAL);
    if (write && (vma.prot & PROT_WRITE_BIT) === 0) return err(Errno.EINVAL);
    const stop = Math.min(end, seg.end);
    for (let page = addr / PAGE_SIZE; page < stop / PAGE_SIZE; page++) {
      const sig = handleFault(as, page, write);
      if (sig === Signal.SIGBUS) return as.frames.stats().freeFrames === 0 ? err(Errno.ENOMEM) : err(Errno.EFAULT);
      if (sig !== 0) return err(Errno.EFAULT);
    }
    addr = stop;
  }
  return 0;
}

/** Change VMA flags over [start, end), splitting off and merging back as mm/madvise.c:madvise_update_vma. */
function setFlags(as: AddressSpace, seg: Segment<Vma>, start: number, end: number, change: (flags: number) => number): Status {
  const next = change(seg.value.flags);
  if (next === seg.value.flags) return 0;
  const splits = (seg.start < start ? 1 : 0) + (seg.end > end ? 1 : 0);
  if (splits > 0 && as.mapCount + splits > as.options.tunables.maxMapCount) return err(Errno.ENOMEM);
  let piece = seg;
  if (piece.start < start) piece = as.splitVma(piece, start);
  if (piece.end > end) as.splitVma(piece, end);
  piece.value = piece.value.with({ flags: next });
  as.mergeAround(piece);
  return 0;
}
