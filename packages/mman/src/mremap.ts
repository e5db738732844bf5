import { Errno, MREMAP, PAGE_SIZE, PAGE_MASK } from '@tskern/abi';
import type { FrameId } from '@tskern/pagealloc';
import type { Segment } from '@tskern/rangemap';
import type { AddressSpace } from './address-space';
import { unmappedArea } from './placement';
import { moveGuards } from './guard';
import { PTE_KIND } from './pte';
import { mlockFutureOk } from './locked-memory';
import { isDataMapping, mayExpandVm } from './address-space-limit';
import { UNLIMITED_MEMORY, type MemoryLimits } from './memory-limits';
import { populateRange } from './populate';
import { VM_LOCKED, type Vma } from './vma';

/**
 * mremap(2), as mm/mremap.c (SYSCALL mremap, mremap_to, vma_to_resize,
 * move_vma). Returns the new address or -errno. Growing locked memory must
 * fit RLIMIT_MEMLOCK (`limits`; EAGAIN), and its new pages are faulted in.
 */
export function mremap(
  as: AddressSpace,
  addr: number,
  oldLen: number,
  newLen: number,
  flags: number,
  newAddr: number,
  limits: MemoryLimits = UNLIMITED_MEMORY,
): number {
  const result = remap(as, addr, oldLen, newLen, flags, newAddr, limits);
  const grown = Math.ceil(newLen / PAGE_SIZE) * PAGE_SIZE - Math.ceil(oldLen / PAGE_SIZE) * PAGE_SIZE;
  if (result >= 0 && grown > 0 && ((as.vmas.find(result)?.value.flags ?? 0) & VM_LOCKED) !== 0) {
    const end = result + Math.ceil(newLen / PAGE_SIZE) * PAGE_SIZE;
    populateRange(as, end - grown, end, true);
  }
  return result;
}

function remap(as: AddressSpace, addr: number, oldLen: number, newLen: number, flags: number, newAddr: number, limits: MemoryLimits): number {
  const { taskSize } = as.options;
  const { maxMapCount } = as.options.tunables;
  oldLen = Math.ceil(oldLen / PAGE_SIZE) * PAGE_SIZE;
  newLen = Math.ceil(newLen / PAGE_SIZE) * PAGE_SIZE;
  // check_mremap_params
  if ((flags & ~(MREMAP.MREMAP_FIXED | MREMAP.MREMAP_MAYMOVE | MREMAP.MREMAP_DONTUNMAP)) !== 0) return -Errno.EINVAL;
  if ((addr & PAGE_MASK) !== 0) return -Errno.EINVAL;
  if (newLen === 0) return -Errno.EINVAL;
  if (newLen > taskSize || newAddr > taskSize - newLen) return -Errno.EINVAL;
  const impliesNewAddr = (flags & (MREMAP.MREMAP_FIXED | MREMAP.MREMAP_DONTUNMAP)) !== 0;
  if (impliesNewAddr) {
    if ((newAddr & PAGE_MASK) !== 0) return -Errno.EINVAL;
    if ((flags & MREMAP.MREMAP_MAYMOVE) === 0) return -Errno.EINVAL;
    if ((flags & MREMAP.MREMAP_DONTUNMAP) !== 0 && oldLen !== newLen) return -Errno.EINVAL;
    if (addr + oldLen > newAddr && newAddr + newLen > addr) return -Errno.EINVAL;
    // move_vma needs room for up to four more VMAs.
    if (as.mapCount + 2 >= maxMapCount - 3) return -Errno.ENOMEM;
  }

  // A fixed move of the same length may span several VMAs (Linux 6.17+, remap_move).
  if ((flags & MREMAP.MREMAP_FIXED) !== 0 && oldLen === newLen && oldLen > 0) {
    return finish(as, remapMove(as, addr, oldLen, newAddr, flags, limits));
  }

  // check_prep_vma: the start must be mapped; a move or an expansion must fit its VMA.
  const seg = as.vmas.find(addr);
  if (seg === undefined) return -Errno.EFAULT;
  const expand = newLen > oldLen;
  if (expand || impliesNewAddr) {
    const error = remapIsValid(seg, addr, oldLen, newLen, as, limits);
    if (error !== 0) return error;
  }

  if (impliesNewAddr) return finish(as, mremapTo(as, addr, oldLen, newAddr, newLen, flags, limits));

  // mremap_at
  if (oldLen === newLen) return addr;
  if (oldLen > newLen) {
    // Shrinking always works in place: unmap the tail (which may cross VMAs).
    if (!as.unmap(addr + newLen, addr + oldLen)) return -Errno.ENOMEM;
    return finish(as, addr);
  }
  // Grow in place when the range ends at the VMA's end and the space after it is free.
  if (oldLen === seg.end - addr) {
    const growEnd = addr + newLen;
    if (growEnd <= taskSize && as.vmas.isFree(seg.end, growEnd)) {
      expandVma(as, seg, growEnd);
      return finish(as, addr);
    }
  }
  if ((flags & MREMAP.MREMAP_MAYMOVE) === 0) return -Errno.ENOMEM;
  const target = unmappedArea(as, 0, newLen);
  if (target < 0) return -Errno.ENOMEM;
  return finish(as, moveVma(as, seg, addr, oldLen, newLen, target, flags));
}

/**
 * remap_move (mm/mremap.c, Linux 6.17+): move every VMA piece of
 * [addr, addr + len) to `newAddr`, keeping the gaps between them. The range
 * must start inside a VMA (EFAULT); holes after that are kept as holes. Each
 * piece is a fixed move of its own. Returns the new address of the first piece.
 */
function remapMove(as: AddressSpace, addr: number, len: number, newAddr: number, flags: number, limits: MemoryLimits): number {
  const end = addr + len;
  let seg = as.vmas.lowerBound(addr);
  if (seg === undefined || seg.start >= end || seg.start > addr) return -Errno.EFAULT;
  let result = -Errno.EFAULT;
  let target = newAddr;
  let lastEnd = 0;
  let seen = false;
  // Collect the pieces first: each move changes the tree.
  const pieces: [number, number, number][] = [];
  for (; seg !== undefined && seg.start < end; seg = seg.next()) {
    const from = Math.max(seg.start, addr);
    const n = Math.min(end, seg.end) - from;
    const gap = seen ? seg.start - lastEnd : 0;
    lastEnd = seg.end;
    pieces.push([from, n, gap]);
    seen = true;
  }
  seen = false;
  for (const [from, n, gap] of pieces) {
    const to = target + gap;
    const piece = as.vmas.find(from);
    if (piece === undefined) return seen ? result : -Errno.EFAULT;
    const error = remapIsValid(piece, from, n, n);
    if (error !== 0) return error;
    const r = mremapTo(as, from, n, to, n, flags, limits);
    if (r < 0) return r;
    if (!seen) result = r;
    seen = true;
    target = r + n;
  }
  return result;
}

function finish(as: AddressSpace, result: number): number {
  as.check();
  return result;
}

/** mremap_to: a move to `newAddr` (MREMAP_FIXED) or to a new place (DONTUNMAP alone, `newAddr` as a hint). */
function mremapTo(as: AddressSpace, addr: number, oldLen: number, newAddr: number, newLen: number, flags: number, limits: MemoryLimits): number {
  if ((flags & MREMAP.MREMAP_FIXED) !== 0) {
    if (!as.unmap(newAddr, newAddr + newLen)) return -Errno.ENOMEM;
    if (as.vmas.find(addr) === undefined) return -Errno.EFAULT;
  }
  if (oldLen > newLen) {
    if (!as.unmap(addr + newLen, addr + oldLen)) return -Errno.ENOMEM;
    oldLen = newLen;
  }
  const seg = as.vmas.find(addr);
  if (seg === undefined) return -Errno.EFAULT;
  // MREMAP_DONTUNMAP keeps the old range mapped, so the space grows by old_len: it must fit RLIMIT_AS (and RLIMIT_DATA for data).
  if ((flags & MREMAP.MREMAP_DONTUNMAP) !== 0) {
    const v = seg.value;
    if (!mayExpandVm(as, oldLen, limits, isDataMapping(v.prot, v.shared, v.flags))) return -Errno.ENOMEM;
  }
  let target = newAddr;
  if ((flags & MREMAP.MREMAP_FIXED) === 0) {
    target = unmappedArea(as, newAddr, newLen);
    if (target < 0) return -Errno.ENOMEM;
  }
  return moveVma(as, seg, addr, oldLen, newLen, target, flags);
}

/**
 * remap_is_valid: duplicating a private mapping (old size 0) is EINVAL; the
 * old range (the new size, when shrinking) must lie in one VMA (EFAULT);
 * growing locked memory past RLIMIT_MEMLOCK is EAGAIN (mlock_future_ok),
 * growing past RLIMIT_AS ENOMEM (may_expand_vm).
 */
function remapIsValid(seg: Segment<Vma>, addr: number, oldLen: number, newLen: number, as?: AddressSpace, limits?: MemoryLimits): number {
  if (oldLen === 0 && !seg.value.shared) return -Errno.EINVAL;
  const span = oldLen > newLen ? newLen : oldLen;
  if (span > seg.end - addr) return -Errno.EFAULT;
  if (as !== undefined && limits !== undefined && newLen > oldLen && !mlockFutureOk(as, seg.value.flags, newLen - oldLen, limits)) {
    return -Errno.EAGAIN;
  }
  // vma_to_resize: the growth must fit RLIMIT_AS, and RLIMIT_DATA for data (may_expand_vm).
  if (as !== undefined && limits !== undefined && newLen > oldLen) {
    const v = seg.value;
    if (!mayExpandVm(as, newLen - oldLen, limits, isDataMapping(v.prot, v.shared, v.flags))) return -Errno.ENOMEM;
  }
  return 0;
}

/** Grow `seg` in place up to `newEnd`; the new pages fault in as the VMA says. */
function expandVma(as: AddressSpace, seg: Segment<Vma>, newEnd: number): void {
  const oldEnd = seg.end;
  as.attach(seg.start, newEnd, seg.value);
  as.detach(seg.start, oldEnd, seg.value);
  as.vmas.setRange(seg, seg.start, newEnd);
  as.mergeAround(seg);
}

/**
 * move_vma: map [addr, addr + oldLen) of `seg` again at `target` with
 * `newLen` bytes, moving the page-table entries (the data goes with them),
 * then unmap the old range unless MREMAP_DONTUNMAP, which leaves it mapped
 * and empty (private anonymous memory refaults as zeros, shared memory
 * refaults the same data). The new range is registered with the object before
 * the old one is dropped, so a shared object never loses its last mapping.
 */
function moveVma(as: AddressSpace, seg: Segment<Vma>, addr: number, oldLen: number, newLen: number, target: number, flags: number): number {
  const vma = seg.value;
  // copy_vma: private anonymous memory with no anonymous pages gets a fresh
  // vm_pgoff at its new place; one with pages keeps its old one.
  let moved = vma.slice(addr - seg.start);
  if (vma.backing === null && !vma.shared) {
    moved = vma.anon === null ? vma.with({ pgoffDelta: 0 }) : vma.with({ pgoffDelta: vma.pgoffDelta + (addr - target) / PAGE_SIZE });
  }
  // mremap_userfaultfd_prep: without UFFD_FEATURE_EVENT_REMAP the moved VMA is not registered;
  // the old range, kept by MREMAP_DONTUNMAP, stays registered (and empty, so an access there faults to the handler).
  if (moved.uffd !== null) moved = moved.with({ uffd: null });
  if (oldLen === 0) {
    // A zero-length old range of a shared mapping makes a second mapping of the same pages.
    const created = as.insertVma(target, target + newLen, moved);
    as.mergeAround(created);
    return target;
  }
  const created = as.insertVma(target, target + newLen, moved);
  const pt = as.pt;
  const delta = (target - addr) / PAGE_SIZE;
  const entries: number[] = [];
  pt.forEachPresent(addr / PAGE_SIZE, (addr + oldLen) / PAGE_SIZE, (page, frame, pteFlags) => {
    entries.push(page, frame, pteFlags);
    pt.clear(page);
  });
  for (let i = 0; i < entries.length; i += 3) {
    const flagsOfPage = entries[i + 2]! & PTE_KIND;
    const frame = entries[i + 1]! as FrameId; // pushed from forEachPresent above
    pt.set(entries[i]! + delta, frame, flagsOfPage | as.accessBits(moved, flagsOfPage));
  }
  moveGuards(as.guards, addr, addr + oldLen, delta);
  if ((flags & MREMAP.MREMAP_DONTUNMAP) === 0) {
    as.unmap(addr, addr + oldLen);
  } else {
    // dontunmap_complete: the old VMA is no longer locked (it stays charged),
    // and loses its anonymous memory identity when it moved whole.
    const old = as.vmas.find(addr);
    if (old !== undefined) {
      const whole = old.start === addr && old.end === addr + oldLen;
      old.value = old.value.with({ flags: old.value.flags & ~VM_LOCKED, ...(whole ? { anon: null } : {}) });
    }
  }
  as.mergeAround(created);
  return target;
}
