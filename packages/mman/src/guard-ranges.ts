import { RangeMap } from '@tskern/rangemap';

/** A run of guarded pages `[first, last)` (page numbers). */
export interface GuardRange {
  first: number;
  last: number;
}

/**
 * The guard markers of an address space (guard.ts) as disjoint, non-adjacent
 * runs of page numbers. Linux keeps one marker per page-table entry, but a
 * guard over a huge VMA would then need one entry per page (a fuzzed
 * MADV_GUARD_INSTALL over 2^48 bytes overflowed a Set of page numbers), so
 * every operation here costs O(runs touched + log runs), never O(pages).
 */
export class GuardRanges {
  // Page numbers of a 57-bit address space stay far below 2^53.
  private readonly runs = new RangeMap<null>({ min: 0, max: 2 ** 53 });

  /** Number of runs (0 when no page is guarded: the fault path checks this first). */
  get size(): number {
    return this.runs.size;
  }

  /** Whether `page` holds a guard marker. */
  has(page: number): boolean {
    return this.runs.find(page) !== undefined;
  }

  /** Mark every page of [first, last), joining runs it overlaps or touches. */
  add(first: number, last: number): void {
    if (first >= last) return;
    let lo = first;
    let hi = last;
    // lowerBound(first - 1): the first run ending at or after `first` (so one that touches it).
    let run = this.runs.lowerBound(first - 1);
    while (run !== undefined && run.start <= last) {
      const next = run.next();
      lo = Math.min(lo, run.start);
      hi = Math.max(hi, run.end);
      this.runs.remove(run);
      run = next;
    }
    this.runs.insert(lo, hi, null);
  }

  /** Unmark every page of [first, last). */
  delete(first: number, last: number): void {
    if (first >= last) return;
    let run = this.runs.lowerBound(first);
    while (run !== undefined && run.start < last) {
      const next = run.next();
      if (run.start < first && run.end > last) {
        // A removal inside one run splits it in two.
        const end = run.end;
        this.runs.setRange(run, run.start, first);
        this.runs.insert(last, end, null);
        return;
      }
      if (run.start < first) this.runs.setRange(run, run.start, first);
      else if (run.end > last) this.runs.setRange(run, last, run.end);
      else this.runs.remove(run);
      run = next;
    }
  }

  /** The guarded runs overlapping [first, last), clipped to it, in order. */
  rangesIn(first: number, last: number): GuardRange[] {
    const out: GuardRange[] = [];
    for (const run of this.runs.segmentsIn(first, last)) {
      out.push({ first: Math.max(run.start, first), last: Math.min(run.end, last) });
    }
    return out;
  }

  /** Every guarded run, in order. */
  all(): GuardRange[] {
    return this.rangesIn(0, this.runs.max);
  }

  /** Move the markers of [first, last) by `delta` pages (mremap's move_page_tables). */
  move(first: number, last: number, delta: number): void {
    if (this.runs.size === 0 || delta === 0) return;
    const moving = this.rangesIn(first, last);
    this.delete(first, last);
    for (const r of moving) this.add(r.first + delta, r.last + delta);
  }

  /** Forget every marker (exit, execve). */
  clear(): void {
    this.runs.clear();
  }
}
