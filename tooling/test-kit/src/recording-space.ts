import type { Mappable, MappingSpace, TranslateResult } from '@tskern/mm-api';
import { isFrame, type FrameAllocator, type FrameId } from '@tskern/pagealloc';

/** One `invalidate` call, with what the object had resident at that moment (when the space was told how to count). */
export interface Invalidation {
  readonly start: number;
  readonly end: number;
  readonly invalidatePrivate: boolean;
  readonly residentAtCall: number;
}

/**
 * A stand-in for an address space (mman's AddressSpace is the real one): it
 * maps one Mappable, faults pages in by taking its own reference on the
 * translated frame, as a page table does, records every `invalidate` and
 * drops the references of the pages it covers. `resident` (optional) counts
 * the object's resident pages at each call, to check the order in which an
 * object invalidates and frees.
 */
export class RecordingSpace implements MappingSpace {
  readonly calls: Invalidation[] = [];
  /** address -> frame this space holds a reference on. */
  readonly ptes = new Map<number, FrameId>();

  constructor(
    readonly mappable: Mappable,
    readonly frames: FrameAllocator,
    private readonly resident: () => number = () => 0,
  ) {}

  invalidate(start: number, end: number, invalidatePrivate: boolean): void {
    this.calls.push({ start, end, invalidatePrivate, residentAtCall: this.resident() });
    for (const [addr, frame] of [...this.ptes]) {
      if (addr >= start && addr < end) {
        this.frames.decRef(frame);
        this.ptes.delete(addr);
      }
    }
  }

  /** Fault the page at `addr`, which maps object offset `offset`: the frame (now referenced here) or the translate code. */
  fault(addr: number, offset: number, write = false): TranslateResult {
    const f = this.mappable.translate(offset, write);
    if (!isFrame(f)) return f;
    this.frames.incRef(f);
    this.ptes.set(addr, f);
    return f;
  }

  /** Drop every reference this space holds. */
  unmapAll(): void {
    for (const frame of this.ptes.values()) this.frames.decRef(frame);
    this.ptes.clear();
  }
}
