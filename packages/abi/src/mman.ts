/** Memory-management constants of Linux x86-64 (uapi asm-generic/mman-common.h, linux/mman.h). */

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const PAGE_MASK = PAGE_SIZE - 1;

/**
 * Default lowest address a mapping may use: vm.mmap_min_addr's built-in
 * default (DEFAULT_MMAP_MIN_ADDR in mm/Kconfig; distributions often raise it to
 * 65536). Memory managers take it as an option.
 */
export const MMAP_MIN_ADDR = 4096;
/** End of the 47-bit x86-64 user address space (TASK_SIZE: 2^47 - one page). */
export const TASK_SIZE = 0x7ffffffff000;

export const PROT = {
  PROT_NONE: 0x0,
  PROT_READ: 0x1,
  PROT_WRITE: 0x2,
  PROT_EXEC: 0x4,
  PROT_SEM: 0x8,
  PROT_GROWSDOWN: 0x01000000,
  PROT_GROWSUP: 0x02000000,
} as const;

export const MAP = {
  MAP_FILE: 0x0,
  MAP_SHARED: 0x01,
  MAP_PRIVATE: 0x02,
  MAP_SHARED_VALIDATE: 0x03,
  MAP_DROPPABLE: 0x08,
  MAP_TYPE: 0x0f,
  MAP_FIXED: 0x10,
  MAP_ANONYMOUS: 0x20,
  MAP_ANON: 0x20,
  MAP_32BIT: 0x40,
  MAP_GROWSDOWN: 0x0100,
  MAP_DENYWRITE: 0x0800,
  MAP_EXECUTABLE: 0x1000,
  MAP_LOCKED: 0x2000,
  MAP_NORESERVE: 0x4000,
  MAP_POPULATE: 0x8000,
  MAP_NONBLOCK: 0x10000,
  MAP_STACK: 0x20000,
  MAP_HUGETLB: 0x40000,
  MAP_SYNC: 0x80000,
  MAP_FIXED_NOREPLACE: 0x100000,
  MAP_UNINITIALIZED: 0x4000000,
} as const;

/** MAP_HUGE_2MB and MAP_HUGE_1GB (huge page size encodings in bits 26..31). */
export const MAP_HUGE_2MB = 21 << 26;
export const MAP_HUGE_1GB = 30 << 26;

/**
 * The flags MAP_SHARED_VALIDATE accepts (include/linux/mman.h LEGACY_MAP_MASK;
 * MAP_SYNC only on DAX files), as mm/mmap.c:do_mmap checks; any other bit
 * gives EOPNOTSUPP.
 */
export const LEGACY_MAP_MASK =
  MAP.MAP_SHARED | MAP.MAP_PRIVATE | MAP.MAP_FIXED | MAP.MAP_ANONYMOUS | MAP.MAP_DENYWRITE |
  MAP.MAP_EXECUTABLE | MAP.MAP_UNINITIALIZED | MAP.MAP_GROWSDOWN | MAP.MAP_LOCKED |
  MAP.MAP_NORESERVE | MAP.MAP_POPULATE | MAP.MAP_NONBLOCK | MAP.MAP_STACK | MAP.MAP_HUGETLB |
  MAP.MAP_32BIT | MAP_HUGE_2MB | MAP_HUGE_1GB;

export const MS = { MS_ASYNC: 1, MS_INVALIDATE: 2, MS_SYNC: 4 } as const;

export const MREMAP = { MREMAP_MAYMOVE: 1, MREMAP_FIXED: 2, MREMAP_DONTUNMAP: 4 } as const;

export const MADV = {
  MADV_NORMAL: 0,
  MADV_RANDOM: 1,
  MADV_SEQUENTIAL: 2,
  MADV_WILLNEED: 3,
  MADV_DONTNEED: 4,
  MADV_FREE: 8,
  MADV_REMOVE: 9,
  MADV_DONTFORK: 10,
  MADV_DOFORK: 11,
  MADV_MERGEABLE: 12,
  MADV_UNMERGEABLE: 13,
  MADV_HUGEPAGE: 14,
  MADV_NOHUGEPAGE: 15,
  MADV_DONTDUMP: 16,
  MADV_DODUMP: 17,
  MADV_WIPEONFORK: 18,
  MADV_KEEPONFORK: 19,
  MADV_COLD: 20,
  MADV_PAGEOUT: 21,
  MADV_POPULATE_READ: 22,
  MADV_POPULATE_WRITE: 23,
  MADV_DONTNEED_LOCKED: 24,
  MADV_COLLAPSE: 25,
  MADV_HWPOISON: 100,
  MADV_SOFT_OFFLINE: 101,
  MADV_GUARD_INSTALL: 102,
  MADV_GUARD_REMOVE: 103,
} as const;

/** Round up to a page boundary (numbers stay exact below 2^53). */
export function pageRoundUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/** Round down to a page boundary. */
export function pageRoundDown(n: number): number {
  return Math.floor(n / PAGE_SIZE) * PAGE_SIZE;
}

/** Whether n is a multiple of the page size. */
export function isPageAligned(n: number): boolean {
  return n % PAGE_SIZE === 0;
}
