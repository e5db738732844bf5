import { invariant } from '@tskern/assert';
import { PAGE_SIZE, type FrameId, type NoFrame } from './constants';
import { copyBytes } from './copy-bytes';
import type { FrameAllocator, FrameStats } from './frame-allocator';
import type { FrameTable } from './frame-table';

/**
 * What every allocator that keeps its refcounts in a FrameTable shares: the
 * reference counting, statistics, checks and byte access. Subclasses say
 * where a frame's bytes live (`bytesOf`, `byteOffset`) and how frames are
 * allocated.
 */
export abstract class TableFrameAllocator implements FrameAllocator {
  /** Bytes per frame. */
  readonly pageSize = PAGE_SIZE;

  /** `PG` flags of the frames that have any (most have none). */
  private readonly flags = new Map<FrameId, number>();

  protected constructor(
    protected readonly table: FrameTable,
    /** Number of frames the allocator can hand out. */
    readonly totalFrames: number,
  ) {}

  abstract allocate(): FrameId | NoFrame;
  abstract allocateUninitialized(): FrameId | NoFrame;
  /** The array that holds `frame` (unchecked; the public methods check). */
  protected abstract bytesOf(frame: FrameId): Uint8Array;
  /** Where `frame` starts in `bytesOf(frame)` (unchecked). */
  protected abstract byteOffset(frame: FrameId): number;

  /** {@inheritDoc FrameAllocator.memory} */
  memory(frame: FrameId): Uint8Array {
    this.table.check(frame);
    return this.bytesOf(frame);
  }

  /** {@inheritDoc FrameAllocator.offset} */
  offset(frame: FrameId): number {
    this.table.check(frame);
    return this.byteOffset(frame);
  }

  /** {@inheritDoc FrameAllocator.read} */
  read(frame: FrameId, frameOffset: number, dst: Uint8Array, dstOffset: number, length: number): void {
    this.checkRange(frame, frameOffset, length);
    invariant(dstOffset >= 0 && dstOffset + length <= dst.length, 'FrameAllocator.read: destination too small');
    copyBytes(this.bytesOf(frame), this.byteOffset(frame) + frameOffset, dst, dstOffset, length);
  }

  /** {@inheritDoc FrameAllocator.write} */
  write(frame: FrameId, frameOffset: number, src: Uint8Array, srcOffset: number, length: number): void {
    this.checkRange(frame, frameOffset, length);
    invariant(srcOffset >= 0 && srcOffset + length <= src.length, 'FrameAllocator.write: source too small');
    copyBytes(src, srcOffset, this.bytesOf(frame), this.byteOffset(frame) + frameOffset, length);
  }

  /** {@inheritDoc FrameAllocator.copy} */
  copy(from: FrameId, to: FrameId): void {
    this.table.check(from);
    this.table.check(to);
    // copyBytes uses copyWithin when both frames share one array.
    copyBytes(this.bytesOf(from), this.byteOffset(from), this.bytesOf(to), this.byteOffset(to), PAGE_SIZE);
  }

  /** {@inheritDoc FrameAllocator.zero} */
  zero(frame: FrameId, frameOffset: number, length: number): void {
    this.checkRange(frame, frameOffset, length);
    const at = this.byteOffset(frame) + frameOffset;
    this.bytesOf(frame).fill(0, at, at + length);
  }

  /** {@inheritDoc FrameAllocator.incRef} */
  incRef(frame: FrameId): void {
    this.table.incRef(frame);
  }

  /** {@inheritDoc FrameAllocator.decRef} */
  decRef(frame: FrameId): void {
    // A freed frame starts its next life with no flags (free_pages_prepare).
    if (this.table.decRef(frame) && this.flags.size !== 0) this.flags.delete(frame);
  }

  /** {@inheritDoc FrameAllocator.pageFlags} */
  pageFlags(frame: FrameId): number {
    this.table.check(frame);
    return this.flags.get(frame) ?? 0;
  }

  /** {@inheritDoc FrameAllocator.updatePageFlags} */
  updatePageFlags(frame: FrameId, set: number, clear: number): void {
    this.table.check(frame);
    const next = ((this.flags.get(frame) ?? 0) | set) & ~clear;
    if (next === 0) this.flags.delete(frame);
    else this.flags.set(frame, next);
  }

  /** {@inheritDoc FrameAllocator.isAllocated} */
  isAllocated(frame: number): boolean {
    return this.table.isAllocated(frame);
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
