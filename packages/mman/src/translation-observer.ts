/**
 * Something that caches translations of an address space (a CPU's software
 * TLB, a decoded-instruction cache) and must drop them when they change.
 * Registered with `PageTable.observe`.
 */
export interface TranslationObserver {
  /**
   * The translations of pages [startPage, endPage) changed or went away
   * (page numbers, address / PAGE_SIZE). Called after the page table
   * changed, so a lookup from inside the callback sees the new state; the
   * callback must not change the page table itself.
   */
  invalidate(startPage: number, endPage: number): void;
}
