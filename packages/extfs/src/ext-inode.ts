import { Errno, FALLOC_FL, PAGE_SIZE, S, type FileOffset, type Status } from '@tskern/abi';
import { MappingSet, TRANSLATE_NOMEM, TRANSLATE_SIGBUS, type Mappable, type MappingSpace, type TranslateResult } from '@tskern/mm-api';
import type { FrameAllocator, FrameId } from '@tskern/pagealloc';
import type { Inode, SetAttr } from '@tskern/vfs';
import { BlockMap } from './block-map';
import { ExtError, guarded } from './block-cache';
import { INODE_FL, inodeCsumSeed, type DiskInode, type DiskTime } from './disk-inode';
import { ExtentTree } from './extent-tree';
import type { ExtFs } from './ext-fs';
import type { BlockSource, FileBlocks } from './file-blocks';
import { ALL_BLOCKS, FilePages } from './file-pages';
import { decodeSpecialDevice } from './special-inode';

/** relatime's window: an access time a day old is updated anyway (relatime_need_update). */
const RELATIME_WINDOW_MS = 24 * 60 * 60 * 1000;

function ms(t: DiskTime): number {
  return t.seconds * 1000 + t.nanoseconds / 1e6;
}

function pageUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/**
 * One ext2/3/4 inode in memory (struct ext4_inode_info): its on-disk fields,
 * its block map, and for a regular file its page cache, which read(2),
 * write(2) and every mapping share (fs/ext4/inode.c, mm/filemap.c).
 *
 * Blocks are allocated when data is written, not at write-back (ext4 with
 * nodelalloc; delalloc only reserves them, with the same ENOSPC answers):
 * write(2) allocates the blocks it covers, and a store through a shared
 * mapping allocates the blocks of its page below EOF when it faults
 * (ext4_page_mkwrite), so a full file system gives SIGBUS there, not lost
 * data later. Write-back writes each dirty page's blocks below i_size, with
 * the bytes past i_size zeroed (ext4_bio_write_folio).
 */
export class ExtInode implements Inode, Mappable {
  private blockMap: FileBlocks | null = null;
  private pages: FilePages | null = null;
  private readonly rmap = new MappingSet();
  /** File ranges writable shared mappings cover: their resident pages may have been stored to. */
  private readonly writers: { offset: number; length: number }[] = [];
  private refs = 0;

  constructor(
    readonly fs: ExtFs,
    readonly ino: number,
    readonly disk: DiskInode,
  ) {}

  get frames(): FrameAllocator {
    return this.fs.frames;
  }

  // ---- attributes ----

  get mode(): number {
    return this.disk.mode;
  }
  get uid(): number {
    return this.disk.uid;
  }
  get gid(): number {
    return this.disk.gid;
  }
  get nlink(): number {
    return this.disk.linksCount;
  }
  /** st_rdev of a device file: old (16-bit) or new encoding in i_block (ext4_iget's old/new_decode_dev). */
  get rdev(): number {
    const fmt = this.mode & S.S_IFMT;
    if (fmt !== S.S_IFCHR && fmt !== S.S_IFBLK) return 0;
    return decodeSpecialDevice(this.disk.iblock);
  }
  get atime(): number {
    return ms(this.disk.atime);
  }
  get mtime(): number {
    return ms(this.disk.mtime);
  }
  get ctime(): number {
    return ms(this.disk.ctime);
  }
  get isDirectory(): boolean {
    return (this.mode & S.S_IFMT) === S.S_IFDIR;
  }
  get isRegular(): boolean {
    return (this.mode & S.S_IFMT) === S.S_IFREG;
  }

  size(): number {
    return this.disk.size;
  }

  blocks(): number {
    return this.disk.sectors(this.fs.blockSize, this.fs.hugeFile);
  }

  /**
   * st_blksize is the file system's block size for every kind of inode
   * (generic_fillattr reports i_blocksize, and ext4_iget sets i_blkbits from
   * the superblock): 1024 on a 1 KiB-block image, as `stat -c %o` on a
   * loop-mounted one answers on Linux.
   */
  statBlockSize(): number {
    return this.fs.blockSize;
  }

  /** The checksum seed of this inode's directory and extent blocks (null without metadata_csum). */
  csumSeed(): number | null {
    return this.fs.csumSeed === null ? null : inodeCsumSeed(this.fs.csumSeed, this.ino, this.disk.generation);
  }

  /** Write the inode back into its table block (ext4_mark_inode_dirty). */
  save(): void {
    this.fs.saveInode(this);
  }

  // ---- lifetime ----

  get refCount(): number {
    return this.refs;
  }

  incRef(): void {
    this.refs++;
  }

  decRef(): void {
    if (this.refs > 0) this.refs--;
    if (this.refs === 0) this.fs.released(this);
  }

  // ---- the block map ----

  /** The extent tree or block map, built on first use. */
  map(): FileBlocks {
    if (this.blockMap !== null) return this.blockMap;
    const bs = this.fs.blockSize;
    const source: BlockSource = {
      alloc: (goal) => {
        const b = this.fs.alloc.allocBlock(goal > 0 ? goal : this.fs.alloc.groupFirstBlock(this.fs.alloc.groupOfInode(this.ino)), true);
        this.disk.setSectors(this.blocks() + bs / 512);
        return b;
      },
      free: (b) => {
        this.fs.alloc.freeBlock(b);
        this.disk.setSectors(Math.max(0, this.blocks() - bs / 512));
      },
    };
    this.blockMap = (this.disk.flags & INODE_FL.EXTENTS) !== 0 ? new ExtentTree(this.disk.iblock, this.fs.cache, source, this.csumSeed()) : new BlockMap(this.disk.iblock, this.fs.cache, source);
    return this.blockMap;
  }

  /** The block behind logical block `logical`, allocating it (ENOSPC thrown); marks an unwritten one written. */
  blockFor(logical: number): number {
    const m = this.map();
    const have = m.lookup(logical);
    if (have !== null) {
      if (have.unwritten) m.written(logical);
      return have.physical;
    }
    const goal = m.goal(logical);
    return m.allocate(logical, goal);
  }

  // ---- the page cache ----

  private cache(): FilePages {
    return (this.pages ??= new FilePages(this.fs.frames));
  }

  /** Blocks per page (a block is never larger than a page: the mount refuses that). */
  private get perPage(): number {
    return PAGE_SIZE / this.fs.blockSize;
  }

  /** The bit mask of the blocks of a page that bytes [inPage, inPage + length) touch. */
  private blockMask(inPage: number, length: number): number {
    const bs = this.fs.blockSize;
    let mask = 0;
    for (let k = Math.floor(inPage / bs); k * bs < inPage + length; k++) mask |= 1 << k;
    return mask;
  }

  /** The page's frame, read from disk if not cached (holes and unwritten extents read as zeros). */
  private loadPage(page: number): FrameId {
    const pages = this.cache();
    const have = pages.get(page);
    if (have !== undefined) return have;
    // Out of frames: write back and drop clean pages of every file, then try again (shrink_folio_list).
    const frame = pages.add(page) ?? (this.fs.reclaim() > 0 ? pages.add(page) : null);
    if (frame === null) throw new ExtError(Errno.ENOMEM);
    const bytes = pages.bytes(frame);
    const bs = this.fs.blockSize;
    const size = this.size();
    try {
      for (let k = 0; k < this.perPage; k++) {
        const logical = page * this.perPage + k;
        if (logical * bs >= size) break;
        const m = this.map().lookup(logical);
        if (m !== null && !m.unwritten) this.fs.cache.readRaw(m.physical * bs, bytes, k * bs, bs);
      }
    } catch (e) {
      pages.dropFrom(page);
      throw e;
    }
    return frame;
  }

  read(pos: number, dst: Uint8Array, dstOffset: number, length: number): number {
    return guarded(() => {
      const size = this.size();
      if (pos >= size || length === 0) return 0;
      const n = Math.min(length, size - pos);
      let done = 0;
      while (done < n) {
        const at = pos + done;
        const page = Math.floor(at / PAGE_SIZE);
        const inPage = at % PAGE_SIZE;
        const chunk = Math.min(n - done, PAGE_SIZE - inPage);
        const frame = this.loadPage(page);
        dst.set(this.cache().bytes(frame).subarray(inPage, inPage + chunk), dstOffset + done);
        done += chunk;
      }
      return n;
    });
  }

  /**
   * touch_atime with relatime (the default /proc/mounts shows): the access
   * time moves only when it is not newer than the modification or change
   * time, or is a day old; never on a read-only mount.
   */
  accessed(): void {
    if (this.fs.readOnly) return;
    const now = this.fs.now();
    const atime = this.atime;
    if (now === atime) return;
    if (this.mtime >= atime || this.ctime >= atime || now - atime >= RELATIME_WINDOW_MS) {
      this.disk.setAtime(now);
      guarded(() => this.save());
    }
  }

  /**
   * write(2): blocks are allocated for the range first (a short count or
   * ENOSPC where they run out, as ext4_da_write_begin's reservation), then
   * the bytes go into the cache pages, which become dirty.
   */
  write(pos: number, src: Uint8Array, srcOffset: number, length: number): number {
    if (this.fs.readOnly) return -Errno.EROFS;
    if (length === 0) return 0;
    const r = guarded(() => {
      const bs = this.fs.blockSize;
      let done = 0;
      this.zeroPastEof(pos);
      try {
        while (done < length) {
          const at = pos + done;
          const page = Math.floor(at / PAGE_SIZE);
          const inPage = at % PAGE_SIZE;
          const chunk = Math.min(length - done, PAGE_SIZE - inPage);
          const frame = this.loadPage(page);
          // The blocks this chunk touches; stop at the first that cannot be had.
          let room = 0;
          let failure: unknown = null;
          for (let b = Math.floor(at / bs); b * bs < at + chunk; b++) {
            try {
              this.blockFor(b);
            } catch (e) {
              failure = e;
              break;
            }
            room = Math.min(chunk, (b + 1) * bs - at);
          }
          if (room > 0) {
            this.cache().bytes(frame).set(src.subarray(srcOffset + done, srcOffset + done + room), inPage);
            this.cache().markDirty(page, this.blockMask(inPage, room));
            done += room;
            if (at + room > this.size()) this.disk.size = at + room;
          }
          if (failure !== null) throw failure;
        }
      } catch (e) {
        if (!(e instanceof ExtError) || done === 0) throw e;
      }
      return done;
    });
    if (typeof r === 'number' && r > 0) {
      this.touch();
      this.save();
    }
    return r;
  }

  /**
   * The size grows to `size` (a write past EOF or a truncate up): the bytes
   * of the old EOF page past the old size are zeroed (a store through a
   * mapping may have put something there), and that page is unmapped from
   * every mapping so the next store faults and allocates its new blocks
   * (pagecache_isize_extended).
   */
  private extendTo(size: number): void {
    if (size <= this.size()) return;
    this.zeroPastEof(size);
    this.disk.size = size;
  }

  /** Before the size grows to `size`: the old EOF page's tail is zeroed and unmapped (see extendTo). */
  private zeroPastEof(size: number): void {
    const old = this.size();
    if (size <= old) return;
    const inPage = old % PAGE_SIZE;
    if (inPage !== 0 && this.pages !== null) {
      const page = Math.floor(old / PAGE_SIZE);
      const frame = this.pages.get(page);
      if (frame !== undefined) this.pages.bytes(frame).fill(0, inPage);
      this.rmap.invalidate(page * PAGE_SIZE, (page + 1) * PAGE_SIZE, false);
    }
  }

  /** Modification times: mtime and ctime now. */
  touch(): void {
    const now = this.fs.now();
    this.disk.setMtime(now);
    this.disk.setCtime(now);
  }

  /**
   * Set the size (ext4_setattr): shrinking unmaps and drops the pages past
   * the end, zeroes the partial last block on disk and in the cache
   * (ext4_block_truncate_page) and frees the blocks past it; growing leaves
   * a hole.
   */
  private resize(size: number): void {
    const old = this.size();
    const bs = this.fs.blockSize;
    if (size >= old) {
      this.extendTo(size);
      return;
    }
    this.rmap.invalidate(pageUp(size), Infinity, true);
    this.cache().dropFrom(Math.ceil(size / PAGE_SIZE));
    if (size % bs !== 0 && this.map().lookup(Math.floor(size / bs)) !== null) {
      const page = Math.floor(size / PAGE_SIZE);
      const frame = this.loadPage(page);
      this.cache().bytes(frame).fill(0, size % PAGE_SIZE);
      this.cache().markDirty(page, this.blockMask(size % PAGE_SIZE, 1));
    } else if (size % PAGE_SIZE !== 0) {
      const frame = this.cache().get(Math.floor(size / PAGE_SIZE));
      if (frame !== undefined) this.cache().bytes(frame).fill(0, size % PAGE_SIZE);
    }
    this.disk.size = size;
    this.map().truncate(Math.ceil(size / bs));
  }

  setattr(attr: SetAttr): number {
    if (this.fs.readOnly) return -Errno.EROFS;
    const r = guarded(() => {
      const now = this.fs.now();
      if (attr.size !== undefined) {
        const size = Number(attr.size);
        if (!this.isRegular) return -Errno.EINVAL;
        if (size !== this.size() || attr.touch === true) this.disk.setMtime(now);
        this.resize(size);
      }
      if (attr.mode !== undefined) this.disk.mode = (this.mode & S.S_IFMT) | (attr.mode & 0o7777);
      if (attr.uid !== undefined) this.disk.uid = attr.uid;
      if (attr.gid !== undefined) this.disk.gid = attr.gid;
      if (attr.atime !== undefined) this.disk.setAtime(attr.atime === 'now' ? now : attr.atime);
      if (attr.mtime !== undefined) this.disk.setMtime(attr.mtime === 'now' ? now : attr.mtime);
      if (attr.touch === true) this.disk.setMtime(now);
      this.disk.setCtime(now);
      this.save();
      return 0;
    });
    return r;
  }

  /**
   * fallocate(2) as ext4_fallocate. Modes 0 and KEEP_SIZE give every hole
   * of the range an unwritten extent (reads stay zero), and mode 0 extends
   * the size; ENOSPC when blocks run out (those allocated stay, as Linux).
   * PUNCH_HOLE works on block-mapped (ext2/ext3) files too, as
   * ext4_punch_hole; the other modes need extents (EOPNOTSUPP otherwise,
   * as Linux 6.18 answers on a loop-mounted ext2 image).
   */
  fallocate(mode: number, offset: FileOffset, length: FileOffset): number {
    if (this.fs.readOnly) return -Errno.EROFS;
    const start = Number(offset);
    const len = Number(length);
    const extents = this.map() instanceof ExtentTree;
    const keep = (mode & FALLOC_FL.FALLOC_FL_KEEP_SIZE) !== 0;
    switch (mode & ~FALLOC_FL.FALLOC_FL_KEEP_SIZE) {
      case 0:
        return extents ? this.preallocate(start, start + len, keep) : -Errno.EOPNOTSUPP;
      case FALLOC_FL.FALLOC_FL_PUNCH_HOLE:
        return this.punchRange(start, len);
      case FALLOC_FL.FALLOC_FL_ZERO_RANGE:
        return extents ? this.zeroRange(start, start + len, keep) : -Errno.EOPNOTSUPP;
      case FALLOC_FL.FALLOC_FL_COLLAPSE_RANGE:
      case FALLOC_FL.FALLOC_FL_INSERT_RANGE:
        return extents ? this.shiftRange(start, len, mode === FALLOC_FL.FALLOC_FL_INSERT_RANGE) : -Errno.EOPNOTSUPP;
      default:
        return -Errno.EOPNOTSUPP;
    }
  }

  /** Unwritten extents for the holes of blocks [from, to) of the extent tree. */
  private allocateUnwritten(from: number, to: number): void {
    const tree = this.map() as ExtentTree;
    try {
      for (let b = from; b < to; b++) if (tree.lookup(b) === null) tree.allocate(b, tree.goal(b), true);
    } finally {
      this.save();
    }
  }

  /** ext4_fallocate's modes 0 and KEEP_SIZE (ext4_alloc_file_blocks). */
  private preallocate(start: number, end: number, keep: boolean): number {
    const bs = this.fs.blockSize;
    return guarded(() => {
      this.allocateUnwritten(Math.floor(start / bs), Math.ceil(end / bs));
      if (!keep) this.extendTo(end);
      this.touch(); // both times move, KEEP_SIZE too (Linux 6.x on ext4)
      this.save();
      return 0;
    });
  }

  /**
   * filemap_write_and_wait_range then truncate_pagecache_range over pages
   * [from, to): dirty pages reach their blocks, then every mapping of them
   * is unmapped (private copies too when `evenCows`) and they leave the
   * cache, so the next access reads what the blocks hold after the change.
   */
  private writeAndDrop(from: number, to: number, evenCows: boolean): void {
    if (this.pages === null) return;
    for (const p of this.pages.residentIn(from, to)) if (this.pages.isDirty(p) || this.coveredByWriter(p)) this.writePage(p);
    this.rmap.invalidate(from * PAGE_SIZE, to === Infinity ? Infinity : to * PAGE_SIZE, evenCows);
    this.pages.dropRange(from, to);
  }

  /**
   * Zero bytes [start, end) of one block in the page cache, to be written
   * back (ext4_block_zero_page_range); a hole or an unwritten block already
   * reads as zeros and stays as it is.
   */
  private zeroInBlock(start: number, end: number): void {
    if (end <= start) return;
    const m = this.map().lookup(Math.floor(start / this.fs.blockSize));
    if (m === null || m.unwritten) return;
    const page = Math.floor(start / PAGE_SIZE);
    const frame = this.loadPage(page);
    this.cache().bytes(frame).fill(0, start % PAGE_SIZE, start % PAGE_SIZE + (end - start));
    this.cache().markDirty(page, this.blockMask(start % PAGE_SIZE, end - start));
  }

  /** ext4_zero_partial_blocks: the partial blocks at the edges of [start, end). */
  private zeroPartialBlocks(start: number, end: number): void {
    const bs = this.fs.blockSize;
    const headEnd = Math.min(end, Math.floor(start / bs) * bs + bs);
    if (start % bs !== 0 || headEnd - start < bs) this.zeroInBlock(start, headEnd);
    const tailStart = Math.floor(end / bs) * bs;
    if (tailStart >= headEnd && end % bs !== 0) this.zeroInBlock(tailStart, end);
  }

  /**
   * ext4_punch_hole: nothing at or past EOF; a range past EOF reaches to
   * the end of EOF's page; dirty pages are written and the range's pages
   * dropped and unmapped (private copies stay), the partial blocks at the
   * edges zeroed, and the whole blocks between freed. Both times move.
   */
  private punchRange(start: number, len: number): number {
    const size = this.size();
    if (start >= size) return 0;
    let end = start + len;
    if (end > size) end = size + PAGE_SIZE - (size % PAGE_SIZE);
    const bs = this.fs.blockSize;
    return guarded(() => {
      this.writeAndDrop(Math.floor(start / PAGE_SIZE), Math.ceil(end / PAGE_SIZE), false);
      const first = Math.ceil(start / bs);
      const stop = Math.floor(end / bs);
      try {
        if (first < stop) this.map().punch(first, stop);
      } finally {
        this.save();
      }
      // After the blocks went: a page reloaded for an edge reads them as holes.
      this.zeroPartialBlocks(start, end);
      this.touch();
      this.save();
      return 0;
    });
  }

  /**
   * ext4_zero_range: the range's blocks are allocated (unwritten) where
   * they are holes, its whole blocks become unwritten, the partial ones
   * at the edges are zeroed; mode 0 without KEEP_SIZE extends the size.
   */
  private zeroRange(start: number, end: number, keep: boolean): number {
    const bs = this.fs.blockSize;
    return guarded(() => {
      this.writeAndDrop(Math.floor(start / PAGE_SIZE), Math.ceil(end / PAGE_SIZE), false);
      this.allocateUnwritten(Math.floor(start / bs), Math.ceil(end / bs));
      const first = Math.ceil(start / bs);
      const stop = Math.floor(end / bs);
      if (first < stop) (this.map() as ExtentTree).unwrite(first, stop);
      this.zeroPartialBlocks(start, Math.min(end, Math.max(this.size(), start)));
      if (!keep) this.extendTo(end);
      this.touch();
      this.save();
      return 0;
    });
  }

  /**
   * ext4_collapse_range / ext4_insert_range: offset and length whole
   * blocks (EINVAL), the range inside the file (EINVAL: a collapse may not
   * reach EOF, an insert must start before it), EFBIG past the largest
   * size; the file is written back and its pages dropped from the offset's
   * page on, then the extents past the offset move by the length.
   */
  private shiftRange(start: number, len: number, insert: boolean): number {
    const bs = this.fs.blockSize;
    if (start % bs !== 0 || len % bs !== 0) return -Errno.EINVAL; // EXT4_CLUSTER_SIZE alignment
    const size = this.size();
    if (insert) {
      if (len > Number(this.fs.maxFileSize) - size) return -Errno.EFBIG;
      if (start >= size) return -Errno.EINVAL;
    } else if (start + len >= size) return -Errno.EINVAL;
    const tree = this.map() as ExtentTree;
    return guarded(() => {
      this.writeAndDrop(Math.floor(start / PAGE_SIZE), Infinity, true);
      try {
        if (insert) {
          tree.shift(start / bs, len / bs);
          this.disk.size = size + len;
        } else {
          tree.punch(start / bs, (start + len) / bs);
          tree.shift((start + len) / bs, -len / bs);
          this.disk.size = size - len;
        }
      } finally {
        this.save();
      }
      this.touch();
      this.save();
      return 0;
    });
  }

  /**
   * SEEK_DATA / SEEK_HOLE (ext4_llseek -> iomap_seek_data/hole): data is a
   * written block, or a hole under a dirty page (write-back will allocate
   * it); unwritten extents are holes, as Linux 6.x answers for a block
   * after a short write into a preallocated file. The offset found, or
   * ENXIO past the last data.
   */
  seekData(offset: FileOffset, hole: boolean): FileOffset {
    const r = guarded(() => {
      const size = this.size();
      const bs = this.fs.blockSize;
      let at = Number(offset);
      while (at < size) {
        const b = Math.floor(at / bs);
        const m = this.map().lookup(b);
        const dirty = this.pages?.isDirty(Math.floor(at / PAGE_SIZE)) ?? false;
        const data = m === null ? dirty : !m.unwritten;
        if (data !== hole) return at;
        at = (b + 1) * bs;
      }
      return hole ? size : -Errno.ENXIO;
    });
    return r;
  }

  // ---- write-back ----

  /** Whether a writable shared mapping covers page `page`. */
  private coveredByWriter(page: number): boolean {
    const at = page * PAGE_SIZE;
    return this.writers.some((w) => at >= w.offset && at < w.offset + w.length);
  }

  /**
   * Write the dirty pages of [fromPage, toPage) and the resident ones a
   * writable mapping covers (tskern maps a shared page writable at its
   * first fault, so later stores are not seen) back to their blocks.
   */
  flushPages(fromPage: number, toPage: number): void {
    if (this.pages === null || this.disk.linksCount === 0) return;
    for (const p of this.pages.residentIn(fromPage, toPage)) {
      if (this.pages.isDirty(p) || this.coveredByWriter(p)) this.writePage(p);
    }
  }

  /** ext4_writepages for one page: its blocks below i_size, the bytes past i_size zeroed. */
  private writePage(page: number): void {
    const pages = this.cache();
    const frame = pages.get(page)!;
    const bytes = pages.bytes(frame);
    const bs = this.fs.blockSize;
    const size = this.size();
    const end = size - page * PAGE_SIZE;
    if (end <= 0) {
      pages.markClean(page);
      return;
    }
    if (end < PAGE_SIZE) bytes.fill(0, end); // ext4_bio_write_folio zeroes the folio past EOF
    // Only dirty blocks are written (a clean hole or unwritten extent stays one); a page a
    // writable mapping covers may have been stored to anywhere.
    const dirty = this.coveredByWriter(page) ? ALL_BLOCKS : pages.dirtyBlocks(page);
    for (let k = 0; k < this.perPage && k * bs < end; k++) {
      if ((dirty & (1 << k)) === 0) continue;
      let physical: number;
      try {
        physical = this.blockFor(page * this.perPage + k);
      } catch (e) {
        // A page stored to through a read-faulted mapping on a full file system: nowhere to put it.
        if (e instanceof ExtError && e.errno === Errno.ENOSPC) continue;
        throw e;
      }
      this.fs.cache.writeRaw(physical * bs, bytes, k * bs, bs);
    }
    pages.markClean(page);
    this.save();
  }

  /** fsync(2): the file's pages, then the metadata (ext4_sync_file commits it all). */
  fsync(): number {
    return guarded(() => {
      this.flushPages(0, Infinity);
      return this.fs.syncMetadata();
    });
  }

  /** msync(MS_SYNC) of a range (vfs_fsync_range). */
  writeback(offset: number, length: number): Status {
    const r = guarded(() => {
      this.flushPages(Math.floor(offset / PAGE_SIZE), Math.ceil((offset + length) / PAGE_SIZE));
      return this.fs.syncMetadata();
    });
    return r as Status;
  }

  /** Write back, then drop the clean unmapped pages (memory reclaim): how many went. */
  reclaimPages(): number {
    if (this.pages === null) return 0;
    this.flushPages(0, Infinity);
    return this.pages.dropClean();
  }

  /** Drop the page cache (umount, eviction). */
  dropPages(): void {
    this.pages?.release();
    this.pages = null;
  }

  /** Free every block the file holds (eviction of an unlinked inode). */
  freeAllBlocks(): void {
    this.dropPages();
    if ((this.mode & S.S_IFMT) === S.S_IFLNK && this.blocks() === 0) return; // a fast symlink: i_block is its text
    this.map().truncate(0);
    this.disk.size = 0;
  }

  /** Resident and dirty pages (tests, diagnostics). */
  cacheStats(): { resident: number; dirty: number } {
    return { resident: this.pages?.residentCount ?? 0, dirty: this.pages?.dirtyCount ?? 0 };
  }

  // ---- Mappable ----

  mappable(): Mappable | null {
    return this.isRegular ? this : null;
  }

  addMapping(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): void {
    this.rmap.add(space, start, end, offset, writable);
    if (writable) this.writers.push({ offset, length: end - start });
  }

  removeMapping(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): void {
    this.rmap.remove(space, start, end, offset, writable);
    if (!writable) return;
    const i = this.writers.findIndex((w) => w.offset === offset && w.length === end - start);
    if (i >= 0) this.writers.splice(i, 1);
    // The mapping may have stored to any page it saw.
    if (this.pages !== null) for (const p of this.pages.residentIn(offset / PAGE_SIZE, (offset + end - start) / PAGE_SIZE)) this.pages.markDirty(p);
  }

  removeAllMappings(space: MappingSpace): void {
    this.rmap.removeSpace(space);
  }

  /**
   * filemap_fault, and for a store ext4_page_mkwrite: the blocks of the page
   * below i_size are allocated first, and SIGBUS when there are none left
   * (VM_FAULT_SIGBUS); the page is then dirty. SIGBUS past EOF, NOMEM when
   * no frame is left.
   */
  translate(offset: number, write: boolean): TranslateResult {
    const page = offset / PAGE_SIZE;
    const r = guarded(() => {
      if (offset >= pageUp(this.size())) return TRANSLATE_SIGBUS;
      const frame = this.loadPage(page);
      if (write) {
        if (this.fs.readOnly) return TRANSLATE_SIGBUS;
        const bs = this.fs.blockSize;
        for (let k = 0; k < this.perPage; k++) {
          const logical = page * this.perPage + k;
          if (logical * bs >= this.size()) break;
          this.blockFor(logical);
        }
        this.cache().markDirty(page);
        this.touch(); // ext4_page_mkwrite -> file_update_time
        this.save();
      }
      return frame;
    });
    if (r === -Errno.ENOMEM) return TRANSLATE_NOMEM;
    return r < 0 && r > -4096 ? TRANSLATE_SIGBUS : (r as TranslateResult);
  }

  isResident(offset: number): boolean {
    return this.pages?.get(offset / PAGE_SIZE) !== undefined;
  }

  /** MADV_REMOVE: vfs_fallocate(PUNCH_HOLE | KEEP_SIZE) over the range (madvise_remove). */
  punchHole(offset: number, length: number): Status {
    return this.fallocate(FALLOC_FL.FALLOC_FL_PUNCH_HOLE | FALLOC_FL.FALLOC_FL_KEEP_SIZE, offset, length) as Status;
  }
}
