import { err, Errno, PAGE_SIZE, type Status } from '@tskern/abi';
import type { Segment } from '@tskern/rangemap';
import type { AddressSpace } from './address-space';
import { VM_LOCKED, VM_WIPEONFORK, VM_DONTCOPY, type Vma } from './vma';

/**
 * Guard regions (MADV_GUARD_INSTALL / MADV_GUARD_REMOVE, Linux 6.13+): pages
 * whose page-table entry is a guard marker, so any access faults with SIGSEGV
 * while the VMA stays as it is (mm/madvise.c madvise_guard_install,
 * mm/memory.c handle_pte_marker). A marker lives in the page table, not in the
 * VMA: it survives MADV_DONTNEED and mprotect, moves with mremap, is copied by
 * fork (except into MADV_WIPEONFORK memory) and goes with munmap. tskern keeps
 * the markers of an address space as a set of page numbers beside its page
 * table; a guarded page never has a present entry.
 */
export type GuardPages = Set<number>;

/**
 * MADV_GUARD_INSTALL over [start, end) of the VMA in `seg`: zap what is
 * mapped there (private anonymous data is lost; shared and file pages stay
 * in their object) and mark every page. Locked VMAs are refused (EINVAL), as
 * is_valid_guard_vma; 6.15+ allows file-backed and read-only mappings.
 */
export function installGuards(as: AddressSpace, seg: Segment<Vma>, start: number, end: number): Status {
  if ((seg.value.flags & VM_LOCKED) !== 0) return err(Errno.EINVAL);
  as.zap(start, end);
  for (let page = start / PAGE_SIZE; page < end / PAGE_SIZE; page++) as.guards.add(page);
  return 0;
}

/** MADV_GUARD_REMOVE over [start, end): the pages fault normally again (locked VMAs allowed: nothing is destroyed). */
export function removeGuards(as: AddressSpace, start: number, end: number): Status {
  dropGuards(as.guards, start, end);
  return 0;
}

/** Forget the markers of [start, end) (munmap, or a removal). */
export function dropGuards(guards: GuardPages, start: number, end: number): void {
  if (guards.size === 0) return;
  const first = start / PAGE_SIZE;
  const last = end / PAGE_SIZE;
  if (last - first > guards.size) {
    for (const page of [...guards]) if (page >= first && page < last) guards.delete(page);
  } else {
    for (let page = first; page < last; page++) guards.delete(page);
  }
}

/** mremap: the markers of [start, end) move `deltaPages` pages with the page tables (move_page_tables). */
export function moveGuards(guards: GuardPages, start: number, end: number, deltaPages: number): void {
  if (guards.size === 0) return;
  const first = start / PAGE_SIZE;
  const last = end / PAGE_SIZE;
  const moving = [...guards].filter((page) => page >= first && page < last);
  for (const page of moving) guards.delete(page);
  for (const page of moving) guards.add(page + deltaPages);
}

/** fork: the child keeps the markers of every VMA it inherits, except MADV_WIPEONFORK ones (copy_page_range is skipped there). */
export function copyGuards(parent: AddressSpace, child: AddressSpace): void {
  for (const page of parent.guards) {
    const seg = parent.vmas.find(page * PAGE_SIZE);
    if (seg === undefined || (seg.value.flags & (VM_WIPEONFORK | VM_DONTCOPY)) !== 0) continue;
    child.guards.add(page);
  }
}
