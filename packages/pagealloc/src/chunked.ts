import { invariant } from '@tskern/assert';
import { NO_FRAME, PAGE_SIZE, type FrameId, type NoFrame } from './constants';
import { FrameTable } from './frame-table';
import { TableFrameAllocator } from './table-allocator';

/** Sizing for a {@link ChunkedFrameAllocator}. */
export interface ChunkedOptions {
  /** Frames per chunk, a power of two (default 256 = 1 MiB chunks). */
  chunkFrames?: number;
  /** Most frames ever allocated at once (default 262,144 = 1 GiB). */
  maxFrames?: number;
}

/**
 * Frames in separately allocated chunks (ArrayBuffers) added as usage grows:
 * for hosts where reserving one big arena up front is unwelcome, or for more
 * than the 4 GiB one arena can hold. `memory(f)` is the frame's chunk.
 *
 * Chunks are never given back; freed frames are reused first (and zeroed
 * then), so memory stays at the peak usage. A failing chunk allocation is
 * reported as out of memory (-1), never thrown.
 */
export class ChunkedFrameAllocator extends TableFrameAllocator {
  private readonly chunks: Uint8Array[] = [];
  private readonly chunkShift: number;
  private readonly chunkMask: number;

  /** Create an allocator with no chunks yet; see {@link ChunkedOptions}. */
  constructor(opts: ChunkedOptions = {}) {
    const chunkFrames = opts.chunkFrames ?? 256;
    const maxFrames = opts.maxFrames ?? 262_144;
    invariant(
      Number.isInteger(chunkFrames) &&
        chunkFrames > 0 &&
        (chunkFrames & (chunkFrames - 1)) === 0 &&
        chunkFrames <= 2 ** 20,
      'ChunkedFrameAllocator: chunkFrames must be a power of two up to 2^20',
    );
    invariant(
      Number.isInteger(maxFrames) && maxFrames > 0 && maxFrames < 2 ** 31,
      'ChunkedFrameAllocator: bad maxFrames',
    );
    super(new FrameTable(maxFrames), maxFrames);
    this.chunkShift = Math.log2(chunkFrames);
    this.chunkMask = chunkFrames - 1;
  }

  /** Number of chunks allocated so far. */
  get chunkCount(): number {
    return this.chunks.length;
  }

  /** {@inheritDoc FrameAllocator.allocate} */
  allocate(): FrameId | NoFrame {
    const f = this.table.takeRecycled();
    if (f >= 0) {
      const at = (f & this.chunkMask) * PAGE_SIZE;
      this.chunks[f >>> this.chunkShift]!.fill(0, at, at + PAGE_SIZE);
      return f;
    }
    return this.allocateFresh();
  }

  /** {@inheritDoc FrameAllocator.allocateUninitialized} */
  allocateUninitialized(): FrameId | NoFrame {
    const f = this.table.takeRecycled();
    return f >= 0 ? f : this.allocateFresh();
  }

  /** A never-used frame, adding its chunk first when it starts a new one. */
  private allocateFresh(): FrameId | NoFrame {
    const next = this.table.nextFresh;
    if (next >= this.totalFrames) return NO_FRAME;
    if (next >>> this.chunkShift === this.chunks.length) {
      let chunk: Uint8Array;
      try {
        chunk = new Uint8Array((this.chunkMask + 1) * PAGE_SIZE);
      } catch {
        return NO_FRAME; // the host is out of memory: report it like any OOM
      }
      this.chunks.push(chunk);
    }
    return this.table.takeFresh(this.totalFrames);
  }

  /** Verify refcounts, free list and counters agree (O(frames ever used)). */
  override checkInvariants(): void {
    super.checkInvariants();
    invariant(
      this.chunks.length * (this.chunkMask + 1) >= this.table.nextFresh,
      'ChunkedFrameAllocator: frame without a chunk',
    );
  }

  /** The array that holds `frame` (no check: the base class checks). */
  protected bytesOf(frame: FrameId): Uint8Array {
    return this.chunks[frame >>> this.chunkShift]!;
  }

  /** Where `frame` starts in `bytesOf(frame)`. */
  protected byteOffset(frame: FrameId): number {
    return (frame & this.chunkMask) * PAGE_SIZE;
  }
}
