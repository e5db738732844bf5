import { PAGE_SIZE } from '@tskern/abi';
import type { UserFaultWait } from '@tskern/mm-api';
import { handleUserFault, PTE_EXEC, PTE_READ, PTE_WRITE, type AddressSpace, type TranslationObserver } from '@tskern/mman';
import { CpuMemoryFault, type CpuMemory, type CpuTlb, type CpuTlbWay, type MemoryAccess } from '@tskern/rv64';
import { faultKind } from './fault-kind';

/** Options of createCpuMemory. */
export interface CpuMemoryOptions {
  /** Entries of each of the three TLBs (read, write, execute); a power of two, 256 by default. */
  readonly tlbEntries?: number;
}

/** Called with [address, address + length) when code the CPU may have decoded lost its translation. */
export type CodeInvalidation = (address: number, length: number) => void;

/** One direct-mapped TLB: page -> the frame's bytes and the page's byte offset in them. */
class Tlb implements CpuTlbWay {
  /** The cached page per slot; NaN when empty (NaN equals nothing, not even a negative page). */
  readonly page: Float64Array;
  /** The same page as an int32 for compiled code's probe (rv64's CpuTlbWay): -1 when empty or at 2^30 or more. */
  readonly tag: Int32Array;
  /** The page's own 4096 bytes as a DataView, for compiled code (rv64's CpuTlbWay). */
  readonly frame: DataView[];
  readonly bytes: Uint8Array[];
  readonly view: DataView[];
  /** Byte offset of the page in `bytes[slot]` (an arena can pass 2^31, so not an Int32Array). */
  readonly base: Float64Array;

  constructor(entries: number) {
    this.page = new Float64Array(entries).fill(NaN);
    this.tag = new Int32Array(entries).fill(-1);
    const empty = new Uint8Array(0);
    this.bytes = new Array<Uint8Array>(entries).fill(empty);
    this.view = new Array<DataView>(entries).fill(new DataView(empty.buffer));
    this.frame = new Array<DataView>(entries).fill(new DataView(empty.buffer));
    this.base = new Float64Array(entries);
  }
}

/**
 * The 4 KiB DataView of each page of a frame memory (an arena or a chunk),
 * made once per page and shared by every address space's TLB: a DataView
 * is an API object whose construction cost more than the rest of a TLB
 * fill (13% of an mmap + touch + munmap loop, where every round faults in
 * a fresh page), and frames are reused, so the same few views serve.
 * Keyed by the memory array, so a view can never outlive or mismatch it.
 */
const pageViews = new WeakMap<Uint8Array, (DataView | undefined)[]>();

function pageViewsOf(bytes: Uint8Array): (DataView | undefined)[] {
  let views = pageViews.get(bytes);
  if (views === undefined) {
    // Sized up front (holey, never grown): an index far past a plain array's end would turn it into a dictionary.
    views = new Array<DataView | undefined>(Math.ceil(bytes.byteLength / PAGE_SIZE));
    pageViews.set(bytes, views);
  }
  return views;
}

function pageView(views: (DataView | undefined)[], bytes: Uint8Array, offset: number): DataView {
  const i = offset / PAGE_SIZE;
  let view = views[i];
  if (view === undefined) {
    view = new DataView(bytes.buffer, bytes.byteOffset + offset, PAGE_SIZE);
    // Allocators hand out page-aligned frames; any other offset just gets no cached view.
    if (Number.isInteger(i)) views[i] = view;
  }
  return view;
}

function setSlot(tlb: Tlb, s: number, page: number, bytes: Uint8Array, view: DataView, base: number, frame: DataView): void {
  tlb.page[s] = page;
  tlb.tag[s] = page < 2 ** 30 ? page : -1;
  tlb.bytes[s] = bytes;
  tlb.view[s] = view;
  tlb.base[s] = base;
  tlb.frame[s] = frame;
}

const TWO_BYTES_LAST = PAGE_SIZE - 2;
const FOUR_BYTES_LAST = PAGE_SIZE - 4;

/**
 * The CPU's memory over an mman address space, through a software TLB.
 *
 * Three direct-mapped TLBs (read, write, execute: a page may be readable
 * but not yet writable while copy-on-write) cache page -> (frame bytes,
 * offset), so a hit is a compare and a typed-array access. A miss looks the
 * page table up and, where the entry does not allow the access, takes mman's
 * fault path (demand paging, COW break, stack growth, SIGBUS beyond EOF)
 * exactly as mman's own user accesses do, then fills the slot.
 *
 * Coherence: the TLB registers as the page table's TranslationObserver, so
 * every change of a present entry — munmap, mprotect, mremap, a COW break,
 * truncate or hole punch in any sharer, madvise, fork write-protecting the
 * parent, exit — drops the slots of that page before the next access. A
 * store through one address space into a MAP_SHARED frame is seen at once
 * by every other: both TLBs point at the same frame bytes.
 *
 * Misaligned accesses inside a page are direct; one crossing a page goes
 * byte by byte, as Linux emulates misaligned user accesses
 * (arch/riscv/kernel/traps_misaligned.c), so a store crossing into a failing
 * page leaves the bytes before it written. A failed access throws
 * CpuMemoryFault with si_addr the first byte that failed.
 *
 * One instance per address space serves every thread's CPU; `dispose()`
 * unregisters it (the space's page table then forgets it).
 */
export class TlbCpuMemory implements CpuMemory, TranslationObserver {
  private readonly mask: number;
  private readonly r: Tlb;
  private readonly w: Tlb;
  private readonly x: Tlb;
  private readonly taskSize: number;
  private readonly views = new WeakMap<Uint8Array, DataView>();
  /**
   * The frame memory of the last fill, its whole view and its page views:
   * one arena (or the same chunk) serves fill after fill, so the two
   * WeakMap lookups per fill are skipped while it stays the same.
   */
  private lastBytes: Uint8Array | null = null;
  private lastView: DataView | null = null;
  private lastPageViews: (DataView | undefined)[] = [];
  /** Pages ever filled for execute and not invalidated since: where a CPU may hold decoded code. */
  private readonly codePages = new Set<number>();
  private readonly codeWatchers: CodeInvalidation[] = [];
  private readonly unobserve: () => void;
  /** What the last `retry` fault waits on, until the driver takes it (`takeFaultWait`). */
  private faultWait: UserFaultWait | null = null;
  /**
   * The read and write ways, for the CPU's compiled blocks to probe inline
   * (rv64's CpuTlb). The arrays are this memory's own, changed only in
   * place: invalidate() drops a slot for them too.
   */
  readonly tlb: CpuTlb;

  constructor(
    readonly addressSpace: AddressSpace,
    options: CpuMemoryOptions = {},
  ) {
    const entries = options.tlbEntries ?? 256;
    if (!(Number.isInteger(entries) && entries > 0 && (entries & (entries - 1)) === 0)) {
      throw new RangeError(`tlbEntries must be a power of two, not ${entries}`);
    }
    this.mask = entries - 1;
    this.r = new Tlb(entries);
    this.w = new Tlb(entries);
    this.x = new Tlb(entries);
    this.tlb = { mask: this.mask, read: this.r, write: this.w };
    this.taskSize = addressSpace.options.taskSize;
    this.unobserve = addressSpace.pt.observe(this);
  }

  /**
   * Call `fn` whenever a page this memory served instruction fetches from
   * changes translation (unmapped, remapped, lost PROT_EXEC, replaced by a
   * COW copy): wire it to `Rv64Cpu.invalidateCode` so the decode cache never
   * runs code that is no longer mapped there. Returns the unregister function.
   */
  watchCode(fn: CodeInvalidation): () => void {
    this.codeWatchers.push(fn);
    return () => {
      const i = this.codeWatchers.indexOf(fn);
      if (i >= 0) this.codeWatchers.splice(i, 1);
    };
  }

  /**
   * What the thread whose access just ended in a `retry` fault must wait on
   * (a userfaultfd's missing page, see mman's handleUserFault), once: the
   * driver parks the thread on it and reruns the instruction when woken.
   */
  takeFaultWait(): UserFaultWait | null {
    const w = this.faultWait;
    this.faultWait = null;
    return w;
  }

  /** Stop observing the page table and forget every translation. */
  dispose(): void {
    this.unobserve();
    this.flush();
    this.lastBytes = this.lastView = null;
    this.lastPageViews = [];
  }

  /** Forget every cached translation. */
  flush(): void {
    for (const t of [this.r, this.w, this.x]) {
      t.page.fill(NaN);
      t.tag.fill(-1);
    }
  }

  /** TranslationObserver: pages [startPage, endPage) changed translation. */
  invalidate(startPage: number, endPage: number): void {
    const mask = this.mask;
    for (const t of [this.r, this.w, this.x]) {
      const page = t.page;
      const tag = t.tag;
      if (endPage - startPage > mask + 1) {
        for (let s = 0; s <= mask; s++) {
          if (page[s]! >= startPage && page[s]! < endPage) {
            page[s] = NaN;
            tag[s] = -1;
          }
        }
      } else {
        for (let p = startPage; p < endPage; p++) {
          const s = p & mask;
          if (page[s] === p) {
            page[s] = NaN;
            tag[s] = -1;
          }
        }
      }
    }
    if (this.codePages.size !== 0) this.invalidateCode(startPage, endPage);
  }

  private invalidateCode(startPage: number, endPage: number): void {
    for (let p = startPage; p < endPage; p++) {
      if (!this.codePages.delete(p)) continue;
      for (const fn of this.codeWatchers) fn(p * PAGE_SIZE, PAGE_SIZE);
    }
  }

  // ---- the CpuMemory fast paths: a hit is one compare and one typed-array access ----

  load8(address: number): number {
    const page = Math.floor(address / PAGE_SIZE);
    const s = page & this.mask;
    const t = this.r;
    if (t.page[s] === page) return t.bytes[s]![t.base[s]! + address - page * PAGE_SIZE]!;
    return this.slowLoad(address, 1);
  }

  load16(address: number): number {
    const page = Math.floor(address / PAGE_SIZE);
    const s = page & this.mask;
    const t = this.r;
    const inPage = address - page * PAGE_SIZE;
    if (t.page[s] === page && inPage <= TWO_BYTES_LAST) return t.view[s]!.getUint16(t.base[s]! + inPage, true);
    return this.slowLoad(address, 2);
  }

  load32(address: number): number {
    const page = Math.floor(address / PAGE_SIZE);
    const s = page & this.mask;
    const t = this.r;
    const inPage = address - page * PAGE_SIZE;
    if (t.page[s] === page && inPage <= FOUR_BYTES_LAST) return t.view[s]!.getInt32(t.base[s]! + inPage, true);
    return this.slowLoad(address, 4) | 0;
  }

  store8(address: number, value: number): void {
    const page = Math.floor(address / PAGE_SIZE);
    const s = page & this.mask;
    const t = this.w;
    if (t.page[s] === page) t.bytes[s]![t.base[s]! + address - page * PAGE_SIZE] = value;
    else this.slowStore(address, 1, value);
  }

  store16(address: number, value: number): void {
    const page = Math.floor(address / PAGE_SIZE);
    const s = page & this.mask;
    const t = this.w;
    const inPage = address - page * PAGE_SIZE;
    if (t.page[s] === page && inPage <= TWO_BYTES_LAST) t.view[s]!.setUint16(t.base[s]! + inPage, value, true);
    else this.slowStore(address, 2, value);
  }

  store32(address: number, value: number): void {
    const page = Math.floor(address / PAGE_SIZE);
    const s = page & this.mask;
    const t = this.w;
    const inPage = address - page * PAGE_SIZE;
    if (t.page[s] === page && inPage <= FOUR_BYTES_LAST) t.view[s]!.setInt32(t.base[s]! + inPage, value | 0, true);
    else this.slowStore(address, 4, value);
  }

  fetch16(address: number): number {
    const page = Math.floor(address / PAGE_SIZE);
    const s = page & this.mask;
    const t = this.x;
    const inPage = address - page * PAGE_SIZE;
    if (t.page[s] === page && inPage <= TWO_BYTES_LAST) return t.view[s]!.getUint16(t.base[s]! + inPage, true);
    return this.slowFetch(address);
  }

  // ---- misses ----

  /**
   * Fill the slot of `page` in `tlb` for `access`, faulting the page in
   * when its entry does not allow it; throws the CpuMemoryFault of
   * `address` (the byte the access failed at) otherwise. Returns the slot.
   */
  private fill(tlb: Tlb, page: number, access: MemoryAccess, address: number): number {
    if (!(address >= 0 && address < this.taskSize)) throw new CpuMemoryFault('maperr', address, access);
    const as = this.addressSpace;
    const need = access === 'read' ? PTE_READ : access === 'write' ? PTE_WRITE : PTE_EXEC;
    if ((as.pt.flags(page) & need) === 0) {
      const signal = handleUserFault(as, page, access === 'write', access === 'execute');
      if (typeof signal === 'object') {
        this.faultWait = signal;
        throw new CpuMemoryFault('retry', address, access);
      }
      if (signal !== 0) throw new CpuMemoryFault(faultKind(as, signal, address), address, access);
    }
    // The fault may have changed the entry (and so dropped this page's slots): fill after it.
    const frame = as.pt.frame(page);
    const frames = as.frames;
    const bytes = frames.memory(frame);
    const s = page & this.mask;
    if (bytes !== this.lastBytes) {
      this.lastBytes = bytes;
      this.lastView = this.viewOf(bytes);
      this.lastPageViews = pageViewsOf(bytes);
    }
    const base = frames.offset(frame);
    // A view of just this page: compiled code then indexes it by the offset in the page, a small integer.
    const frameView = pageView(this.lastPageViews, bytes, base);
    setSlot(tlb, s, page, bytes, this.lastView!, base, frameView);
    // A page just made writable is read next more often than not (a store,
    // then a load back; a COW break): its read slot gets the same entry when
    // the page table entry allows reads, saving a second miss. Invalidation
    // drops the page from every TLB alike.
    if (access === 'write' && (as.pt.flags(page) & PTE_READ) !== 0) setSlot(this.r, s, page, bytes, this.lastView!, base, frameView);
    if (access === 'execute') this.codePages.add(page);
    return s;
  }

  private viewOf(bytes: Uint8Array): DataView {
    let view = this.views.get(bytes);
    if (view === undefined) {
      view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.views.set(bytes, view);
    }
    return view;
  }

  private slowLoad(address: number, size: number): number {
    const page = Math.floor(address / PAGE_SIZE);
    const inPage = address - page * PAGE_SIZE;
    if (inPage + size > PAGE_SIZE) {
      // Crosses a page: byte by byte, little-endian (the emulation's order).
      let value = 0;
      for (let i = 0; i < size; i++) value += this.load8(address + i) * 2 ** (8 * i);
      return value;
    }
    const t = this.r;
    const s = this.fill(t, page, 'read', address);
    const at = t.base[s]! + inPage;
    if (size === 1) return t.bytes[s]![at]!;
    return size === 2 ? t.view[s]!.getUint16(at, true) : t.view[s]!.getUint32(at, true);
  }

  private slowStore(address: number, size: number, value: number): void {
    const page = Math.floor(address / PAGE_SIZE);
    const inPage = address - page * PAGE_SIZE;
    if (inPage + size > PAGE_SIZE) {
      for (let i = 0; i < size; i++) this.store8(address + i, (value >>> (8 * i)) & 0xff);
      return;
    }
    const t = this.w;
    const s = this.fill(t, page, 'write', address);
    const at = t.base[s]! + inPage;
    if (size === 1) t.bytes[s]![at] = value;
    else if (size === 2) t.view[s]!.setUint16(at, value, true);
    else t.view[s]!.setInt32(at, value | 0, true);
  }

  private slowFetch(address: number): number {
    const page = Math.floor(address / PAGE_SIZE);
    const inPage = address - page * PAGE_SIZE;
    const t = this.x;
    if (inPage > TWO_BYTES_LAST) {
      // Only an odd pc gets here (riscv64 pcs are even); fetch it byte by byte.
      const s = this.fill(t, page, 'execute', address);
      const low = t.bytes[s]![t.base[s]! + inPage]!;
      const next = page + 1;
      const s2 = this.fill(t, next, 'execute', next * PAGE_SIZE);
      return low | (t.bytes[s2]![t.base[s2]!]! << 8);
    }
    const s = this.fill(t, page, 'execute', address);
    return t.view[s]!.getUint16(t.base[s]! + inPage, true);
  }
}

/**
 * The CpuMemory of `addressSpace`: hand it to `new Rv64Cpu(memory)`. It
 * stays coherent by itself through every mman call on the space; only the
 * CPU's decode cache needs wiring (`memory.watchCode((a, n) => cpu.invalidateCode(a, n))`).
 */
export function createCpuMemory(addressSpace: AddressSpace, options: CpuMemoryOptions = {}): TlbCpuMemory {
  return new TlbCpuMemory(addressSpace, options);
}
