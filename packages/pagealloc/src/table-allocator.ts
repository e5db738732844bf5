import { invariant } from '@tskern/assert';
import { PAGE_SIZE, type FrameId } from './constants';
import type { FrameAllocator, FrameStats } from './frame-allocator';
import type { FrameTable } from './frame-table';

/**
 * What every allocator that keeps its refcounts in a FrameTable shares: the
 * reference counting, statistics and checks. Subclasses say where a frame's
 * bytes live (`memory`, `offset`) and how frames are allocated and copied.
 */
export abstract class TableFrameAllocator implements FrameAllocator {
  /** Bytes per frame. */
  readonly pageSize = PAGE_SIZE;

  protected constructor(
    protected readonly table: FrameTable,
    /** Number of frames the allocator can hand out. */
    readonly totalFrames: number,
  ) {}

  abstract allocate(): FrameId | -1;
  abstract allocateUninitialized(): FrameId | -1;
  abstract memory(frame: FrameId): Uint8Array;
  abstract offset(frame: FrameId): number;
  abstract read(frame: FrameId, frameOffset: number, dst: Uint8Array, dstOffset: number, length: number): void;
  abstract write(frame: FrameId, frameOffset: number, src: Uint8Array, srcOffset: number, length: number): void;
  abstract copy(from: FrameId, to: FrameId): void;
  abstract zero(frame: FrameId, frameOffset: number, length: number): void;

  /** {@inheritDoc FrameAllocator.incRef} */
  incRef(frame: FrameId): void {
    this.table.incRef(frame);
  }

  /** {@inheritDoc FrameAllocator.decRef} */
  decRef(frame: FrameId): void {
    this.table.decRef(frame);
  }

  /** {@inheritDoc FrameAllocator.refCount} */
  refCount(frame: FrameId): number {
    return this.table.refCount(frame);
  }

  /** {@inheritDoc FrameAllocator.isUnique} */
  isUnique(frame: FrameId): boolean {
    return this.table.refCount(frame) === 1;
  }

  /** {@inheritDoc FrameAllocator.stats} */
  stats(): FrameStats {
    return this.table.stats(this.totalFrames);
  }

  /** Ids of allocated frames, for leak reports. */
  usedFrameIds(): FrameId[] {
    return this.table.usedFrameIds();
  }

  /** Verify refcounts, free list and counters agree (O(frames ever used)). */
  checkInvariants(): void {
    this.table.checkInvariants();
  }

  /** A byte range of one live frame (InvariantError otherwise). */
  protected checkRange(frame: FrameId, frameOffset: number, length: number): void {
    this.table.check(frame);
    invariant(
      frameOffset >= 0 && length >= 0 && frameOffset + length <= PAGE_SIZE,
      'FrameAllocator: byte range outside the page',
    );
  }
}
