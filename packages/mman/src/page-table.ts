import { invariant } from '@tskern/assert';
import { NO_FRAME, type FrameId, type NoFrame } from '@tskern/pagealloc';
import { PTE_PRESENT } from './pte';
import type { TranslationObserver } from './translation-observer';

/** Pages per page-table chunk (2 MiB of address space, as a PMD on x86-64). */
const CHUNK_PAGES = 512;

/** One chunk: a frame id and flags per page. */
interface Chunk {
  readonly frames: Int32Array;
  readonly flags: Uint8Array;
  present: number;
}

/**
 * Emptied chunks kept for reuse (their flags are all zero again), so a
 * mapping touched and unmapped over and over does not allocate and collect
 * typed arrays each time. Shared by every page table of the process.
 */
const spareChunks: Chunk[] = [];
const MAX_SPARE_CHUNKS = 64;

function newChunk(): Chunk {
  const spare = spareChunks.pop();
  if (spare !== undefined) return spare;
  // One buffer for both arrays: frames (4 bytes a page) then flags (1 byte a page).
  const buffer = new ArrayBuffer(CHUNK_PAGES * 5);
  return { frames: new Int32Array(buffer, 0, CHUNK_PAGES), flags: new Uint8Array(buffer, CHUNK_PAGES * 4, CHUNK_PAGES), present: 0 };
}

/**
 * The resolved half of an address space: page number -> (frame, flags).
 *
 * A sparse two-level radix (a Map of 512-entry chunks), so lookups are one
 * hash probe plus an array index, memory is 5 bytes per page of a touched 2 MiB
 * region, and a huge sparse mapping costs nothing until touched. Every present
 * entry holds one reference on its frame; the owner (the address space) takes
 * and drops those references, the table only stores ids.
 */
export class PageTable {
  private readonly chunks = new Map<number, Chunk>();
  private lastIndex = -1;
  private lastChunk: Chunk | undefined = undefined;
  /** Present entries in the whole table (resident pages). */
  resident = 0;
  /** The most entries ever present at once (Linux's mm->hiwater_rss, which getrusage's ru_maxrss reads). */
  peakResident = 0;
  /**
   * Who caches translations of this table (a CPU's software TLB), or null:
   * the only cost of the hook when nobody watches is this one null check on
   * a mutation of a present entry.
   */
  private observers: TranslationObserver[] | null = null;

  /**
   * Register `observer`: from now on every change of a present entry (frame
   * replaced, flags changed, entry cleared) calls it with the page, after
   * the change, whichever mman path made it — munmap, mprotect, mremap, COW,
   * truncate, madvise, fork, exit — since all of them go through set,
   * setFlags and clear (Linux's mmu_notifier invalidate_range, called from
   * the page-table code for the same reason). Installing an entry where
   * none was is not reported: an observer caches only present entries.
   * Returns the function that unregisters it.
   */
  observe(observer: TranslationObserver): () => void {
    (this.observers ??= []).push(observer);
    return () => {
      const list = this.observers;
      if (list === null) return;
      const i = list.indexOf(observer);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.observers = null;
    };
  }

  private changed(page: number): void {
    const list = this.observers!;
    for (let i = 0; i < list.length; i++) list[i]!.invalidate(page, page + 1);
  }

  private chunk(index: number): Chunk | undefined {
    if (index === this.lastIndex) return this.lastChunk;
    const c = this.chunks.get(index);
    if (c !== undefined) {
      this.lastIndex = index;
      this.lastChunk = c;
    }
    return c;
  }

  /** Flags of page `page` (0 when absent). */
  flags(page: number): number {
    const c = this.chunk(Math.floor(page / CHUNK_PAGES));
    return c === undefined ? 0 : c.flags[page % CHUNK_PAGES]!;
  }

  /** Frame of present page `page`: the caller checked that `flags(page)` is nonzero. */
  frame(page: number): FrameId {
    const c = this.chunk(Math.floor(page / CHUNK_PAGES));
    invariant(c !== undefined, 'PageTable.frame of an absent page');
    return c.frames[page % CHUNK_PAGES]! as FrameId; // set() stored a FrameId there
  }

  /** Install (or overwrite) an entry. The caller already holds the frame reference it transfers. */
  set(page: number, frame: FrameId, flags: number): void {
    invariant((flags & PTE_PRESENT) !== 0, 'page-table entry without PTE_PRESENT');
    const index = Math.floor(page / CHUNK_PAGES);
    let c = this.chunk(index);
    if (c === undefined) {
      c = newChunk();
      this.chunks.set(index, c);
      this.lastIndex = index;
      this.lastChunk = c;
    }
    const i = page % CHUNK_PAGES;
    const old = c.flags[i]!;
    if (old === 0) {
      c.present++;
      if (++this.resident > this.peakResident) this.peakResident = this.resident;
    }
    c.frames[i] = frame;
    c.flags[i] = flags;
    if (old !== 0 && this.observers !== null) this.changed(page);
  }

  /** Change the flags of a present entry. */
  setFlags(page: number, flags: number): void {
    const c = this.chunk(Math.floor(page / CHUNK_PAGES));
    invariant(c !== undefined && c.flags[page % CHUNK_PAGES] !== 0, 'setFlags on an absent entry');
    invariant((flags & PTE_PRESENT) !== 0, 'setFlags would clear PTE_PRESENT; use clear');
    const i = page % CHUNK_PAGES;
    if (c.flags[i] === flags) return;
    c.flags[i] = flags;
    if (this.observers !== null) this.changed(page);
  }

  /** Remove an entry; returns the frame it held (the caller drops that reference), or NO_FRAME. */
  clear(page: number): FrameId | NoFrame {
    const index = Math.floor(page / CHUNK_PAGES);
    const c = this.chunk(index);
    if (c === undefined) return NO_FRAME;
    const i = page % CHUNK_PAGES;
    if (c.flags[i] === 0) return NO_FRAME;
    c.flags[i] = 0;
    this.resident--;
    if (--c.present === 0) {
      this.chunks.delete(index);
      if (spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(c);
      if (this.lastIndex === index) {
        this.lastIndex = -1;
        this.lastChunk = undefined;
      }
    }
    if (this.observers !== null) this.changed(page);
    return c.frames[i]! as FrameId; // a present entry's frame
  }

  /**
   * Visit every present entry with page in [startPage, endPage), in page order.
   * `fn` may change flags or clear the visited entry. Costs O(chunks in range)
   * or O(chunks present), whichever is smaller, so a huge sparse range is cheap.
   */
  forEachPresent(
    startPage: number,
    endPage: number,
    fn: (page: number, frame: FrameId, flags: number) => void,
  ): void {
    if (startPage >= endPage || this.resident === 0) return;
    const first = Math.floor(startPage / CHUNK_PAGES);
    const last = Math.floor((endPage - 1) / CHUNK_PAGES);
    if (last - first + 1 <= this.chunks.size) {
      for (let index = first; index <= last; index++) this.visitChunk(index, startPage, endPage, fn);
    } else {
      const indices: number[] = [];
      for (const index of this.chunks.keys()) if (index >= first && index <= last) indices.push(index);
      indices.sort((a, b) => a - b);
      for (const index of indices) this.visitChunk(index, startPage, endPage, fn);
    }
  }

  private visitChunk(
    index: number,
    startPage: number,
    endPage: number,
    fn: (page: number, frame: FrameId, flags: number) => void,
  ): void {
    const c = this.chunks.get(index);
    if (c === undefined) return;
    const base = index * CHUNK_PAGES;
    const from = Math.max(startPage, base) - base;
    const to = Math.min(endPage, base + CHUNK_PAGES) - base;
    for (let i = from; i < to; i++) {
      const f = c.flags[i]!;
      if (f !== 0) {
        fn(base + i, c.frames[i]! as FrameId, f); // present: set() stored a FrameId
        if (c.present === 0) return; // the callback cleared the chunk's last entry
      }
    }
  }
}
