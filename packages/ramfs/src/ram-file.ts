import { err, Errno, FALLOC_FL, fileOffset, offsetAdd, PAGE_SIZE, type FileOffset, type Status } from '@tskern/abi';
import { checkInvariants, invariant } from '@tskern/assert';
import { PagedBuffer } from '@tskern/buf';
import { MappingSet, TRANSLATE_NOMEM, TRANSLATE_SIGBUS, type Mappable, type MappingSpace, type TranslateResult } from '@tskern/mm-api';
import { NO_FRAME, PG, type FrameAllocator } from '@tskern/pagealloc';
import { SimpleInode, type Clock, type FileSystem, type NewInode } from '@tskern/vfs';


/** relatime_need_update: an access time a day old is refreshed anyway. */
const RELATIME_WINDOW_MS = 24 * 60 * 60 * 1000;

/** 512-byte blocks per page, for st_blocks. */
const BLOCKS_PER_PAGE = PAGE_SIZE / 512;

const PAGE_BIG = BigInt(PAGE_SIZE);

/** The page index holding byte `n` (a number: below 2^51 for any file offset). */
function pageOf(n: FileOffset): number {
  return typeof n === 'number' ? Math.floor(n / PAGE_SIZE) : Number(n / PAGE_BIG);
}

/** Pages spanned by `n` bytes. */
function pagesFor(n: FileOffset): number {
  return typeof n === 'number' ? Math.ceil(n / PAGE_SIZE) : Number((n + PAGE_BIG - 1n) / PAGE_BIG);
}

/** `n` rounded up to a page: a number, exact (page-aligned values below 2^64 are exact doubles). */
function pageUp(n: FileOffset): number {
  return pagesFor(n) * PAGE_SIZE;
}

/**
 * A ramfs/tmpfs regular file whose data is a PagedBuffer of frames from the
 * kernel's allocator: the file is its own page cache. read(2), write(2) and
 * every mapping (translate) use the same frames, so a write is seen by every
 * MAP_SHARED mapping at once and a store through a mapping by the next read.
 * Holes take no frames. Compare mm/shmem.c.
 */
export class RamFile extends SimpleInode implements Mappable {
  private readonly data: PagedBuffer;
  private readonly rmap = new MappingSet();

  constructor(
    fs: FileSystem,
    ino: number,
    attrs: NewInode,
    clock: Clock,
    readonly frames: FrameAllocator,
    /** A tmpfs file's operations (shmem_file_operations) rather than ramfs's (ramfs_file_operations). */
    private readonly shmem = true,
    /**
     * Whether the pages are shmem's (tmpfs): swap-backed and on an LRU list,
     * as shmem_alloc_folio's pages; ramfs pages are only uptodate (ramfs
     * keeps them on the unevictable list). Both stay dirty once written, as
     * neither ever writes back.
     */
    shmemPages = false,
  ) {
    super(fs, ino, attrs, clock);
    this.data = new PagedBuffer(frames, { pageFlags: shmemPages ? PG.UPTODATE | PG.SWAPBACKED | PG.LRU : PG.UPTODATE });
  }

  size(): FileOffset {
    return this.data.size;
  }

  override blocks(): number {
    return this.data.residentPages() * BLOCKS_PER_PAGE;
  }

  /** Resident pages (frames this file holds). */
  residentPages(): number {
    return this.data.residentPages();
  }

  /** Mappings registered (the reverse map's size). */
  get mappingCount(): number {
    return this.rmap.size;
  }

  // ---- file operations ----

  read(pos: FileOffset, dst: Uint8Array, dstOffset: number, length: number): number {
    if (pos >= this.data.size) return 0;
    return this.data.read(pos, dst, dstOffset, length);
  }

  /**
   * touch_atime with relatime, as tmpfs mounts by default (and
   * shmem_file_read_iter calls file_accessed for every read, an empty one or
   * one past EOF included): the access time moves only when it is not newer
   * than the modification or change time, or is a day old.
   */
  accessed(): void {
    const now = this.clock();
    if (now === this.atime) return;
    if (this.mtime >= this.atime || this.ctime >= this.atime || now - this.atime >= RELATIME_WINDOW_MS) this.atime = now;
  }

  /** Write, growing the file; a short count or -ENOSPC when frames run out (shmem_write_begin). */
  write(pos: FileOffset, src: Uint8Array, srcOffset: number, length: number): number {
    const n = this.data.write(pos, src, srcOffset, length);
    if (n > 0) this.touch();
    return n;
  }

  fsync(): number {
    return 0; // noop_fsync: memory is the only copy
  }

  writeback(): Status {
    return 0;
  }

  mappable(): Mappable {
    return this;
  }

  /** SEEK_DATA/SEEK_HOLE: tmpfs by page residency (mapping_seek_hole_data: a page in the cache is data). */
  seekData(offset: FileOffset, hole: boolean): FileOffset {
    const size = this.data.size;
    // ramfs seeks with generic_file_llseek: the whole file is data.
    if (!this.shmem) return hole ? size : offset;
    const first = pageOf(offset);
    // Walk resident pages only (in page order), never every page of a huge
    // sparse file: the next data page is the first resident one at or after
    // `first`; the next hole is the first page the resident run misses.
    let found = -1;
    let expect = first;
    this.data.forEachResident((page) => {
      if (found >= 0 || page < first) return;
      if (!hole) found = page;
      else if (page !== expect) found = expect;
      else expect = page + 1;
    });
    if (hole && found < 0) found = expect;
    const last = pagesFor(size);
    if (found < 0 || found >= last) return hole ? size : -Errno.ENXIO;
    const at = found === first ? offset : fileOffset(BigInt(found) * PAGE_BIG);
    return at < size ? at : size;
  }

  /**
   * fallocate(2), as mm/shmem.c shmem_fallocate: PUNCH_HOLE (with KEEP_SIZE,
   * which the VFS demands) frees the range as `punchHole`; mode 0 and
   * KEEP_SIZE give every page of the range a frame, and mode 0 then extends
   * the size; any other mode is EOPNOTSUPP. ENOSPC, with nothing changed,
   * when the allocator cannot give the frames. (Pages past the end of file
   * under KEEP_SIZE are not allocated here: a PagedBuffer keeps frames only
   * below its size, so st_blocks counts less than Linux would.)
   */
  fallocate(mode: number, offset: FileOffset, length: FileOffset): number {
    // ramfs_file_operations have no fallocate: vfs_fallocate answers EOPNOTSUPP.
    if (!this.shmem) return -Errno.EOPNOTSUPP;
    const { FALLOC_FL_KEEP_SIZE: KEEP, FALLOC_FL_PUNCH_HOLE: PUNCH } = FALLOC_FL;
    if ((mode & ~(KEEP | PUNCH)) !== 0) return -Errno.EOPNOTSUPP;
    if ((mode & PUNCH) !== 0) return this.punchHole(offset, length);
    const end = offsetAdd(offset, length);
    const size = (mode & KEEP) === 0 && end > this.data.size ? end : this.data.size;
    const first = pageOf(offset);
    const last = pagesFor(end < size ? end : size);
    const free = this.frames.stats().freeFrames;
    // At least `pages of the range - resident` pages are holes: when that
    // passes the free frames, ENOSPC at once, as shmem_fallocate's up-front
    // check of the whole range (KEEP_SIZE included) against the mount's
    // max_blocks, without walking a range of up to 2^51 pages. Past it the
    // range is short enough to count.
    if (pagesFor(end) - first - this.residentPages() > free) return -Errno.ENOSPC;
    let holes = 0;
    for (let page = first; page < last; page++) if (this.data.frameAt(page) < 0) holes++;
    if (holes > free) return -Errno.ENOSPC;
    if (size !== this.data.size) {
      const err = this.data.resize(size);
      if (err < 0) return err;
    }
    for (let page = first; page < last; page++) {
      if (this.data.getOrAllocFrame(page) < 0) return -Errno.ENOSPC;
    }
    // Every successful allocation moves both times, even one that allocates
    // nothing new or only past EOF under KEEP_SIZE (seen on Linux 6.18 tmpfs).
    this.touch();
    return 0;
  }

  /**
   * Change the size (shmem_setattr). Shrinking first makes every mapping of
   * the pages past the new EOF fault again, private copy-on-write copies
   * included (truncate_pagecache: unmap_mapping_range(holebegin, 0, 1)), so
   * they get SIGBUS; then the buffer frees those frames and zeroes the tail
   * of the EOF page, which stays mapped. The times are setattr's (a same-size
   * truncate(2) changes none).
   */
  protected override resize(size: FileOffset): number {
    if (size < this.data.size) this.rmap.invalidate(pageUp(size), Infinity, true);
    return this.data.resize(size);
  }

  protected override evict(): void {
    checkInvariants(() => invariant(this.rmap.size === 0, () => `evicting inode ${this.ino} while mapped`));
    this.data.release();
  }

  // ---- Mappable ----

  addMapping(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): void {
    this.rmap.add(space, start, end, offset, writable);
  }

  removeMapping(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): void {
    const found = this.rmap.remove(space, start, end, offset, writable);
    invariant(found, 'removeMapping without a matching addMapping');
  }

  removeAllMappings(space: MappingSpace): void {
    this.rmap.removeSpace(space);
  }

  /**
   * The frame of the page at `offset` (shmem_fault): SIGBUS for a page wholly
   * past EOF (the page holding EOF is fine; its bytes past EOF read zero),
   * NOMEM when a hole needs a frame and none is left. A hole gets a zeroed
   * frame even for a read, as shmem's page cache is the only storage.
   *
   * A write fault of a shared mapping moves the modification and change
   * times: tmpfs has no page_mkwrite, so mm/memory.c fault_dirty_shared_page
   * calls file_update_time. Only the fault does: later stores through the
   * writable page table entry, and msync, change no time (checked on Linux
   * 6.18 /dev/shm: a store after a read fault of the same page moves nothing).
   */
  translate(offset: number, write: boolean): TranslateResult {
    if (offset >= pageUp(this.data.size)) return TRANSLATE_SIGBUS;
    const frame = this.data.getOrAllocFrame(offset / PAGE_SIZE);
    if (frame === NO_FRAME) return TRANSLATE_NOMEM;
    if (write) {
      // fault_dirty_shared_page: the page a store faults in is dirty (a read fault's stays clean, as on Linux 6.18).
      this.data.markDirty(offset / PAGE_SIZE);
      this.touch();
    }
    return frame;
  }

  isResident(offset: number): boolean {
    return this.data.frameAt(offset / PAGE_SIZE) >= 0;
  }

  /**
   * Free [offset, offset + length) for everyone (shmem_fallocate
   * PUNCH_HOLE, MADV_REMOVE): mappings of those pages fault again, their
   * private copies kept (unmap_mapping_range with even_cows 0); whole pages
   * become holes, partial ones are zeroed. The size does not change.
   */
  punchHole(offset: FileOffset, length: FileOffset): Status {
    // MADV_REMOVE on ramfs: madvise_remove's vfs_fallocate has no fallocate to call.
    if (!this.shmem) return err(Errno.EOPNOTSUPP);
    if (length <= 0) return 0;
    this.rmap.invalidate(pageOf(offset) * PAGE_SIZE, pageUp(offsetAdd(offset, length)), false);
    this.data.punchHole(offset, length);
    this.touch();
    return 0;
  }
}
