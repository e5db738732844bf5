import { err, Errno, isError, O, PAGE_SIZE, type Status } from '@tskern/abi';
import { checkInvariants, invariant } from '@tskern/assert';
import { MappingSet, TRANSLATE_NOMEM, TRANSLATE_SIGBUS, type Mappable, type MappingSpace, type TranslateResult } from '@tskern/mm-api';
import type { FrameAllocator } from '@tskern/pagealloc';
import type { FileOperations } from '@tskern/vfs';
import type { HostStat } from './host-backend';
import { HostInode } from './host-inode';
import { openHostFile } from './open-host-file';
import { PageCache } from './page-cache';
import type { PageIo } from './page-io';

function pageUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/**
 * A regular host file with a page cache over the kernel's frames, so read(2),
 * write(2) and every mapping share the same pages (the file is its own page
 * cache, as ramfs's files are; compare a disk file's `address_space` in
 * mm/filemap.c).
 *
 * - **Active while open**: the first open opens a host handle and starts an
 *   empty cache sized from the host; pages are read from the host one at a
 *   time on read, partial write and translate.
 * - **Dirty pages** (write(2), stores through shared mappings: a write-notify
 *   object, so a shared mapping maps a page read-only until its first store
 *   faults and `translate(offset, true)` marks it dirty) reach the host
 *   on fsync, msync (`writeback`), the last close/unmap and HostFs.sync. A
 *   failing host answers its errno (EIO) and the pages stay dirty; a later
 *   flush writes them. After a clean last close the cache is dropped, so the
 *   next open sees the host file as it is then.
 * - **Truncate** goes to the host at once; shrinking first invalidates every
 *   mapping of the pages past the new end, private copies included.
 * - **Unlinked while open**: the host handle keeps the data (POSIX); when the
 *   last reference goes the cache is dropped unwritten.
 */
export class HostFile extends HostInode implements Mappable {
  private cache: PageCache | null = null;
  private handle = -1;
  private handleWritable = false;
  private readonly rmap = new MappingSet();
  /**
   * Shared mappings tell of each clean page's first store (vma_wants_writenotify,
   * as a disk file system's), so the dirty pages are exactly the stored ones.
   */
  readonly writeNotify = true;
  /** Host I/O on the current handle, for the page cache. */
  private readonly io: PageIo = {
    pread: (dst, dstOffset, length, position) => this.fs.backend.pread(this.handle, dst, dstOffset, length, position),
    pwrite: (src, srcOffset, length, position) => this.fs.backend.pwrite(this.handle, src, srcOffset, length, position),
  };

  get frames(): FrameAllocator {
    return this.fs.frames;
  }

  override size(): number {
    return this.cache?.size ?? this.statSize;
  }

  override blocks(): number {
    return this.cache === null ? this.statBlocks : Math.max(this.statBlocks, this.cache.residentPages() * (PAGE_SIZE / 512));
  }

  /** The host's attributes; while pages are dirty the local times are newer than the host's. */
  override refresh(st: HostStat): void {
    const dirty = (this.cache?.dirtyCount ?? 0) > 0;
    const { mtime, ctime } = this;
    super.refresh(st);
    if (dirty) {
      this.mtime = Math.max(mtime, this.mtime);
      this.ctime = Math.max(ctime, this.ctime);
    }
  }

  /** Whether the page cache is live (open, mapped, or holding unwritten data). */
  get active(): boolean {
    return this.cache !== null;
  }

  /** Resident and dirty pages, for tests and diagnostics. */
  cacheStats(): { resident: number; dirty: number } {
    return { resident: this.cache?.residentPages() ?? 0, dirty: this.cache?.dirtyCount ?? 0 };
  }

  /** The page cache's invariants (dirty pages resident, below the end), when it is live. */
  checkInvariants(): void {
    this.cache?.checkInvariants();
  }

  /** Mappings registered. */
  get mappingCount(): number {
    return this.rmap.size;
  }

  // ---- lifetime ----

  /**
   * Open (the VFS has checked the caller's permissions): make sure the host
   * file can be opened for the access asked, and start the cache.
   */
  open(flags: number): FileOperations | number {
    if (this.fs.backend.refuseReentry()) return -Errno.EIO;
    const err = this.activate((flags & O.O_ACCMODE) !== O.O_RDONLY);
    return err < 0 ? err : {};
  }

  /** A host handle good for writing when `write`, and the cache. */
  private activate(write: boolean): number {
    const err = this.ensureHandle(write);
    if (err < 0) return err;
    if (this.cache === null) {
      const st = this.fs.backend.fstat(this.handle);
      if (typeof st === 'number') return st;
      this.refresh(st);
      this.cache = new PageCache(this.frames, st.size);
      this.fs.noteActive(this);
    }
    return 0;
  }

  private ensureHandle(write: boolean): number {
    if (this.handle >= 0 && (this.handleWritable || !write)) return 0;
    if (this.stale) return this.handle >= 0 ? -Errno.EACCES : -Errno.ENOENT;
    const backend = this.fs.backend;
    // A read-only mount never asks the host for write access.
    let h = this.fs.readOnly ? -Errno.EROFS : openHostFile(backend, this.path(), O.O_RDWR);
    let writable = true;
    if (h < 0 && !write) {
      h = openHostFile(backend, this.path(), O.O_RDONLY);
      writable = false;
    }
    if (h < 0) return h;
    // The host file under this path now must be the one this inode is: if
    // someone replaced it since the lookup, the handle is not ours (NFS's ESTALE).
    const st = backend.fstat(h);
    if (typeof st === 'number' || st.id !== this.hostId) {
      backend.close(h);
      return typeof st === 'number' ? st : -Errno.ESTALE;
    }
    if (this.handle >= 0) backend.close(this.handle);
    this.handle = h;
    this.handleWritable = writable;
    return 0;
  }

  /** The cache, starting it if needed (a stray access without an open). */
  private activeCache(write: boolean): PageCache | number {
    if (this.cache === null || (write && !this.handleWritable)) {
      const err = this.activate(write);
      if (err < 0) return err;
    }
    return this.cache!;
  }

  protected override lastReferenceGone(): void {
    // Let go from inside a backend call: the cache stays, HostFs.sync drops it later.
    if (this.fs.backend.refuseReentry()) return;
    this.deactivate();
  }

  /**
   * Write the dirty pages back and drop the cache and the host handle (the
   * last close or unmap, or HostFs.sync of an unreferenced file). On a host
   * error everything stays, dirty, for the next try. An unlinked file's
   * pages are dropped unwritten. Returns 0 or `-errno`.
   */
  deactivate(): number {
    if (this.cache === null) return this.closeHandle();
    checkInvariants(() => invariant(this.rmap.size === 0, () => `dropping the cache of mapped inode ${this.ino}`));
    if (!this.unlinked) {
      const r = this.cache.flush(0, Infinity, this.io);
      if (r.error < 0) return r.error;
      const st = this.fs.backend.fstat(this.handle);
      if (typeof st !== 'number') this.refresh(st);
    }
    this.statSize = this.cache.size;
    this.cache.release();
    this.cache = null;
    this.fs.noteInactive(this);
    return this.closeHandle();
  }

  private closeHandle(): number {
    if (this.handle < 0) return 0;
    const h = this.handle;
    this.handle = -1;
    this.handleWritable = false;
    return this.fs.backend.close(h);
  }

  override markUnlinked(): void {
    super.markUnlinked();
    if (this.refCount === 0) this.deactivate(); // unwritten data of a closed file: nobody can see it now
  }

  // ---- data ----

  read(pos: number, dst: Uint8Array, dstOffset: number, length: number): number {
    if (this.fs.backend.refuseReentry()) return -Errno.EIO;
    const cache = this.activeCache(false);
    if (typeof cache === 'number') return cache;
    const n = cache.read(pos, dst, dstOffset, length, this.io);
    if (n > 0) this.atime = Date.now();
    return n;
  }

  write(pos: number, src: Uint8Array, srcOffset: number, length: number): number {
    if (this.fs.backend.refuseReentry()) return -Errno.EIO;
    const cache = this.activeCache(true);
    if (typeof cache === 'number') return cache;
    const n = cache.write(pos, src, srcOffset, length, this.io);
    if (n > 0) this.touch();
    return n;
  }

  /** fsync(2): every dirty page, then the host's fsync. */
  fsync(datasync: boolean): number {
    return this.sync(0, Infinity, datasync);
  }

  /** msync(MS_SYNC) of [offset, offset + length): that range, then the host's fdatasync (vfs_fsync_range). */
  writeback(offset: number, length: number): Status {
    return this.sync(Math.floor(offset / PAGE_SIZE), Math.ceil((offset + length) / PAGE_SIZE), true);
  }

  /**
   * Write pages [fromPage, toPage) back and make the host flush them. If the
   * host's fsync fails the pages written are dirty again: they may not be on
   * stable storage. Pages written are clean: their mappings are
   * write-protected (page_mkclean), so the next store through one faults and
   * dirties them again.
   */
  private sync(fromPage: number, toPage: number, datasync: boolean): Status {
    if (this.fs.backend.refuseReentry()) return err(Errno.EIO);
    const cache = this.cache;
    if (cache === null || this.unlinked) return 0;
    const r = cache.flush(fromPage, toPage, this.io);
    if (this.rmap.size !== 0) for (const p of r.written) this.rmap.writeProtect(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
    if (isError(r.error)) return r.error;
    const e = this.fs.backend.fsync(this.handle, datasync);
    if (isError(e)) {
      cache.markDirty(r.written);
      return e;
    }
    return 0;
  }

  /** Flush everything and fsync (HostFs.sync); an unreferenced file then drops its cache. */
  syncAll(): number {
    const err = this.sync(0, Infinity, false);
    if (err < 0) return err;
    return this.refCount === 0 ? this.deactivate() : 0;
  }

  mappable(): Mappable {
    return this;
  }

  /**
   * Truncate the host file first (its error leaves everything as it was),
   * then the cache: shrinking invalidates every mapping of the pages past the
   * new EOF, private COW copies included (truncate_pagecache), so they get
   * SIGBUS, and frees those pages, dirty or not.
   */
  protected override resize(size: number): number {
    const backend = this.fs.backend;
    if (this.cache === null) {
      if (this.stale) return 0;
      const err = backend.truncate(this.path(), size);
      if (err < 0) return err;
      this.statSize = size;
      this.touch();
      return 0;
    }
    let err: number;
    if (this.handleWritable) err = backend.ftruncate(this.handle, size);
    else err = this.stale ? -Errno.EACCES : backend.truncate(this.path(), size);
    if (err < 0) return err;
    if (size < this.cache.size) this.rmap.invalidate(pageUp(size), Infinity, true);
    this.cache.resize(size);
    this.touch();
    return 0;
  }

  // ---- Mappable ----

  addMapping(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): void {
    this.fs.backend.refuseReentry(); // cannot be refused, but the interrupted call fails
    this.rmap.add(space, start, end, offset, writable);
  }

  removeMapping(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): void {
    this.fs.backend.refuseReentry(); // cannot be refused, but the interrupted call fails
    const found = this.rmap.remove(space, start, end, offset, writable);
    invariant(found, 'removeMapping without a matching addMapping');
  }

  /**
   * The cache frame of the page at `offset` (filemap_fault), read from the
   * host if needed: SIGBUS for a page wholly past EOF or when the host read
   * fails (VM_FAULT_SIGBUS), NOMEM when no frame is left. A store marks the
   * page dirty.
   */
  translate(offset: number, write: boolean): TranslateResult {
    if (this.fs.backend.refuseReentry()) return TRANSLATE_SIGBUS;
    const cache = this.activeCache(write);
    if (typeof cache === 'number') return TRANSLATE_SIGBUS;
    if (offset >= pageUp(cache.size)) return TRANSLATE_SIGBUS;
    const page = offset / PAGE_SIZE;
    const frame = cache.load(page, this.io);
    if (isError(frame)) return frame === -Errno.ENOMEM ? TRANSLATE_NOMEM : TRANSLATE_SIGBUS;
    if (write) cache.markDirty([page]);
    return frame;
  }

  isResident(offset: number): boolean {
    return this.cache?.isResident(offset / PAGE_SIZE) ?? false;
  }

  /** MADV_REMOVE / fallocate(PUNCH_HOLE): the host interface has no hole punching. */
  punchHole(): Status {
    return err(Errno.EOPNOTSUPP);
  }
}
