import { PAGE_SIZE, PROT } from '@tskern/abi';
import type { AddressSpace } from './address-space';
import { mlockFutureOk } from './locked-memory';
import { mayExpandVm } from './address-space-limit';
import { UNLIMITED_MEMORY, type MemoryLimits } from './memory-limits';
import { populateRange } from './populate';
import { canMerge, MAY_EXEC, MAY_READ, MAY_WRITE, Vma, VM_ACCOUNT, VM_GROWSDOWN, VM_LOCKED, VM_LOCKED_MASK } from './vma';

/** stack_guard_gap: 256 pages, what brk keeps below a stack VMA (vm_start_gap). */
const STACK_GUARD_GAP = 256 * PAGE_SIZE;

function pageAlign(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/**
 * Set where the heap starts (exec, after loading the image: fs/binfmt_elf.c
 * sets mm->start_brk = mm->brk to the page-aligned end of the bss). `data`
 * is the data segment, which RLIMIT_DATA counts along with the heap.
 */
export function setProgramBreak(as: AddressSpace, start: number, data: { start: number; end: number } = { start: 0, end: 0 }): void {
  const pb = as.programBreak;
  pb.startBrk = pb.brk = pageAlign(start);
  pb.startData = data.start;
  pb.endData = data.end;
}

/**
 * brk(2), as mm/mmap.c SYSCALL_DEFINE1(brk): returns the new break, or the
 * current one when the request fails (brk never returns an errno). A break
 * below start_brk, past RLIMIT_DATA (with the data segment), below
 * vm.mmap_min_addr (a space whose break exec never set), into another mapping or within a page of the next VMA (a stack's guard gap counts),
 * past the top of user space, or past RLIMIT_MEMLOCK under
 * mlockall(MCL_FUTURE), leaves it where it was. Growing maps anonymous
 * read-write memory that extends the heap VMA when it can merge; shrinking
 * unmaps the pages above the new break (always allowed, if the heap's pages
 * are still there). /proc/[pid]/maps names `[heap]` whatever anonymous VMA
 * overlaps [start_brk, brk].
 */
export function brk(as: AddressSpace, requested: number, limits: MemoryLimits = UNLIMITED_MEMORY): number {
  const pb = as.programBreak;
  const original = pb.brk;
  if (requested < pb.startBrk) return original;
  // check_data_rlimit: the heap and the data segment together.
  if (requested - pb.startBrk + (pb.endData - pb.startData) > limits.data) return original;
  const newBrk = pageAlign(requested);
  const oldBrk = pageAlign(pb.brk);
  if (newBrk === oldBrk) {
    pb.brk = requested;
    return requested;
  }
  if (requested <= pb.brk) {
    // Shrinking: only if some VMA is still there in [newBrk, oldBrk).
    const inside = as.vmas.lowerBound(newBrk);
    if (inside === undefined || inside.start >= oldBrk) return original;
    if (!as.unmap(newBrk, oldBrk)) return original;
    pb.brk = requested;
    as.check();
    return requested;
  }
  // check_brk_limits: room in user space (get_unmapped_area with MAP_FIXED), RLIMIT_MEMLOCK.
  const len = newBrk - oldBrk;
  if (newBrk > as.options.taskSize) return original;
  // security_mmap_addr: no heap below vm.mmap_min_addr (a break never set by exec is 0).
  if (oldBrk < as.options.tunables.mmapMinAddr) return original;
  if (!mlockFutureOk(as, as.defFlags, len, limits)) return original;
  // do_brk_flags: may_expand_vm (the heap is data); brk(2) then answers the old break.
  if (!mayExpandVm(as, len, limits, true)) return original;
  // The next VMA must start at least a page above the new break (its guard gap below a stack).
  const next = as.vmas.lowerBound(oldBrk);
  if (next !== undefined) {
    const gapStart = (next.value.flags & VM_GROWSDOWN) !== 0 ? next.start - STACK_GUARD_GAP : next.start;
    if (newBrk + PAGE_SIZE > gapStart) return original;
  }
  if (as.mapCount > as.options.tunables.maxMapCount) return original;
  // do_brk_flags: VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm->def_flags.
  const flags = VM_ACCOUNT | (as.defFlags & VM_LOCKED_MASK);
  const vma = Vma.of(PROT.PROT_READ | PROT.PROT_WRITE, MAY_READ | MAY_WRITE | MAY_EXEC, false, null, 0, flags, null);
  // Only the heap VMA itself (one that reaches above start_brk and ends at
  // the old break) is extended; nothing else merges.
  const prev = oldBrk > pb.startBrk ? as.vmas.find(oldBrk - 1) : undefined;
  const seg = as.insertVma(oldBrk, newBrk, vma);
  if (prev !== undefined && prev.end === oldBrk && canMerge(prev.value, prev.end - prev.start, vma)) as.mergeAround(seg);
  pb.brk = requested;
  if ((as.defFlags & VM_LOCKED) !== 0) populateRange(as, oldBrk, newBrk, true);
  as.check();
  return requested;
}
