/**
 * @tskern/mman — the shared-mapping manager: per-process address spaces with
 * VMAs and page tables kept apart, demand paging, copy-on-write, and every
 * mman call with Linux's checks. See README.md for how Linux's structures map
 * to these files.
 */
export { AddressSpace } from './address-space';
export { memoryOptions, MemoryTunables, DEFAULT_MAX_MAP_COUNT, DEFAULT_MMAP_BASE, DEFAULT_STACK_SIZE, type MemoryOptions, type MemoryOverrides } from './options';
export { mmap } from './mmap';
export { munmap } from './munmap';
export { mprotect } from './mprotect';
export { mremap } from './mremap';
export { msync } from './msync';
export { madvise } from './madvise';
export { mincore, mincorePages } from './mincore';
export { forkAddressSpace } from './fork';
export { formatMaps } from './maps';
export { memoryReport } from './smaps';
export { pagemapEntries, pagemapSource } from './pagemap';
export { physicalPageSource } from './physical-pages';
export { mapStack } from './stack';
export { handleFault, handleUserFault } from './fault';
export { futexKeyOf } from './futex-key';
export { load, store, fill, copyIn, copyOut, readString, forEachUserChunk } from './user-access';
export { standaloneSharedAnonymous } from './standalone-shared-anonymous';
export { Vma, canMerge, VM_LOCKED, VM_LOCKONFAULT, VM_LOCKED_MASK, VM_DONTDUMP } from './vma';
export { brk, setProgramBreak } from './brk';
export type { ProgramBreak } from './program-break';
export { isInitialHeap } from './heap-name';
export { mlock, mlock2, munlock, mlockall, munlockall } from './mlock';
export { lockedBytes, lockedBytesIn, mappedBytes, mlockFutureOk } from './locked-memory';
export { residentBytes, peakResidentBytes } from './resident-memory';
export { populateRange } from './populate';
export { reclaimDroppable } from './droppable-reclaim';
export { canDoMlock, UNLIMITED_MEMORY, type MemoryLimits } from './memory-limits';
export { PageTable } from './page-table';
export type { TranslationObserver } from './translation-observer';
export { PTE_PRESENT, PTE_READ, PTE_WRITE, PTE_EXEC, PTE_ANON, PTE_COW } from './pte';
export { registerUserFaults, unregisterUserFaults, releaseUserFaults, validateUserFaultRange } from './userfault-range';
export { fillUserFaultPages, type UserFaultSource } from './userfault-fill';
