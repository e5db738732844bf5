/**
 * Page flags a frame's owner keeps on it, as Linux's `page->flags`
 * (include/linux/page-flags.h): the page cache marks a page dirty when it
 * is written through a mapping or write(2) and clears the mark when
 * write-back has stored it. /proc/kpageflags reports them (fs/proc/page.c),
 * which is how a program tells that msync(2) cleaned a page.
 *
 * The bits are tskern's own; procfs translates them to KPF_* numbers.
 */
export const PG = {
  /** PG_dirty: the page holds data its backing store does not have yet. */
  DIRTY: 1 << 0,
  /** PG_uptodate: the page holds the backing store's data (read or written whole). */
  UPTODATE: 1 << 1,
  /** PG_writeback: being written to the backing store. */
  WRITEBACK: 1 << 2,
  /** PG_referenced: accessed since the last scan. */
  REFERENCED: 1 << 3,
  /** PG_lru: on an LRU list (a page cache or anonymous page the reclaim could see). */
  LRU: 1 << 4,
  /** PG_swapbacked: anonymous or shmem memory (no file behind it). */
  SWAPBACKED: 1 << 5,
} as const;
