import { invariant } from '@tskern/assert';
import { NO_FRAME, type FrameId, type NoFrame } from './constants';
import type { FrameStats } from './frame-allocator';

/**
 * Frame bookkeeping shared by the allocators: reference counts, the free
 * list and counters. O(1) per operation, no allocation after construction.
 *
 * Never-used frames are handed out by a bump pointer, so the free list never
 * has to be filled up front and untouched memory stays untouched; frames that
 * were freed are reused first (LIFO), which keeps the resident set at the
 * peak usage and reuses cache-warm memory.
 */
export class FrameTable {
  /** Frames this table can hand out. */
  readonly capacity: number;
  /** Reference count per frame; 0 means free (or never used). */
  readonly refs: Uint32Array;
  /** Stack of freed frame ids, top at `freeTop - 1`. */
  private readonly freeStack: Int32Array;
  private freeTop = 0;
  /** Frames `[0, bump)` have been handed out at least once. */
  private bump = 0;
  private used = 0;
  private allocations = 0;
  private frees = 0;

  /** A table for `capacity` frames, all free. */
  constructor(capacity: number) {
    invariant(
      Number.isInteger(capacity) && capacity > 0 && capacity <= 2 ** 31 - 1,
      'FrameTable: bad capacity',
    );
    this.capacity = capacity;
    this.refs = new Uint32Array(capacity);
    this.freeStack = new Int32Array(capacity);
  }

  /** Pop a previously freed frame (its bytes are stale), or -1 if none. */
  takeRecycled(): FrameId | NoFrame {
    if (this.freeTop === 0) return NO_FRAME;
    const f = this.freeStack[--this.freeTop]! as FrameId; // only frames are ever pushed
    this.claim(f);
    return f;
  }

  /** The next never-used frame (its bytes are zero), or -1 if none; `limit` caps it further. */
  takeFresh(limit: number): FrameId | NoFrame {
    const f = this.bump as FrameId; // the table mints frame ids: [0, capacity)
    if (f >= this.capacity || f >= limit) return NO_FRAME;
    this.bump = f + 1;
    this.claim(f);
    return f;
  }

  /** The frame the next `takeFresh` would hand out (lets a chunked allocator grow first). */
  get nextFresh(): number {
    return this.bump;
  }

  private claim(f: FrameId): void {
    this.refs[f] = 1;
    this.used++;
    this.allocations++;
  }

  /** Throw unless `frame` is an allocated frame (refcount >= 1); out-of-range ids fail too. */
  check(frame: FrameId): void {
    // An out-of-range or fractional index reads undefined, which is not > 0.
    invariant(this.refs[frame]! > 0, 'FrameAllocator: frame is free or not a frame id');
  }

  /** See {@link FrameAllocator.isAllocated}. */
  isAllocated(frame: number): boolean {
    // An out-of-range or fractional index reads undefined, which is not > 0.
    return this.refs[frame]! > 0;
  }

  /** See {@link FrameAllocator.incRef}. */
  incRef(frame: FrameId): void {
    const c = this.refs[frame]!;
    invariant(c > 0, 'FrameAllocator.incRef: frame is free or not a frame id');
    invariant(c < 0xffffffff, 'FrameAllocator.incRef: refcount overflow');
    this.refs[frame] = c + 1;
  }

  /** See {@link FrameAllocator.decRef}; returns true when the frame became free. */
  decRef(frame: FrameId): boolean {
    const c = this.refs[frame]!;
    invariant(c > 0, 'FrameAllocator.decRef: frame is free or not a frame id');
    this.refs[frame] = c - 1;
    if (c !== 1) return false;
    this.freeStack[this.freeTop++] = frame;
    this.used--;
    this.frees++;
    return true;
  }

  /** See {@link FrameAllocator.refCount}. */
  refCount(frame: FrameId): number {
    const c = this.refs[frame]!;
    invariant(c > 0, 'FrameAllocator.refCount: frame is free or not a frame id');
    return c;
  }

  /** Counters; `total` is what the owning allocator can hand out. */
  stats(total: number): FrameStats {
    return {
      totalFrames: total,
      usedFrames: this.used,
      freeFrames: total - this.used,
      allocations: this.allocations,
      frees: this.frees,
    };
  }

  /** Ids of allocated frames (for leak reports in tests); O(frames ever used). */
  usedFrameIds(): FrameId[] {
    const out: FrameId[] = [];
    for (let f = 0; f < this.bump; f++) if (this.refs[f]! > 0) out.push(f as FrameId);
    return out;
  }

  /** Verify counters, free list and refcounts agree; O(frames ever used). */
  checkInvariants(): void {
    let live = 0;
    for (let f = 0; f < this.bump; f++) if (this.refs[f]! > 0) live++;
    invariant(live === this.used, 'FrameTable: used count disagrees with refcounts');
    invariant(
      this.freeTop + this.used === this.bump,
      'FrameTable: free list and used frames do not add up',
    );
    const seen = new Set<number>();
    for (let i = 0; i < this.freeTop; i++) {
      const f = this.freeStack[i]!;
      invariant(f >= 0 && f < this.bump && this.refs[f] === 0, 'FrameTable: bad free-list entry');
      invariant(!seen.has(f), 'FrameTable: frame on the free list twice');
      seen.add(f);
    }
    invariant(this.allocations - this.frees === this.used, 'FrameTable: counters disagree');
  }
}
