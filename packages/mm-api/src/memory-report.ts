/**
 * What an address space tells /proc about its memory, VMA by VMA and page by
 * page: the query the memory manager answers and procfs formats as
 * /proc/[pid]/smaps, smaps_rollup and pagemap (fs/proc/task_mmu.c walks the
 * page tables the same way and prints the sums).
 */

/**
 * Fixed-point shift of proportional figures (Linux's PSS_SHIFT): a page
 * mapped `n` times adds `(PAGE_SIZE << 12) / n` (integer division), so the
 * bytes are `pss >> 12`, as fs/proc/task_mmu.c keeps its division errors low.
 */
export const PSS_SHIFT = 12;

/** One VMA's resident memory, summed over its present pages (smaps_account). Sizes in bytes. */
export interface VmaMemoryReport {
  readonly start: number;
  readonly end: number;
  /** The VMA's /proc/[pid]/maps line, without the newline (smaps prints it as the header). */
  readonly mapsLine: string;
  /** Bytes of present pages (Rss). */
  readonly resident: number;
  /** Proportional share, bytes << PSS_SHIFT: a page mapped n times counts 1/n. */
  readonly pss: number;
  /** The part of `pss` from dirty pages (Pss_Dirty). */
  readonly pssDirty: number;
  /** The part of `pss` from anonymous pages, from shared memory (shmem) and from file pages (smaps_rollup's Pss_Anon, Pss_Shmem, Pss_File). */
  readonly pssAnon: number;
  readonly pssShmem: number;
  readonly pssFile: number;
  /** Present pages mapped more than once (by any address space), clean or dirty. */
  readonly sharedClean: number;
  readonly sharedDirty: number;
  /** Present pages mapped once. */
  readonly privateClean: number;
  readonly privateDirty: number;
  /** Pages accessed since mapped (Referenced). */
  readonly referenced: number;
  /** Anonymous pages (private memory and copy-on-write copies). */
  readonly anonymous: number;
  /** The VMA is mlocked (VM_LOCKED): smaps counts its whole Pss as Locked. */
  readonly locked: boolean;
  /** The VmFlags mnemonics (`rd wr mr mw me ac`), in Linux's bit order. */
  readonly vmFlags: readonly string[];
}

/**
 * Bits of a /proc/[pid]/pagemap entry (Documentation/admin-guide/mm/pagemap.rst):
 * bits 0-54 the page frame number (shown to CAP_SYS_ADMIN only), or for a
 * swap-type entry its type and offset.
 */
export const PM_PFN_MASK = (1n << 55n) - 1n;
export const PM_SOFT_DIRTY = 1n << 55n;
/** The page is mapped exactly once. */
export const PM_MMAP_EXCLUSIVE = 1n << 56n;
export const PM_UFFD_WP = 1n << 57n;
/** The entry is a guard marker (MADV_GUARD_INSTALL, Linux 6.15). */
export const PM_GUARD_REGION = 1n << 58n;
/** The page is a file page or shared anonymous memory (not a private anonymous page). */
export const PM_FILE = 1n << 61n;
/** The entry is swapped out, or a swap-type marker. */
export const PM_SWAP = 1n << 62n;
export const PM_PRESENT = 1n << 63n;

/** An address space's page table as /proc/[pid]/pagemap reads it. */
export interface PagemapSource {
  /** End of the user address space (TASK_SIZE): entries stop there. */
  readonly taskSize: number;
  /**
   * The entries of pages [firstPage, firstPage + count), one 64-bit value
   * each; page frame numbers only when `showPfn` (the reader had
   * CAP_SYS_ADMIN when it opened the file), else those bits are 0.
   */
  entries(firstPage: number, count: number, showPfn: boolean): BigUint64Array;
}
