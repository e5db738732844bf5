/**
 * An address space as a mappable object sees it: something it can ask to drop
 * translations. Compare gVisor's memmap.MappingSpace.
 */
export interface MappingSpace {
  /**
   * Drop the page-table entries of [start, end) (addresses, page-aligned) so the
   * next access faults and translates again. With `invalidatePrivate`, private
   * copy-on-write copies in the range are dropped too (truncate: pages past the
   * new EOF must SIGBUS even where a private copy existed, as
   * mm/truncate.c:truncate_pagecache does through unmap_mapping_range with
   * even_cows = 1).
   */
  invalidate(start: number, end: number, invalidatePrivate: boolean): void;
  /**
   * page_mkclean: make the shared entries of [start, end) (the object's
   * pages, not private copies) read-only and clean, keeping them present,
   * so the next store faults and tells the object (Mappable.writeNotify).
   * Absent: the object invalidates instead (the next access faults).
   */
  writeProtect?(start: number, end: number): void;
}
