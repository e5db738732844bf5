import { err, Errno, isError, PAGE_SIZE, type NegErrno } from '@tskern/abi';
import { checkInvariants, invariant } from '@tskern/assert';
import { PagedBuffer } from '@tskern/buf';
import { NO_FRAME, PG, type FrameAllocator, type FrameId } from '@tskern/pagealloc';
import type { PageIo } from './page-io';

/** What a flush did: the error that stopped it (0 for none) and the pages it wrote. */
export interface FlushResult {
  readonly error: number;
  readonly written: readonly number[];
}

/**
 * The page cache of one host file (Linux's `address_space` of a disk file):
 * a PagedBuffer of the kernel's frames holding the pages read so far, filled
 * from the host page by page on demand, plus the set of dirty pages. Its
 * size is the file's size; the host file may lag behind it (dirty pages, an
 * extending write) but never holds bytes past it (truncates go to the host at
 * once). A page that is not resident is read from the host before anyone
 * sees it, so holes of the buffer never stand for zeros here.
 *
 * Dirty pages stay dirty until a write of them succeeds: a failing host
 * keeps them in memory for the next flush (Linux instead drops them after
 * reporting the error once; tskern never loses the data).
 *
 * The dirty set and the frames' PG.DIRTY agree (what /proc/kpageflags
 * reports as KPF_DIRTY: set when a page is written or stored to, cleared
 * when its write-back succeeded, as folio_clear_dirty_for_io). Cached pages
 * are PG.UPTODATE and PG.LRU, as a page cache's folios once read.
 */
export class PageCache {
  private readonly data: PagedBuffer;
  private readonly dirty = new Set<number>();

  constructor(
    readonly frames: FrameAllocator,
    size: number,
  ) {
    // A host file behaves as a block file system's: growing clears the old EOF page's tail.
    this.data = new PagedBuffer(frames, { zeroTailOnGrow: true, pageFlags: PG.UPTODATE | PG.LRU });
    this.data.resize(size);
  }

  /** The file size: a number, as host files stop below 2^53 (HOSTFS_MAX_FILE_SIZE; Node's fs takes numbers). */
  get size(): number {
    return this.data.size as number;
  }

  get pageCount(): number {
    return this.data.pageCount;
  }

  residentPages(): number {
    return this.data.residentPages();
  }

  isResident(page: number): boolean {
    return this.data.frameAt(page) >= 0;
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  isDirty(page: number): boolean {
    return this.dirty.has(page);
  }

  /**
   * The frame of page `page` (below pageCount), reading it from the host when
   * it is not cached (filemap_read_folio): the frame, `-ENOMEM` when no frame
   * is left, or the host's `-errno` (the page is then left out).
   */
  load(page: number, io: PageIo): FrameId | NegErrno {
    const have = this.data.frameAt(page);
    if (have !== NO_FRAME) return have;
    const frame = this.data.getOrAllocFrame(page);
    if (frame === NO_FRAME) return err(Errno.ENOMEM);
    // Read straight into the (zeroed) frame; bytes past the host's EOF stay zero.
    const mem = this.frames.memory(frame);
    const base = this.frames.offset(frame);
    const pos = page * PAGE_SIZE;
    const want = Math.min(PAGE_SIZE, this.size - pos);
    for (let got = 0; got < want; ) {
      const n = io.pread(mem, base + got, want - got, pos + got);
      if (isError(n)) {
        this.data.punchHole(pos, PAGE_SIZE);
        return n;
      }
      if (n === 0) break;
      got += n;
    }
    return frame;
  }

  /** Bring pages [first, last] in; 0, or the error of the first page that failed and its index. */
  private loadRange(first: number, last: number, io: PageIo): { error: number; page: number } {
    for (let p = first; p <= last; p++) {
      const r = this.load(p, io);
      if (isError(r)) return { error: r, page: p };
    }
    return { error: 0, page: last + 1 };
  }

  /**
   * read(2) from the cache, reading missing pages from the host: the count
   * (short when a later page fails) or `-errno`.
   */
  read(pos: number, dst: Uint8Array, dstOffset: number, length: number, io: PageIo): number {
    const size = this.size;
    if (pos >= size || length === 0) return 0;
    let n = Math.min(length, size - pos);
    const first = Math.floor(pos / PAGE_SIZE);
    const { error, page } = this.loadRange(first, Math.floor((pos + n - 1) / PAGE_SIZE), io);
    if (error < 0) {
      if (page === first) return error;
      n = page * PAGE_SIZE - pos;
    }
    return this.data.read(pos, dst, dstOffset, n);
  }

  /**
   * write(2) into the cache, growing the file: pages written only in part
   * are read from the host first (read-modify-write), pages written are
   * dirty. The count (short when frames run out), `-ENOMEM`, or the host's
   * `-errno` from reading a partial page.
   */
  write(pos: number, src: Uint8Array, srcOffset: number, length: number, io: PageIo): number {
    if (length === 0) return 0;
    const end = pos + length;
    const first = Math.floor(pos / PAGE_SIZE);
    const last = Math.floor((end - 1) / PAGE_SIZE);
    for (const p of first === last ? [first] : [first, last]) {
      const whole = pos <= p * PAGE_SIZE && (end >= (p + 1) * PAGE_SIZE || end >= this.data.size);
      if (p < this.data.pageCount && !whole) {
        const r = this.load(p, io);
        if (r < 0) return r;
      }
    }
    const n = this.data.write(pos, src, srcOffset, length);
    if (n < 0) return -Errno.ENOMEM; // PagedBuffer's -ENOSPC: no frame for the first page
    // PagedBuffer.write set the frames' PG.DIRTY.
    for (let p = first; p <= Math.floor((pos + n - 1) / PAGE_SIZE); p++) this.dirty.add(p);
    return n;
  }

  /** Page `p` (resident) is dirty: in the set and PG.DIRTY. */
  private setDirty(p: number): void {
    this.dirty.add(p);
    this.data.markDirty(p);
  }

  /** Mark resident pages dirty (a store through a mapping, or maybe one). */
  markDirty(pages: Iterable<number>): void {
    for (const p of pages) if (this.isResident(p)) this.setDirty(p);
  }


  /**
   * Set the size (the host file was truncated to it already): shrinking frees
   * the pages past the end, dirty or not, and zeroes the tail of the EOF page.
   */
  resize(size: number): void {
    this.data.resize(size);
    const pages = this.data.pageCount;
    for (const p of this.dirty) if (p >= pages) this.dirty.delete(p);
  }

  /**
   * Write the dirty pages of [fromPage, toPage) in page order, each up to
   * the file size. Stops at the first host error; pages written are clean,
   * the rest stay dirty.
   */
  flush(fromPage: number, toPage: number, io: PageIo): FlushResult {
    const pages: [number, FrameId][] = [];
    this.data.forEachResident((p, frame) => {
      if (p >= fromPage && p < toPage && this.dirty.has(p)) pages.push([p, frame]);
    });
    const written: number[] = [];
    for (const [p, frame] of pages) {
      const error = this.writePage(p, frame, io);
      if (error < 0) return { error, written };
      this.dirty.delete(p);
      this.data.markClean(p);
      written.push(p);
    }
    return { error: 0, written };
  }

  /** Write one page's bytes below EOF to the host: 0 or `-errno`. */
  private writePage(page: number, frame: FrameId, io: PageIo): number {
    const mem = this.frames.memory(frame);
    const base = this.frames.offset(frame);
    const pos = page * PAGE_SIZE;
    const want = Math.min(PAGE_SIZE, this.size - pos);
    for (let done = 0; done < want; ) {
      const n = io.pwrite(mem, base + done, want - done, pos + done);
      if (n < 0) return n;
      if (n === 0) return -Errno.EIO;
      done += n;
    }
    return 0;
  }

  /** Drop every page, dirty or not (the file is gone or was written back). */
  release(): void {
    this.data.release();
    this.dirty.clear();
  }

  /** Dirty pages are resident and below the end; the buffer's own invariants. */
  checkInvariants(): void {
    checkInvariants(() => {
      this.data.checkInvariants();
      for (const p of this.dirty) invariant(this.isResident(p) && p < this.data.pageCount, () => `dirty page ${p} not resident`);
      this.data.forEachResident((p, frame) => {
        invariant(((this.frames.pageFlags(frame) & PG.DIRTY) !== 0) === this.dirty.has(p), () => `page ${p}: PG.DIRTY disagrees with the dirty set`);
      });
    });
  }
}
