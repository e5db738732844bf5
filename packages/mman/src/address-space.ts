import { invariant, checkInvariants, invariantChecksEnabled } from '@tskern/assert';
import { PAGE_SIZE } from '@tskern/abi';
import type { Mappable, MappingSpace } from '@tskern/mm-api';
import type { FrameAllocator } from '@tskern/pagealloc';
import { RangeMap, type Segment } from '@tskern/rangemap';
import type { MemoryOptions } from './options';
import type { ProgramBreak } from './program-break';
import { dropGuards } from './guard';
import { GuardRanges } from './guard-ranges';
import { PageTable } from './page-table';
import { PTE_ANON, PTE_CLEAN, PTE_COW, PTE_EXEC, PTE_KIND, PTE_READ, PTE_WRITE } from './pte';
import { AnonVma, anonCompatible, canMerge, Vma } from './vma';
import { PROT_EXEC_BIT, PROT_READ_MASK, PROT_WRITE_BIT } from './prot';

/**
 * One process's address space: the VMAs it asked for and the page table of
 * what is resolved, kept apart (gVisor's vmas and pmas; Linux's mm_struct with
 * its maple tree and page tables).
 *
 * This class holds the state and the primitives every mman call is built
 * from (split, merge, unmap, zap, register with the mapped object). The calls
 * themselves live one per file (mmap.ts, munmap.ts, ...), as functions of an
 * AddressSpace, like Linux's mm/*.c functions of an mm_struct.
 */
export class AddressSpace implements MappingSpace {
  readonly vmas: RangeMap<Vma>;
  readonly pt = new PageTable();
  /** Pages holding a guard marker (guard.ts), as runs: beside the page table, never present in it. */
  readonly guards = new GuardRanges();
  readonly frames: FrameAllocator;
  /** Set once the space is torn down (exit, execve); every access then faults. */
  released = false;
  /** Page faults resolved in this space (getrusage's ru_minflt; Linux counts per task, tskern per address space). */
  minorFaults = 0;
  /**
   * VM_* flags every new mapping gets (Linux's mm->def_flags): VM_LOCKED
   * (and VM_LOCKONFAULT) after mlockall(MCL_FUTURE). Not inherited by fork.
   */
  defFlags = 0;
  /** The data segment and the program break (mm->start_brk, mm->brk); exec sets them. */
  readonly programBreak: ProgramBreak = { startData: 0, endData: 0, startBrk: 0, brk: 0 };

  constructor(
    readonly options: MemoryOptions,
    /** The VMA tree to start from (fork passes a clone); empty by default. */
    vmas?: RangeMap<Vma>,
  ) {
    this.frames = options.frames;
    this.vmas = vmas ?? new RangeMap<Vma>({ min: 0, max: options.taskSize });
  }

  /** Number of VMAs (Linux's mm->map_count). */
  get mapCount(): number {
    return this.vmas.size;
  }

  // ---- registration with mapped objects (the reverse map) ----

  /** Tell the VMA's object that this space maps [start, end) (and take a reference on the file). */
  attach(start: number, end: number, vma: Vma): void {
    const b = vma.backing;
    if (b === null) return;
    b.identity.incRef();
    b.mappable.addMapping(this, start, end, vma.offset, vma.shared && (vma.prot & PROT_WRITE_BIT) !== 0);
  }

  /** Undo `attach` for the same range and VMA state. */
  detach(start: number, end: number, vma: Vma): void {
    const b = vma.backing;
    if (b === null) return;
    b.mappable.removeMapping(this, start, end, vma.offset, vma.shared && (vma.prot & PROT_WRITE_BIT) !== 0);
    b.identity.decRef();
  }

  // ---- VMA tree primitives ----

  /** Insert a new VMA over a free range and register it with its object. */
  insertVma(start: number, end: number, vma: Vma): Segment<Vma> {
    const seg = this.vmas.insert(start, end, vma);
    this.attach(start, end, vma);
    return seg;
  }

  /**
   * Split `seg` at `at` (strictly inside it); returns the right part. The
   * right part's object offset is `offset + (at - start)` (mm/vma.c:__split_vma).
   */
  splitVma(seg: Segment<Vma>, at: number): Segment<Vma> {
    invariant(seg.start < at && at < seg.end, 'splitVma outside the segment');
    const vma = seg.value;
    const start = seg.start;
    const end = seg.end;
    const right = this.vmas.splitAt(seg, at, (v, delta) => v.slice(delta));
    // Register the pieces before dropping the whole, so the object never sees
    // its last mapping go (a shared anonymous object would die).
    this.attach(seg.start, seg.end, seg.value);
    this.attach(right.start, right.end, right.value);
    this.detach(start, end, vma);
    return right;
  }

  /**
   * Merge `seg` with its neighbours where Linux would (same object at
   * contiguous offsets, same protections and flags). Returns the survivor.
   */
  mergeAround(seg: Segment<Vma>): Segment<Vma> {
    let cur = seg;
    const prev = cur.prev();
    if (prev !== undefined && prev.end === cur.start && canMerge(prev.value, prev.end - prev.start, cur.value)) {
      cur = this.joinWithNext(prev);
    }
    const next = cur.next();
    if (next !== undefined && cur.end === next.start && canMerge(cur.value, cur.end - cur.start, next.value)) {
      cur = this.joinWithNext(cur);
    }
    return cur;
  }

  private joinWithNext(left: Segment<Vma>): Segment<Vma> {
    const right = left.next()!;
    const start = left.start;
    const end = right.end;
    const leftEnd = left.end;
    const rightStart = right.start;
    const leftVma = left.value;
    // The merged VMA keeps whichever anonymous memory identity either side had.
    const merged = leftVma.anon === null && right.value.anon !== null ? leftVma.with({ anon: right.value.anon }) : leftVma;
    this.attach(start, end, merged);
    this.detach(start, leftEnd, leftVma);
    this.detach(rightStart, end, right.value);
    this.vmas.remove(right);
    this.vmas.setRange(left, start, end);
    left.value = merged;
    return left;
  }

  /**
   * Make [start, end) a union of whole VMAs by splitting at both ends. Returns
   * false when a split would pass vm.max_map_count (the caller answers ENOMEM);
   * nothing is changed then.
   */
  isolate(start: number, end: number): boolean {
    const first = this.vmas.find(start);
    const last = this.vmas.find(end - 1);
    const splits = (first !== undefined && first.start < start ? 1 : 0) + (last !== undefined && last.end > end ? 1 : 0);
    if (splits > 0 && this.mapCount + splits > this.options.tunables.maxMapCount) return false;
    if (first !== undefined && first.start < start) this.splitVma(first, start);
    const last2 = this.vmas.find(end - 1);
    if (last2 !== undefined && last2.end > end) this.splitVma(last2, end);
    return true;
  }

  /** Drop every page-table entry of [start, end), releasing their frames. */
  zap(start: number, end: number): void {
    const pt = this.pt;
    const frames = this.frames;
    pt.forEachPresent(start / PAGE_SIZE, end / PAGE_SIZE, (page, frame) => {
      pt.clear(page);
      frames.decRef(frame);
    });
  }

  /**
   * Remove every mapping in [start, end) (page-aligned). Holes are fine, as
   * munmap(2). Returns false when splitting would pass vm.max_map_count.
   */
  unmap(start: number, end: number): boolean {
    if (this.vmas.isEmpty()) return true;
    let seg = this.vmas.lowerBound(start);
    if (seg === undefined || seg.start >= end) return true;
    if (!this.isolate(start, end)) return false;
    seg = this.vmas.lowerBound(start);
    while (seg !== undefined && seg.start < end) {
      const next = seg.next();
      this.zap(seg.start, seg.end);
      this.detach(seg.start, seg.end, seg.value);
      this.vmas.remove(seg);
      seg = next;
    }
    dropGuards(this.guards, start, end);
    return true;
  }

  /**
   * Tear everything down (exit, execve): every frame and file reference is
   * released in one pass over the VMAs, with no splitting or rebalancing.
   */
  releaseAll(): void {
    // One pass: each VMA releases its pages and its registration as the tree
    // drops it (exit_mmap's single walk of the VMAs). Every step is O(1) per
    // VMA, so the teardown of N mappings is linear.
    // An object that can drop all of this space's registrations at once gets
    // one call, however many VMAs map it.
    const dropped = new Set<Mappable>();
    this.vmas.clear((seg) => {
      if (this.pt.resident !== 0) this.zap(seg.start, seg.end);
      const b = seg.value.backing;
      if (b === null) return;
      const m = b.mappable;
      if (m.removeAllMappings === undefined) {
        this.detach(seg.start, seg.end, seg.value);
        return;
      }
      if (!dropped.has(m)) {
        m.removeAllMappings(this);
        dropped.add(m);
      }
      b.identity.decRef();
    });
    this.guards.clear();
    this.released = true;
    invariant(this.pt.resident === 0, 'page table not empty after releasing every VMA');
  }

  /**
   * Give the private VMA in `seg` an anonymous memory identity before its
   * first store (anon_vma_prepare): reuse a compatible neighbour's, as
   * find_mergeable_anon_vma does, or make a new one.
   */
  ensureAnon(seg: Segment<Vma>): void {
    const vma = seg.value;
    if (vma.anon !== null || vma.shared) return;
    let anon: AnonVma | null = null;
    const prev = seg.prev();
    if (prev !== undefined && prev.end === seg.start && prev.value.anon !== null && anonCompatible(prev.value, prev.end - prev.start, vma)) {
      anon = prev.value.anon;
    }
    const next = seg.next();
    if (anon === null && next !== undefined && seg.end === next.start && next.value.anon !== null && anonCompatible(vma, seg.end - seg.start, next.value)) {
      anon = next.value.anon;
    }
    seg.value = vma.with({ anon: anon ?? new AnonVma() });
  }

  // ---- page-table entry helpers ----

  /**
   * The effective access bits of a present entry under `vma` (x86-64: any
   * protection makes a page readable; execute exactly when VM_EXEC, so every
   * path that derives an entry from its VMA — fault, mprotect, mremap, fork —
   * gets PTE_EXEC right from this one place).
   */
  accessBits(vma: Vma, pteFlags: number): number {
    let bits = 0;
    if ((vma.prot & PROT_READ_MASK) !== 0) bits |= PTE_READ;
    if ((vma.prot & PROT_WRITE_BIT) !== 0 && (pteFlags & (PTE_COW | PTE_CLEAN)) === 0) bits |= PTE_WRITE;
    if ((vma.prot & PROT_EXEC_BIT) !== 0) bits |= PTE_EXEC;
    return bits;
  }

  /** Recompute access bits of the resident pages of [start, end) after a protection change. */
  reprotect(start: number, end: number, vma: Vma): void {
    const pt = this.pt;
    pt.forEachPresent(start / PAGE_SIZE, end / PAGE_SIZE, (page, _frame, flags) => {
      const keep = flags & PTE_KIND;
      pt.setFlags(page, keep | this.accessBits(vma, keep));
    });
  }

  // ---- MappingSpace ----

  /**
   * Called by a mapped object (truncate, hole punch): drop translations of
   * [start, end) so the next access translates again. Private COW copies stay
   * unless `invalidatePrivate`.
   */
  invalidate(start: number, end: number, invalidatePrivate: boolean): void {
    const pt = this.pt;
    const frames = this.frames;
    pt.forEachPresent(start / PAGE_SIZE, end / PAGE_SIZE, (page, frame, flags) => {
      if ((flags & PTE_ANON) !== 0 && !invalidatePrivate) return;
      pt.clear(page);
      frames.decRef(frame);
    });
  }

  /**
   * page_mkclean for a write-notify object: its pages in [start, end) (not
   * private copies) stay mapped but become clean and read-only (PTE_CLEAN),
   * so the next store faults and the object hears of it again.
   */
  writeProtect(start: number, end: number): void {
    const pt = this.pt;
    for (const seg of this.vmas.segmentsIn(start, end)) {
      const vma = seg.value;
      pt.forEachPresent(Math.max(start, seg.start) / PAGE_SIZE, Math.min(end, seg.end) / PAGE_SIZE, (page, _frame, flags) => {
        if ((flags & PTE_ANON) !== 0) return;
        const kind = (flags & PTE_KIND) | PTE_CLEAN;
        pt.setFlags(page, kind | this.accessBits(vma, kind));
      });
    }
  }

  /** Whole-structure invariants (tests switch these on). */
  check(): void {
    if (!invariantChecksEnabled()) return;
    checkInvariants(() => {
      this.vmas.checkInvariants();
      for (const seg of this.vmas.segmentsIn(0, this.options.taskSize)) {
        invariant(seg.start % PAGE_SIZE === 0 && seg.end % PAGE_SIZE === 0, 'VMA not page-aligned');
      }
      let counted = 0;
      this.pt.forEachPresent(0, this.options.taskSize / PAGE_SIZE, (page, frame) => {
        counted++;
        invariant(this.vmas.find(page * PAGE_SIZE) !== undefined, 'page-table entry outside every VMA');
        invariant(this.frames.refCount(frame) > 0, 'page-table entry holds a free frame');
      });
      invariant(counted === this.pt.resident, 'page-table resident count is wrong');
      for (const run of this.guards.all()) {
        // The run is covered by VMAs without holes, and no page of it is present.
        let covered = run.first * PAGE_SIZE;
        for (const seg of this.vmas.segmentsIn(run.first * PAGE_SIZE, run.last * PAGE_SIZE)) {
          if (seg.start > covered) break;
          covered = seg.end;
        }
        invariant(covered >= run.last * PAGE_SIZE, 'guard marker outside every VMA');
        this.pt.forEachPresent(run.first, run.last, () => invariant(false, 'guard marker on a present page'));
      }
    });
  }
}
