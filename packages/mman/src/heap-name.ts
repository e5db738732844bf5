import type { AddressSpace } from './address-space';

/**
 * Whether anonymous memory over [start, end) shows as `[heap]` in maps, as
 * include/linux/mm.h vma_is_initial_heap (Linux 6.7+): it overlaps
 * [start_brk, brk). The heap is a plain VMA: a mapping that merged with it
 * is named `[heap]` too, and nothing is while the break is at its start.
 */
export function isInitialHeap(as: AddressSpace, start: number, end: number): boolean {
  const { startBrk, brk } = as.programBreak;
  return start < brk && end > startBrk;
}
