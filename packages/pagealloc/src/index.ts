/**
 * @tskern/pagealloc: refcounted page frames, the physical memory under
 * tskern's page caches, anonymous memory and copy-on-write.
 */
export { PAGE_SHIFT, PAGE_SIZE } from './constants';
export { storedFrame, isFrame, NO_FRAME } from './constants';
export type { FrameId, NoFrame } from './constants';
export type { FrameAllocator, FrameStats } from './frame-allocator';
export { PG } from './page-flags';
export { ArenaFrameAllocator, DEFAULT_ARENA_FRAMES, MAX_ARENA_FRAMES } from './arena';
export type { ArenaOptions } from './arena';
export { ChunkedFrameAllocator } from './chunked';
export type { ChunkedOptions } from './chunked';
export { DelegatingFrameAllocator } from './delegating';
export { LimitedFrameAllocator } from './limited';
export type { LimitOptions } from './limited';
export { FaultyFrameAllocator } from './faulty';
export { assertNoFramesInUse, framesInUse } from './leaks';
export { copyBytes } from './copy-bytes';
export { TableFrameAllocator } from './table-allocator';
