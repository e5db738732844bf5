/**
 * Conformance kernel profile `chunked`: the default kernel assembled with the
 * second frame allocator (frames in separately grown chunks), proving the
 * allocator interface is pluggable: the suite must give the same transcripts.
 */
import { createKernel as createDefaultKernel, type Kernel } from '@tskern/kernel';
import { ChunkedFrameAllocator } from '@tskern/pagealloc';

export function createKernel(): Kernel {
  return createDefaultKernel({ frames: new ChunkedFrameAllocator({ chunkFrames: 64 }) });
}
