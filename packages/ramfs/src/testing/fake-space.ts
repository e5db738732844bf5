import type { MappingSpace, TranslateResult } from '@tskern/mm-api';
import { isFrame, type FrameAllocator, type FrameId } from '@tskern/pagealloc';
import type { RamFile } from '../ram-file';

/** One `invalidate` call, with what the file still had resident at that moment. */
export interface Invalidation {
  start: number;
  end: number;
  invalidatePrivate: boolean;
  residentAtCall: number;
}

/**
 * A stand-in for an address space: maps one file at `base`, faults pages in
 * by taking a reference on the file's frame, and drops them on invalidate.
 */
export class FakeSpace implements MappingSpace {
  readonly calls: Invalidation[] = [];
  /** address -> frame this space holds a reference on. */
  readonly ptes = new Map<number, FrameId>();

  constructor(
    readonly file: RamFile,
    readonly frames: FrameAllocator,
  ) {}

  invalidate(start: number, end: number, invalidatePrivate: boolean): void {
    this.calls.push({ start, end, invalidatePrivate, residentAtCall: this.file.residentPages() });
    for (const [addr, frame] of [...this.ptes]) {
      if (addr >= start && addr < end) {
        this.frames.decRef(frame);
        this.ptes.delete(addr);
      }
    }
  }

  /** Fault the page at `addr` (mapping file offset `addr - base + offset`). */
  fault(addr: number, fileOffset: number, write = false): TranslateResult {
    const f = this.file.translate(fileOffset, write);
    if (!isFrame(f)) return f;
    this.frames.incRef(f);
    this.ptes.set(addr, f);
    return f;
  }

  unmapAll(): void {
    for (const frame of this.ptes.values()) this.frames.decRef(frame);
    this.ptes.clear();
  }
}
