import { invariant } from '@tskern/assert';
import { NO_FRAME, type FrameId, type NoFrame } from './constants';
import type { FrameAllocator, FrameStats } from './frame-allocator';
import { DelegatingFrameAllocator } from './delegating';

/** Quota for a {@link LimitedFrameAllocator}. */
export interface LimitOptions {
  /** Most frames allocated through this wrapper that may be alive at once. */
  maxFrames: number;
}

/**
 * A quota over a shared allocator (a tmpfs `size=` limit, a memory cgroup):
 * at most `maxFrames` frames allocated through this wrapper may be alive at
 * once; beyond that `allocate` reports out of memory (-1).
 *
 * Frames allocated here must also be released here (their last `decRef`
 * must go through this wrapper), which is how the quota learns they died.
 */
export class LimitedFrameAllocator extends DelegatingFrameAllocator {
  /** The quota (`resize` changes it). */
  private max: number;
  private held = 0;
  private allocations = 0;
  private frees = 0;

  /** Limit `inner` to `opts.maxFrames` live frames for this wrapper's users. */
  constructor(inner: FrameAllocator, opts: LimitOptions) {
    super(inner);
    invariant(
      Number.isInteger(opts.maxFrames) && opts.maxFrames >= 0,
      'LimitedFrameAllocator: bad maxFrames',
    );
    this.max = opts.maxFrames;
  }

  /** The quota. */
  get maxFrames(): number {
    return this.max;
  }

  /**
   * Change the quota (a tmpfs remount with a new size=): false, and no
   * change, when more frames than `maxFrames` are alive already.
   */
  resize(maxFrames: number): boolean {
    invariant(Number.isInteger(maxFrames) && maxFrames >= 0, 'LimitedFrameAllocator: bad maxFrames');
    if (maxFrames < this.held) return false;
    this.max = maxFrames;
    return true;
  }

  /** Frames allocated through this wrapper and still alive. */
  get heldFrames(): number {
    return this.held;
  }

  /** {@inheritDoc FrameAllocator.allocate} */
  override allocate(): FrameId | NoFrame {
    if (this.held >= this.max) return NO_FRAME;
    return this.account(this.inner.allocate());
  }

  /** {@inheritDoc FrameAllocator.allocateUninitialized} */
  override allocateUninitialized(): FrameId | NoFrame {
    if (this.held >= this.max) return NO_FRAME;
    return this.account(this.inner.allocateUninitialized());
  }

  private account(f: FrameId | NoFrame): FrameId | NoFrame {
    if (f >= 0) {
      this.held++;
      this.allocations++;
    }
    return f;
  }

  /** {@inheritDoc FrameAllocator.decRef} */
  override decRef(frame: FrameId): void {
    const last = this.inner.refCount(frame) === 1;
    this.inner.decRef(frame);
    if (last) {
      invariant(this.held > 0, 'LimitedFrameAllocator: freed a frame it did not allocate');
      this.held--;
      this.frees++;
    }
  }

  /** This wrapper's view: its quota, its live frames and its own counters. */
  override stats(): FrameStats {
    return {
      totalFrames: this.maxFrames,
      usedFrames: this.held,
      freeFrames: this.maxFrames - this.held,
      allocations: this.allocations,
      frees: this.frees,
    };
  }
}
