/**
 * The bits of a /proc/kpageflags entry (include/uapi/linux/kernel-page-flags.h),
 * as bit numbers: entry & (1n << BigInt(KPF.DIRTY)). tskern reports the ones
 * it keeps (see PhysicalPageSource); the others stay 0.
 */
export const KPF = {
  LOCKED: 0,
  ERROR: 1,
  REFERENCED: 2,
  UPTODATE: 3,
  DIRTY: 4,
  LRU: 5,
  ACTIVE: 6,
  SLAB: 7,
  WRITEBACK: 8,
  RECLAIM: 9,
  /** A free page (in the buddy allocator's free lists). */
  BUDDY: 10,
  /** Mapped by some page-table entry. */
  MMAP: 11,
  /** Anonymous memory: a private page (not shmem, not page cache). */
  ANON: 12,
  SWAPCACHE: 13,
  /** Anonymous or shmem memory: swap would back it. */
  SWAPBACKED: 14,
  COMPOUND_HEAD: 15,
  COMPOUND_TAIL: 16,
  HUGE: 17,
  UNEVICTABLE: 18,
  HWPOISON: 19,
  /** No page at this frame number (a hole in physical memory). */
  NOPAGE: 20,
  KSM: 21,
  THP: 22,
  OFFLINE: 23,
  /** The shared zero page. */
  ZERO_PAGE: 24,
  IDLE: 25,
  PGTABLE: 26,
} as const;

/**
 * The page frame number of frame 0, the first frame of the page allocator:
 * frame F is page frame number FIRST_PFN + F in /proc/[pid]/pagemap,
 * /proc/kpageflags and /proc/kpagecount. As on riscv64 Linux on QEMU's virt
 * board, whose RAM starts at 0x80000000: the frame numbers below are no
 * memory (KPF_NOPAGE), and no page has frame number 0, which programs take
 * for "no page" (LTP's msync04 does).
 */
export const FIRST_PFN = 0x80000;

/**
 * Physical memory frame by frame, as /proc/kpageflags and /proc/kpagecount
 * read it (fs/proc/page.c), indexed by page frame number (FIRST_PFN + frame).
 */
export interface PhysicalPageSource {
  /** Page frame numbers stop below this one (get_max_dump_pfn): reads stop there. */
  readonly endPfn: number;
  /** The kpageflags entries of frame numbers [first, first + count) (stable_page_flags); first + count <= endPfn. */
  flags(first: number, count: number): BigUint64Array;
  /** The kpagecount entries of frame numbers [first, first + count): how many page-table entries map each (its mapcount). */
  mapCounts(first: number, count: number): BigUint64Array;
  /**
   * The kpagecgroup entries (CONFIG_MEMCG: page_cgroup_ino): the inode
   * number of the memory cgroup each page is charged to, 0 for a page
   * charged to none. Absent: the kernel has no memory controller and there
   * is no /proc/kpagecgroup.
   */
  cgroupInodes?(first: number, count: number): BigUint64Array;
}
