import { invariant } from '@tskern/assert';
import type { FrameAllocator } from './frame-allocator';

/**
 * Throw InvariantError unless `alloc` has no frame in use: tests call it
 * after tearing everything down to catch leaked references.
 */
export function assertNoFramesInUse(alloc: FrameAllocator, context = 'frames leaked'): void {
  const used = alloc.stats().usedFrames;
  invariant(used === 0, () => `${context}: ${used} frame(s) still in use`);
}

/** Frames `alloc` has in use right now. */
export function framesInUse(alloc: FrameAllocator): number {
  return alloc.stats().usedFrames;
}
