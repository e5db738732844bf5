import type { FrameId, NoFrame } from './constants';
import type { FrameAllocator, FrameStats } from './frame-allocator';

/**
 * A FrameAllocator that forwards everything to `inner`: the base for
 * wrappers that change only allocation policy (quotas, fault injection).
 */
export class DelegatingFrameAllocator implements FrameAllocator {
  /** Bytes per frame (the inner allocator's). */
  readonly pageSize: number;

  /** Wrap `inner`; frames are the inner allocator's frames. */
  constructor(readonly inner: FrameAllocator) {
    this.pageSize = inner.pageSize;
  }

  /** {@inheritDoc FrameAllocator.allocate} */
  allocate(): FrameId | NoFrame {
    return this.inner.allocate();
  }

  /** {@inheritDoc FrameAllocator.allocateUninitialized} */
  allocateUninitialized(): FrameId | NoFrame {
    return this.inner.allocateUninitialized();
  }

  /** {@inheritDoc FrameAllocator.incRef} */
  incRef(frame: FrameId): void {
    this.inner.incRef(frame);
  }

  /** {@inheritDoc FrameAllocator.decRef} */
  decRef(frame: FrameId): void {
    this.inner.decRef(frame);
  }

  /** {@inheritDoc FrameAllocator.isAllocated} */
  isAllocated(frame: number): boolean {
    return this.inner.isAllocated(frame);
  }

  /** {@inheritDoc FrameAllocator.pageFlags} */
  pageFlags(frame: FrameId): number {
    return this.inner.pageFlags(frame);
  }

  /** {@inheritDoc FrameAllocator.updatePageFlags} */
  updatePageFlags(frame: FrameId, set: number, clear: number): void {
    this.inner.updatePageFlags(frame, set, clear);
  }

  /** {@inheritDoc FrameAllocator.refCount} */
  refCount(frame: FrameId): number {
    return this.inner.refCount(frame);
  }

  /** {@inheritDoc FrameAllocator.isUnique} */
  isUnique(frame: FrameId): boolean {
    return this.inner.isUnique(frame);
  }

  /** {@inheritDoc FrameAllocator.memory} */
  memory(frame: FrameId): Uint8Array {
    return this.inner.memory(frame);
  }

  /** {@inheritDoc FrameAllocator.offset} */
  offset(frame: FrameId): number {
    return this.inner.offset(frame);
  }

  /** {@inheritDoc FrameAllocator.read} */
  read(
    frame: FrameId,
    frameOffset: number,
    dst: Uint8Array,
    dstOffset: number,
    length: number,
  ): void {
    this.inner.read(frame, frameOffset, dst, dstOffset, length);
  }

  /** {@inheritDoc FrameAllocator.write} */
  write(
    frame: FrameId,
    frameOffset: number,
    src: Uint8Array,
    srcOffset: number,
    length: number,
  ): void {
    this.inner.write(frame, frameOffset, src, srcOffset, length);
  }

  /** {@inheritDoc FrameAllocator.copy} */
  copy(from: FrameId, to: FrameId): void {
    this.inner.copy(from, to);
  }

  /** {@inheritDoc FrameAllocator.zero} */
  zero(frame: FrameId, frameOffset: number, length: number): void {
    this.inner.zero(frame, frameOffset, length);
  }

  /** {@inheritDoc FrameAllocator.stats} */
  stats(): FrameStats {
    return this.inner.stats();
  }
}
