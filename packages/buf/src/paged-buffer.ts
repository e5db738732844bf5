import { fileOffset, offsetAdd, type FileOffset } from '@tskern/abi';
import { invariant } from '@tskern/assert';
import { copyBytes, NO_FRAME, PAGE_SIZE, PG, type FrameAllocator, type FrameId, type NoFrame } from '@tskern/pagealloc';
import { ENOSPC } from './errno';
import { FilePageIndex } from './file-page-index';

const PAGE_BIG = BigInt(PAGE_SIZE);

/** The page index holding byte `off` (below 2^51 for any offset below 2^63: a number). */
function pageOf(off: FileOffset): number {
  return typeof off === 'number' ? Math.floor(off / PAGE_SIZE) : Number(off / PAGE_BIG);
}

/** The byte of its page that `off` is. */
function inPageOf(off: FileOffset): number {
  return typeof off === 'number' ? off % PAGE_SIZE : Number(off % PAGE_BIG);
}

/** Pages spanned by `off` bytes: ceil(off / PAGE_SIZE). */
function pagesFor(off: FileOffset): number {
  return typeof off === 'number' ? Math.ceil(off / PAGE_SIZE) : Number((off + PAGE_BIG - 1n) / PAGE_BIG);
}

/** min(cap, to - from) for from < to: a byte count. */
function gap(from: FileOffset, to: FileOffset, cap: number): number {
  if (typeof from === 'number' && typeof to === 'number') return cap < to - from ? cap : to - from;
  const d = BigInt(to) - BigInt(from);
  return d < BigInt(cap) ? Number(d) : cap;
}

function isOffset(off: FileOffset): boolean {
  return typeof off === 'number' ? Number.isSafeInteger(off) && off >= 0 : off >= 0n && off < 1n << 63n;
}

/**
 * A growable byte buffer made of refcounted page frames: the contents of a
 * ramfs/shmfs file and the page cache that memory mappings share (Mystikos'
 * myst_buf, rebuilt on frames). Page i is a frame or a hole; holes read as
 * zeros and take no memory, so a file may be huge and sparse.
 *
 * Every page starts on a frame boundary, so the buffer is page-aligned by
 * construction, whatever resizes it goes through (Mystikos lost the
 * alignment when a buffer was truncated to 0 and grown again).
 *
 * Sizes and offsets are FileOffsets (`@tskern/abi`): exact up to 2^63 - 1,
 * numbers while safe; page indices are always numbers (below 2^51).
 *
 * Mappings take their own reference to the frames they map (`incRef` on what
 * `getOrAllocFrame` returns); the buffer keeps one reference per resident
 * page and drops it on shrink, punchHole and release.
 */
export class PagedBuffer {
  /** Where the frames come from. */
  readonly alloc: FrameAllocator;
  private readonly pages = new FilePageIndex();
  private length: FileOffset = 0;

  /**
   * An empty buffer drawing frames from `alloc`. With `zeroTailOnGrow`, a
   * growing size first clears the old EOF page past the old end, as a block
   * file system's pagecache_isize_extended does (hostfs); without it the
   * bytes a mapping stored there become file data, as on tmpfs (ramfs, shmfs).
   * `pageFlags` are the `PG` flags every frame gets when the buffer takes it
   * (default PG.UPTODATE: a new page holds the file's bytes, zeros for a
   * hole; shmem adds PG.SWAPBACKED and PG.LRU).
   */
  constructor(alloc: FrameAllocator, options: { zeroTailOnGrow?: boolean; pageFlags?: number } = {}) {
    invariant(alloc.pageSize === PAGE_SIZE, 'PagedBuffer: allocator page size must be PAGE_SIZE');
    this.alloc = alloc;
    this.zeroTailOnGrow = options.zeroTailOnGrow === true;
    this.pageFlags = options.pageFlags ?? PG.UPTODATE;
  }

  private readonly zeroTailOnGrow: boolean;
  private readonly pageFlags: number;

  /** Logical length in bytes. */
  get size(): FileOffset {
    return this.length;
  }

  /** Pages spanned by the logical length: `ceil(size / 4096)`. */
  get pageCount(): number {
    return pagesFor(this.length);
  }

  /** Pages that hold a frame (memory actually used). */
  residentPages(): number {
    return this.pages.residentCount;
  }

  /**
   * Copy up to `length` bytes from `offset` into `dst[dstOffset..]`, clipped
   * at the end of the buffer; holes read as zeros. Returns bytes copied.
   */
  read(offset: FileOffset, dst: Uint8Array, dstOffset: number, length: number): number {
    invariant(
      isOffset(offset) &&
        length >= 0 &&
        dstOffset >= 0 &&
        dstOffset + length <= dst.length,
      'PagedBuffer.read: bad offset or destination range',
    );
    if (offset >= this.length) return 0;
    const n = gap(offset, this.length, length);
    let page = pageOf(offset);
    let inPage = inPageOf(offset);
    let d = dstOffset;
    let left = n;
    const alloc = this.alloc;
    while (left > 0) {
      let chunk = PAGE_SIZE - inPage < left ? PAGE_SIZE - inPage : left;
      const f = this.pages.get(page);
      if (f === NO_FRAME) {
        dst.fill(0, d, d + chunk);
      } else {
        // Frames that lie back to back in one array are copied as one run.
        const mem = alloc.memory(f);
        const from = alloc.offset(f) + inPage;
        chunk = this.contiguousRun(page, f, inPage, chunk, left);
        copyBytes(mem, from, dst, d, chunk);
      }
      inPage += chunk;
      page += Math.floor(inPage / PAGE_SIZE);
      inPage %= PAGE_SIZE;
      d += chunk;
      left -= chunk;
    }
    return n;
  }

  /**
   * Copy `length` bytes from `src[srcOffset..]` to `offset`, growing the
   * buffer and allocating frames for the pages touched. Returns the bytes
   * written; if a frame cannot be allocated, returns the bytes written
   * before that page (a short write), or -ENOSPC if none were.
   */
  write(offset: FileOffset, src: Uint8Array, srcOffset: number, length: number): number {
    invariant(
      isOffset(offset) &&
        length >= 0 &&
        isOffset(offsetAdd(offset, length)) &&
        srcOffset >= 0 &&
        srcOffset + length <= src.length,
      'PagedBuffer.write: bad offset or source range',
    );
    if (length === 0) return 0;
    if (this.zeroTailOnGrow && offset > this.length) this.zeroStaleTail(offset);
    let page = pageOf(offset);
    let inPage = inPageOf(offset);
    let s = srcOffset;
    let left = length;
    while (left > 0) {
      const chunk = PAGE_SIZE - inPage < left ? PAGE_SIZE - inPage : left;
      let f = this.pages.get(page);
      if (f === NO_FRAME) {
        // A page written whole needs no zeroing first.
        f = chunk === PAGE_SIZE ? this.alloc.allocateUninitialized() : this.alloc.allocate();
        if (f === NO_FRAME) break;
        this.alloc.updatePageFlags(f, this.pageFlags, 0);
        this.pages.put(page, f);
      }
      // Following pages whose frames lie back to back in one array are copied as one run.
      const mem = this.alloc.memory(f);
      const to = this.alloc.offset(f) + inPage;
      const run = this.contiguousRun(page, f, inPage, chunk, left);
      copyBytes(src, s, mem, to, run);
      inPage += run;
      page += Math.floor(inPage / PAGE_SIZE);
      inPage %= PAGE_SIZE;
      s += run;
      left -= run;
    }
    const written = length - left;
    if (written === 0) return -ENOSPC;
    // Every page written is dirty (write_end's folio_mark_dirty); its owner cleans it after write-back.
    const lastPage = pageOf(offsetAdd(offset, written - 1));
    for (let p = pageOf(offset); p <= lastPage; p++) this.markDirty(p);
    const end = typeof offset === 'number' && offset + written <= Number.MAX_SAFE_INTEGER ? offset + written : offsetAdd(offset, written);
    if (end > this.length) this.length = end;
    return written;
  }

  /**
   * How many bytes from `inPage` of page `page` (frame `f`, `chunk` bytes in
   * it) on, up to `left`, lie in frames back to back in one array: the
   * following resident pages whose frames continue the same memory.
   */
  private contiguousRun(page: number, f: FrameId, inPage: number, chunk: number, left: number): number {
    const alloc = this.alloc;
    const mem = alloc.memory(f);
    const base = alloc.offset(f);
    let run = chunk;
    let next = page + 1;
    while (run < left && inPage + run === (next - page) * PAGE_SIZE) {
      const g = this.pages.get(next);
      if (g === NO_FRAME || alloc.memory(g) !== mem || alloc.offset(g) !== base + (next - page) * PAGE_SIZE) break;
      run += Math.min(PAGE_SIZE, left - run);
      next++;
    }
    return run;
  }

  /**
   * Set the logical length. Growing allocates nothing (new bytes read as
   * zero); shrinking, or setting the same length, releases the frames wholly
   * past the new end and zeroes the rest of the last partial page, so
   * mappings see zeros past EOF and a later grow reads zeros. Returns 0 (the -ENOSPC form is reserved for a
   * size limit; none is enforced yet).
   */
  resize(newSize: FileOffset): 0 | -28 {
    invariant(isOffset(newSize), 'PagedBuffer.resize: bad size');
    const old = this.length;
    if (newSize > old) {
      // Growing allocates nothing. By default the EOF page stays as it is:
      // bytes a MAP_SHARED mapping stored past the old EOF become file data,
      // as on Linux's tmpfs (shmem_setattr does not clear them; the
      // conformance fuzzer found the difference).
      if (this.zeroTailOnGrow) this.zeroStaleTail(newSize);
    } else {
      // Not growing (the same size included): truncate_inode_pages_range frees
      // the pages past the end and zeroes the tail of the EOF page, so bytes a
      // shared mapping stored past EOF are gone (shmem_setattr for newsize <= oldsize).
      const keep = pagesFor(newSize);
      this.pages.dropRange(keep, pagesFor(old), this.alloc);
      const tail = inPageOf(newSize);
      if (tail !== 0) {
        const f = this.pages.get(keep - 1);
        if (f !== NO_FRAME) this.alloc.zero(f, tail, PAGE_SIZE - tail);
      }
    }
    this.length = newSize;
    return 0;
  }

  /**
   * Before the length grows to `newEnd`, zero the bytes of the old last page
   * between the old end and `newEnd` (only with `zeroTailOnGrow`).
   */
  private zeroStaleTail(newEnd: FileOffset): void {
    const old = this.length;
    const inPage = inPageOf(old);
    if (inPage === 0) return;
    const page = pageOf(old);
    const f = this.pages.get(page);
    if (f === NO_FRAME) return;
    const stop = pageOf(newEnd) > page ? PAGE_SIZE : inPageOf(newEnd);
    this.alloc.zero(f, inPage, stop - inPage);
  }

  /** The frame holding page `pageIndex`, or -1 for a hole (or a page past the end). */
  frameAt(pageIndex: number): FrameId | NoFrame {
    invariant(
      Number.isSafeInteger(pageIndex) && pageIndex >= 0,
      'PagedBuffer.frameAt: bad page index',
    );
    return this.pages.get(pageIndex);
  }

  /**
   * The frame holding page `pageIndex` (which must be below pageCount),
   * allocating a zeroed one for a hole; -1 when out of memory. The buffer
   * keeps its own reference: a mapping must incRef what it maps.
   */
  getOrAllocFrame(pageIndex: number): FrameId | NoFrame {
    invariant(
      Number.isSafeInteger(pageIndex) && pageIndex >= 0 && pageIndex < this.pageCount,
      'PagedBuffer.getOrAllocFrame: page outside the buffer',
    );
    const f = this.pages.get(pageIndex);
    if (f !== NO_FRAME) return f;
    const fresh = this.alloc.allocate();
    if (fresh !== NO_FRAME) {
      this.alloc.updatePageFlags(fresh, this.pageFlags, 0);
      this.pages.put(pageIndex, fresh);
    }
    return fresh;
  }

  /** Mark resident page `pageIndex` dirty (PG.DIRTY: a write or a store through a mapping); a hole stays one. */
  markDirty(pageIndex: number): void {
    const f = this.pages.get(pageIndex);
    if (f !== NO_FRAME) this.alloc.updatePageFlags(f, PG.DIRTY, 0);
  }

  /** Clear resident page `pageIndex`'s PG.DIRTY (its owner wrote it back). */
  markClean(pageIndex: number): void {
    const f = this.pages.get(pageIndex);
    if (f !== NO_FRAME) this.alloc.updatePageFlags(f, 0, PG.DIRTY);
  }

  /**
   * Deallocate `[offset, offset + length)` without changing the size
   * (fallocate PUNCH_HOLE, MADV_REMOVE): whole pages become holes and release
   * their frames, partial pages at the edges are zeroed. A range reaching
   * the end of the buffer releases the last partial page whole, since its
   * bytes past the end do not count.
   */
  punchHole(offset: FileOffset, length: FileOffset): void {
    invariant(isOffset(offset) && isOffset(length), 'PagedBuffer.punchHole: bad range');
    const stop = offsetAdd(offset, length);
    const end = stop < this.length ? stop : this.length;
    if (offset >= end) return;
    // Page boundaries: [firstWhole, lastWhole) are whole pages.
    const firstWhole = pagesFor(offset);
    const lastWhole = end === this.length ? pagesFor(end) : pageOf(end);
    if (firstWhole >= lastWhole) {
      this.zeroRange(offset, end);
      return;
    }
    this.pages.dropRange(firstWhole, lastWhole, this.alloc);
    this.zeroRange(offset, fileOffset(BigInt(firstWhole) * PAGE_BIG));
    if (end !== this.length) this.zeroRange(fileOffset(BigInt(lastWhole) * PAGE_BIG), end);
  }

  /** Zero bytes `[from, to)` in resident pages (used for the partial pages at range edges). */
  private zeroRange(from: FileOffset, to: FileOffset): void {
    let page = pageOf(from);
    let inPage = inPageOf(from);
    const lastPage = pageOf(to);
    const lastIn = inPageOf(to);
    while (page < lastPage || (page === lastPage && inPage < lastIn)) {
      const chunk = page < lastPage ? PAGE_SIZE - inPage : lastIn - inPage;
      const f = this.pages.get(page);
      if (f !== NO_FRAME) this.alloc.zero(f, inPage, chunk);
      page++;
      inPage = 0;
    }
  }

  /** Drop every frame and empty the buffer (the owning file is gone). */
  release(): void {
    this.pages.dropRange(0, this.pages.coveredPages, this.alloc);
    this.length = 0;
  }

  /** Call `fn(pageIndex, frame)` for every resident page, in page order. */
  forEachResident(fn: (pageIndex: number, frame: FrameId) => void): void {
    this.pages.forEach(fn);
  }

  /** Verify the page table, that frames lie below pageCount, are alive and are not shared between pages. */
  checkInvariants(): void {
    this.pages.checkInvariants();
    const pageCount = this.pageCount;
    const seen = new Set<number>();
    this.pages.forEach((page, frame) => {
      invariant(page < pageCount, 'PagedBuffer: frame past the end of the buffer');
      invariant(this.alloc.refCount(frame) >= 1, 'PagedBuffer: resident frame is free');
      invariant(!seen.has(frame), 'PagedBuffer: one frame backs two pages');
      seen.add(frame);
    });
  }
}
