import type { FrameId, NoFrame } from './constants';

/** Counters describing an allocator's frames. */
export interface FrameStats {
  /** Frames the allocator can hand out at most. */
  totalFrames: number;
  /** Frames currently allocated (refcount >= 1). */
  usedFrames: number;
  /** `totalFrames - usedFrames`. */
  freeFrames: number;
  /** Successful allocations so far. */
  allocations: number;
  /** Frames returned to the free pool so far (refcount reached 0). */
  frees: number;
}

/**
 * Physical memory for tskern: refcounted page frames. Page caches, anonymous
 * memory and COW all hold frames by id and share them by reference count.
 *
 * Misuse (touching a free frame, a bad id, an out-of-page range) is a kernel
 * bug and throws InvariantError; running out of memory is not, and is
 * reported as -1 from the allocate methods.
 */
export interface FrameAllocator {
  /** Bytes per frame: always PAGE_SIZE (4096). */
  readonly pageSize: number;
  /** A zero-filled frame with refcount 1, or -1 when out of memory (never throws for OOM). */
  allocate(): FrameId | NoFrame;
  /**
   * Like `allocate` but the contents are unspecified: for callers that
   * overwrite the whole page at once (COW copies, whole-page reads), which
   * saves zeroing a recycled frame.
   */
  allocateUninitialized(): FrameId | NoFrame;
  /** Take another reference to an allocated frame. */
  incRef(frame: FrameId): void;
  /** Drop a reference; at 0 the frame returns to the free pool. */
  decRef(frame: FrameId): void;
  /** Current reference count of an allocated frame. */
  refCount(frame: FrameId): number;
  /** Whether the refcount is exactly 1: the last COW owner may then write without copying. */
  isUnique(frame: FrameId): boolean;
  /** The byte array holding the frame (the arena, or the frame's chunk)... */
  memory(frame: FrameId): Uint8Array;
  /** ...and the frame's byte offset in it: its bytes are `memory(f)[offset(f) .. offset(f) + 4096)`. */
  offset(frame: FrameId): number;
  /** Copy `length` bytes from the frame at `frameOffset` into `dst` at `dstOffset`. */
  read(
    frame: FrameId,
    frameOffset: number,
    dst: Uint8Array,
    dstOffset: number,
    length: number,
  ): void;
  /** Copy `length` bytes from `src` at `srcOffset` into the frame at `frameOffset`. */
  write(
    frame: FrameId,
    frameOffset: number,
    src: Uint8Array,
    srcOffset: number,
    length: number,
  ): void;
  /** Copy a whole page from frame `from` to frame `to` (the COW copy). */
  copy(from: FrameId, to: FrameId): void;
  /** Zero `length` bytes of the frame from `frameOffset`. */
  zero(frame: FrameId, frameOffset: number, length: number): void;
  /** A snapshot of the allocator's counters. */
  stats(): FrameStats;
  /** The `PG` flags of an allocated frame: 0 when fresh; a freed frame loses them. */
  pageFlags(frame: FrameId): number;
  /** Set the `set` bits, then clear the `clear` bits, of an allocated frame's `PG` flags (SetPageDirty, ClearPageDirty). */
  updatePageFlags(frame: FrameId, set: number, clear: number): void;
  /**
   * Whether `frame` (any number) names an allocated frame: false for a free
   * frame and for a number that is no frame of this allocator. The one
   * question about a frame that may be asked of a free one, as
   * /proc/kpageflags asks it of every frame number (fs/proc/page.c).
   */
  isAllocated(frame: number): boolean;
}
