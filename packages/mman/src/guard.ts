import { err, Errno, PAGE_SIZE, type Status } from '@tskern/abi';
import type { Segment } from '@tskern/rangemap';
import type { AddressSpace } from './address-space';
import type { GuardRanges } from './guard-ranges';
import { VM_LOCKED, VM_WIPEONFORK, VM_DONTCOPY, type Vma } from './vma';

/**
 * Guard regions (MADV_GUARD_INSTALL / MADV_GUARD_REMOVE, Linux 6.13+): pages
 * whose page-table entry is a guard marker, so any access faults with SIGSEGV
 * while the VMA stays as it is (mm/madvise.c madvise_guard_install,
 * mm/memory.c handle_pte_marker). A marker lives in the page table, not in the
 * VMA: it survives MADV_DONTNEED and mprotect, moves with mremap, is copied by
 * fork (except into MADV_WIPEONFORK memory) and goes with munmap. tskern keeps
 * the markers of an address space beside its page table as runs of pages
 * (guard-ranges.ts), so a guard over a huge mapping costs one run, not one
 * entry per page; a guarded page never has a present entry.
 */

/**
 * MADV_GUARD_INSTALL over [start, end) of the VMA in `seg`: zap what is
 * mapped there (private anonymous data is lost; shared and file pages stay
 * in their object) and mark every page. Locked VMAs are refused (EINVAL), as
 * is_valid_guard_vma; 6.15+ allows file-backed and read-only mappings.
 */
export function installGuards(as: AddressSpace, seg: Segment<Vma>, start: number, end: number): Status {
  if ((seg.value.flags & VM_LOCKED) !== 0) return err(Errno.EINVAL);
  // zap walks only the present page-table chunks, so a huge range is cheap.
  as.zap(start, end);
  as.guards.add(start / PAGE_SIZE, end / PAGE_SIZE);
  return 0;
}

/** MADV_GUARD_REMOVE over [start, end): the pages fault normally again (locked VMAs allowed: nothing is destroyed). */
export function removeGuards(as: AddressSpace, start: number, end: number): Status {
  dropGuards(as.guards, start, end);
  return 0;
}

/** Forget the markers of [start, end) (munmap, or a removal). */
export function dropGuards(guards: GuardRanges, start: number, end: number): void {
  if (guards.size === 0) return;
  guards.delete(start / PAGE_SIZE, end / PAGE_SIZE);
}

/** mremap: the markers of [start, end) move `deltaPages` pages with the page tables (move_page_tables). */
export function moveGuards(guards: GuardRanges, start: number, end: number, deltaPages: number): void {
  guards.move(start / PAGE_SIZE, end / PAGE_SIZE, deltaPages);
}

/**
 * fork: the child keeps the markers of every VMA it inherits, except
 * MADV_WIPEONFORK (and MADV_DONTFORK) ones: copy_page_range is skipped there.
 * Each run is clipped to the VMAs under it, so the cost is O(runs + VMAs
 * they overlap).
 */
export function copyGuards(parent: AddressSpace, child: AddressSpace): void {
  if (parent.guards.size === 0) return;
  for (const run of parent.guards.all()) {
    for (const seg of parent.vmas.segmentsIn(run.first * PAGE_SIZE, run.last * PAGE_SIZE)) {
      if ((seg.value.flags & (VM_WIPEONFORK | VM_DONTCOPY)) !== 0) continue;
      const first = Math.max(run.first, seg.start / PAGE_SIZE);
      const last = Math.min(run.last, seg.end / PAGE_SIZE);
      child.guards.add(first, last);
    }
  }
}
