/** The MMF_DUMP_* bits of coredump_filter (include/linux/sched/coredump.h), shifted to bit 0 as /proc shows them. */
export const DUMP_FILTER = {
  ANON_PRIVATE: 1 << 0,
  ANON_SHARED: 1 << 1,
  MAPPED_PRIVATE: 1 << 2,
  MAPPED_SHARED: 1 << 3,
  ELF_HEADERS: 1 << 4,
  HUGETLB_PRIVATE: 1 << 5,
  HUGETLB_SHARED: 1 << 6,
  DAX_PRIVATE: 1 << 7,
  DAX_SHARED: 1 << 8,
} as const;

/** MMF_DUMP_FILTER_BITS: the bits a write to coredump_filter keeps. */
export const DUMP_FILTER_MASK = (1 << 9) - 1;

/** What vma_dump_size looks at of one mapping. */
export interface DumpedMapping {
  readonly length: number;
  /** VM_DONTDUMP (MADV_DONTDUMP). */
  readonly dontDump: boolean;
  /** VM_SHARED. */
  readonly shared: boolean;
  /** Backed by an object (vm_file): a file, shm, or shared anonymous memory. */
  readonly fileBacked: boolean;
  /** Its object has no name left (i_nlink 0): shared anonymous memory, a removed file. */
  readonly unlinked: boolean;
  /** Holds anonymous pages (vma->anon_vma: a private mapping that was written). */
  readonly written: boolean;
  readonly readable: boolean;
  /** vm_pgoff 0: maps its object from the start. */
  readonly atObjectStart: boolean;
  /** Whether the object starts with an ELF header (asked only when that can matter). */
  startsWithElf(): boolean;
}

/**
 * vma_dump_size (fs/coredump.c): how many bytes of a mapping a core dump
 * writes. VM_DONTDUMP writes none; a shared mapping all of it when the
 * filter takes its kind (anonymous-shared for an unlinked object, else
 * mapped-shared), else none; a private one that holds anonymous pages all
 * of it under ANON_PRIVATE; an untouched private file mapping all of it
 * under MAPPED_PRIVATE, or its first page when it maps an ELF file from
 * offset 0, readable, under ELF_HEADERS. tskern has no vDSO, device
 * (VM_IO), huge page or DAX mappings, so those rules never apply.
 */
export function vmaDumpSize(m: DumpedMapping, filter: number, pageSize: number): number {
  if (m.dontDump) return 0;
  if (m.shared) {
    const kind = m.unlinked ? DUMP_FILTER.ANON_SHARED : DUMP_FILTER.MAPPED_SHARED;
    return (filter & kind) !== 0 ? m.length : 0;
  }
  if (m.written && (filter & DUMP_FILTER.ANON_PRIVATE) !== 0) return m.length;
  if (!m.fileBacked) return 0;
  if ((filter & DUMP_FILTER.MAPPED_PRIVATE) !== 0) return m.length;
  if ((filter & DUMP_FILTER.ELF_HEADERS) !== 0 && m.atObjectStart && m.readable && m.startsWithElf()) {
    return Math.min(pageSize, m.length);
  }
  return 0;
}
