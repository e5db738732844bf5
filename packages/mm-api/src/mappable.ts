import type { Status } from '@tskern/abi';
import type { FrameAllocator, FrameId } from '@tskern/pagealloc';
import type { MappingSpace } from './mapping-space';

/**
 * `translate` answers a frame id (>= 0) or one of these codes. They are not
 * errnos and must not read as one: they lie below the errno range
 * (-4095..-1, IS_ERR_VALUE), so `isError` is false for them and no `-EPERM`
 * (-1) or `-ENOENT` (-2) equals them, and their literal types differ from
 * `NegErrno` and `FrameId`. A fault turns either into SIGBUS; a syscall that
 * translates (a futex key, a hole punch) picks its own errno.
 * Compare gVisor's memmap.Mappable.Translate and its BusError.
 */
export const TRANSLATE_SIGBUS = -4097; // the page lies wholly past EOF: the access gets SIGBUS
export const TRANSLATE_NOMEM = -4098; // no frame could be allocated: the access gets SIGBUS (as Linux's VM_FAULT_OOM in a page fault of a user task under a memcg limit)

/** Why `translate` gave no frame. */
export type TranslateFault = typeof TRANSLATE_SIGBUS | typeof TRANSLATE_NOMEM;

/** What `translate` answers: the frame, or why there is none (check with `isFrame`). */
export type TranslateResult = FrameId | TranslateFault;

/**
 * The inode side of a memory mapping: a file, a shm object, or shared
 * anonymous memory. Address spaces register every range they map so that the
 * object can invalidate them all (truncate, MADV_REMOVE): that reverse map is
 * what Linux keeps in `address_space.i_mmap`, and a `MappingSet` here.
 * (What an open file offers mmap(2) is a different thing, its
 * `MmapSourceProvider`.)
 *
 * Precondition for every method: offsets are page-aligned, lengths are whole
 * pages. Frames come from the kernel-wide allocator `frames`, the same one the
 * address spaces use, so a page table can hold a reference on them.
 */
export interface Mappable {
  /** The allocator that owns every frame `translate` returns. */
  readonly frames: FrameAllocator;

  /** `space` now maps [start, end) to object offsets [offset, offset + end - start). */
  addMapping(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): void;

  /** The registration made by `addMapping` with the same arguments is gone. */
  removeMapping(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): void;

  /**
   * Optional batch form of `removeMapping` for a space that goes away whole
   * (exit, execve): every registration of `space` is gone at once, so a
   * teardown of N mappings of one object does one call, not N. Objects
   * without it get one `removeMapping` per mapping.
   */
  removeAllMappings?(space: MappingSpace): void;

  /**
   * The frame holding the page at `offset`, allocating a zeroed one for a hole.
   * The caller takes its own reference (incRef) if it keeps the frame.
   * `write` says whether the access is a store (a read may still allocate: the
   * page cache of a ramfs file is its only storage).
   */
  translate(offset: number, write: boolean): TranslateResult;

  /** Whether the page at `offset` is in memory (mincore). */
  isResident(offset: number): boolean;

  /**
   * The object wants to hear of the first store to each clean page
   * (vma_wants_writenotify: a file system with page_mkwrite or dirty
   * accounting, as a disk file system): a shared mapping maps a page it
   * loads read-only, so the first store faults and calls `translate(offset,
   * true)`, which marks the page dirty. After writing pages back the object
   * write-protects them again (`MappingSet.writeProtect`, page_mkclean), so
   * the next store faults again.
   * Absent: stores after a read fault go unseen (ramfs and shmem, whose
   * pages Linux maps writable at once too).
   */
  readonly writeNotify?: boolean;

  /**
   * The object's size in bytes (pages wholly past it give SIGBUS): exact, a
   * bigint past 2^53 (a tmpfs file grows to 2^63 - 1).
   */
  size(): number | bigint;

  /**
   * Free the pages of [offset, offset + length) for every sharer (MADV_REMOVE,
   * fallocate PUNCH_HOLE). Returns 0, or `-errno` (`-EOPNOTSUPP` where the
   * object cannot punch holes).
   */
  punchHole(offset: number, length: number): Status;
}
