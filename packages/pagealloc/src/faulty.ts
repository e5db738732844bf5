import { NO_FRAME, type FrameId, type NoFrame } from './constants';
import { DelegatingFrameAllocator } from './delegating';

/**
 * Fault injection for tests: wraps an allocator, counts allocation calls and
 * makes chosen allocations fail (return -1) to exercise out-of-memory paths.
 * `new FaultyFrameAllocator(inner)` injects no faults until told to.
 */
export class FaultyFrameAllocator extends DelegatingFrameAllocator {
  /** Allocation calls seen (successful or not). */
  allocateCalls = 0;
  /** Allocations this wrapper made fail. */
  injectedFailures = 0;
  private failCount = 0;
  private succeedCount = Infinity;
  private usageLimit = Infinity;

  /** Make the next `n` allocations fail. */
  failNext(n: number): this {
    this.failCount = n;
    return this;
  }

  /** Let `n` more allocations succeed, then fail every one until `reset()`. */
  failAfter(n: number): this {
    this.succeedCount = n;
    return this;
  }

  /** Fail allocations while the inner allocator has `maxUsedFrames` or more frames in use. */
  failWhenUsedAtLeast(maxUsedFrames: number): this {
    this.usageLimit = maxUsedFrames;
    return this;
  }

  /** Stop injecting faults (counters are kept). */
  reset(): this {
    this.failCount = 0;
    this.succeedCount = Infinity;
    this.usageLimit = Infinity;
    return this;
  }

  /** {@inheritDoc FrameAllocator.allocate} */
  override allocate(): FrameId | NoFrame {
    return this.shouldFail() ? NO_FRAME : this.inner.allocate();
  }

  /** {@inheritDoc FrameAllocator.allocateUninitialized} */
  override allocateUninitialized(): FrameId | NoFrame {
    return this.shouldFail() ? NO_FRAME : this.inner.allocateUninitialized();
  }

  private shouldFail(): boolean {
    this.allocateCalls++;
    let fail = false;
    if (this.failCount > 0) {
      this.failCount--;
      fail = true;
    } else if (this.succeedCount <= 0) {
      fail = true;
    } else if (this.usageLimit !== Infinity && this.inner.stats().usedFrames >= this.usageLimit) {
      fail = true;
    }
    if (fail) this.injectedFailures++;
    else this.succeedCount--;
    return fail;
  }
}
