import { PAGE_SIZE } from '@tskern/abi';
import { NO_FRAME, PG, type FrameAllocator, type FrameId } from '@tskern/pagealloc';

/** Every block of a page (a page holds at most 4 blocks of 1 KiB, or fewer larger ones). */
export const ALL_BLOCKS = 0xff;

/**
 * The page cache of one file (its `address_space`, mm/filemap.c): frames of
 * the kernel's allocator by page index, and which of them are dirty. The
 * dirty mark is also kept on the frame itself (PG_dirty, as
 * folio_mark_dirty / folio_clear_dirty_for_io), which /proc/kpageflags
 * reports. Filling and writing pages is the inode's business; this only
 * holds them.
 */
export class FilePages {
  private readonly pages = new Map<number, FrameId>();
  /** Dirty pages, each with the mask of its dirty blocks (buffer heads' BH_Dirty). */
  private readonly dirty = new Map<number, number>();

  constructor(readonly frames: FrameAllocator) {}

  get(page: number): FrameId | undefined {
    return this.pages.get(page);
  }

  /**
   * A zeroed frame for `page`, or null when memory is out. It is PG.UPTODATE
   * and PG.LRU, as a page cache folio once read (the caller fills it at once
   * or drops it).
   */
  add(page: number): FrameId | null {
    const f = this.frames.allocate();
    if (f === NO_FRAME) return null;
    this.frames.updatePageFlags(f, PG.UPTODATE | PG.LRU, 0);
    this.pages.set(page, f);
    return f;
  }

  /** The bytes of `page`'s frame. */
  bytes(frame: FrameId): Uint8Array {
    const off = this.frames.offset(frame);
    return this.frames.memory(frame).subarray(off, off + PAGE_SIZE);
  }

  /** Mark blocks `blocks` (a bit mask; all by default) of `page` dirty. */
  markDirty(page: number, blocks = ALL_BLOCKS): void {
    const f = this.pages.get(page);
    if (f === undefined) return;
    this.dirty.set(page, (this.dirty.get(page) ?? 0) | blocks);
    this.frames.updatePageFlags(f, PG.DIRTY, 0);
  }

  markClean(page: number): void {
    const f = this.pages.get(page);
    this.dirty.delete(page);
    if (f !== undefined) this.frames.updatePageFlags(f, 0, PG.DIRTY);
  }

  isDirty(page: number): boolean {
    return this.dirty.has(page);
  }

  /** The dirty blocks of `page` as a bit mask (0 when clean). */
  dirtyBlocks(page: number): number {
    return this.dirty.get(page) ?? 0;
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  get residentCount(): number {
    return this.pages.size;
  }

  /** Resident pages in [from, to), in order. */
  residentIn(from: number, to: number): number[] {
    return [...this.pages.keys()].filter((p) => p >= from && p < to).sort((a, b) => a - b);
  }

  /** Drop the pages from `from` on, dirty or not (truncate_inode_pages_range). */
  dropFrom(from: number): void {
    this.dropRange(from, Infinity);
  }

  /** Drop the pages of [from, to), dirty or not. */
  dropRange(from: number, to: number): void {
    for (const [p, f] of this.pages) {
      if (p < from || p >= to) continue;
      this.frames.updatePageFlags(f, 0, PG.DIRTY | PG.UPTODATE | PG.LRU);
      this.frames.decRef(f);
      this.pages.delete(p);
      this.dirty.delete(p);
    }
  }

  /**
   * Drop the clean pages no mapping holds (the frame's only reference is
   * ours), as reclaim drops clean page-cache folios: the count dropped.
   */
  dropClean(): number {
    let n = 0;
    for (const [p, f] of this.pages) {
      if (this.dirty.has(p) || this.frames.refCount(f) !== 1) continue;
      this.frames.updatePageFlags(f, 0, PG.UPTODATE | PG.LRU);
      this.frames.decRef(f);
      this.pages.delete(p);
      n++;
    }
    return n;
  }

  release(): void {
    this.dropFrom(0);
  }
}
