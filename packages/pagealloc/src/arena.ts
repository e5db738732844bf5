import { invariant } from '@tskern/assert';
import { PAGE_SIZE, type FrameId, type NoFrame } from './constants';
import { FrameTable } from './frame-table';
import { TableFrameAllocator } from './table-allocator';

/** Sizing for an {@link ArenaFrameAllocator}; give `frames` or `bytes` (default 256 MiB). */
export interface ArenaOptions {
  /** Number of frames. */
  frames?: number;
  /** Arena size in bytes, rounded down to whole frames. */
  bytes?: number;
  /**
   * Back the arena with a SharedArrayBuffer so worker threads can see the
   * bytes. Only the bytes are shared: the refcounts stay with this allocator.
   */
  shared?: boolean;
}

/** Default arena: 65,536 frames = 256 MiB of virtual size (nothing is touched until used). */
export const DEFAULT_ARENA_FRAMES = 65_536;

/** Largest arena: one Uint8Array may hold at most 2^32 bytes in Node 20. */
export const MAX_ARENA_FRAMES = 2 ** 32 / PAGE_SIZE;

/**
 * Frames carved out of one ArrayBuffer. The OS zero-fills the buffer lazily
 * and the allocator only moves into never-used frames (by a bump pointer)
 * when no freed frame is left to reuse, so a large arena costs only its peak
 * usage in resident memory.
 *
 * Zeroing happens on allocation, and only for recycled frames: fresh frames
 * are already zero, frames freed and never reused cost nothing, and the page
 * is zeroed just before use, while it is about to be in cache anyway.
 */
export class ArenaFrameAllocator extends TableFrameAllocator {
  /** The whole arena; frame f is `bytes[f * 4096 .. f * 4096 + 4096)`. */
  readonly bytes: Uint8Array;

  /** Create an arena (default 256 MiB); see {@link ArenaOptions}. */
  constructor(opts: ArenaOptions = {}) {
    const frames =
      opts.frames ??
      (opts.bytes !== undefined ? Math.floor(opts.bytes / PAGE_SIZE) : DEFAULT_ARENA_FRAMES);
    invariant(
      Number.isInteger(frames) && frames > 0 && frames <= MAX_ARENA_FRAMES,
      'ArenaFrameAllocator: arena must hold between 1 frame and 4 GiB',
    );
    super(new FrameTable(frames), frames);
    const size = frames * PAGE_SIZE;
    const buffer = opts.shared === true ? new SharedArrayBuffer(size) : new ArrayBuffer(size);
    this.bytes = new Uint8Array(buffer);
  }

  /** {@inheritDoc FrameAllocator.allocate} */
  allocate(): FrameId | NoFrame {
    const f = this.table.takeRecycled();
    if (f >= 0) {
      const at = f * PAGE_SIZE;
      this.bytes.fill(0, at, at + PAGE_SIZE);
      return f;
    }
    return this.table.takeFresh(this.totalFrames);
  }

  /** {@inheritDoc FrameAllocator.allocateUninitialized} */
  allocateUninitialized(): FrameId | NoFrame {
    const f = this.table.takeRecycled();
    return f >= 0 ? f : this.table.takeFresh(this.totalFrames);
  }

  /** The array that holds `frame` (no check: the base class checks). */
  protected bytesOf(_frame: FrameId): Uint8Array {
    return this.bytes;
  }

  /** Where `frame` starts in `bytesOf(frame)`. */
  protected byteOffset(frame: FrameId): number {
    return frame * PAGE_SIZE;
  }
}
