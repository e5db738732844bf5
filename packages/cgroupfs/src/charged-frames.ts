import { DelegatingFrameAllocator, type FrameAllocator, type FrameId } from '@tskern/pagealloc';

/** What the allocator asks of the memory controller before a frame goes back to the free pool. */
export interface FrameCharges {
  /** How many frames carry a charge (0: nothing to look up). */
  readonly chargeCount: number;
  isCharged(frame: number): boolean;
  uncharge(frame: number): void;
}

/**
 * The kernel's frame allocator with memory-controller uncharging: when the
 * last reference to a charged frame goes, its charge is dropped from its
 * group (__folio_put -> mem_cgroup_uncharge), whoever drops it (munmap,
 * exit, truncate, reclaim). Charging is the fault path's (MemoryCharger).
 */
export class ChargedFrameAllocator extends DelegatingFrameAllocator {
  constructor(inner: FrameAllocator, private readonly charges: FrameCharges) {
    super(inner);
  }

  override decRef(frame: FrameId): void {
    const c = this.charges;
    if (c.chargeCount !== 0 && c.isCharged(frame) && this.inner.refCount(frame) === 1) c.uncharge(frame);
    this.inner.decRef(frame);
  }
}
