import { checkInvariants as expensiveCheck, invariant } from '@tskern/assert';
import { PrioritySource, propagate, replaceChild, siftDown, siftUp } from './treap';
import { fitHigh, fitLow, nextFitting, prevFitting } from './gap-search';
import { Segment, setBounds } from './segment';
import { verifyTree } from './verify';

/** Domain of a {@link RangeMap}: every segment lies in `[min, max)`, and so does every gap. */
export interface RangeMapOptions {
  /** Lowest point of the domain (inclusive). */
  min: number;
  /** End of the domain (exclusive), at most 2^53. */
  max: number;
}

/** Where and how {@link RangeMap.findGap} looks for free space. */
export interface FindGapOptions {
  /** The result lies at or above `lo`. */
  lo: number;
  /** The result plus the length lies at or below `hi`. */
  hi: number;
  /** Highest fitting start (true, like mmap's top-down layout) or lowest (false). */
  topDown: boolean;
  /** The start must be a multiple of `align` (a positive integer; default 1). */
  align?: number;
}

/** A free interval `[start, end)`. */
export interface Gap {
  start: number;
  end: number;
}

/** Value of the right part when a segment is split `offset` points into it. */
export type SplitValue<V> = (value: V, offset: number) => V;

/** Whether adjacent values `a` (covering `[aStart, aEnd)`) and `b` (starting at `aEnd`) may become one segment. */
export type CanMerge<V> = (a: V, b: V, aStart: number, aEnd: number) => boolean;

/** Value of a merged segment; by default the left segment's value survives. */
export type MergeValues<V> = (a: V, b: V) => V;

/** Per-segment visitor for {@link RangeMap.forEachIn}; returning `false` stops the walk. */
export type SegmentVisitor<V, C> = (seg: Segment<V>, ctx: C) => unknown;

let seeds = 0x2545f491;

/** Each map gets its own deterministic priority sequence. */
function nextSeed(): number {
  seeds = (seeds + 0x9e3779b9) >>> 0;
  return seeds;
}

/**
 * A map from non-overlapping half-open ranges to values, with O(log n)
 * lookup, insert, remove, split, merge and gap search: the data structure
 * behind a process's VMA list (Linux's maple tree, gVisor's segment set).
 *
 * Implemented as a treap ordered by start whose nodes are the segments
 * themselves, threaded with prev/next links, and augmented with the largest
 * gap in each subtree (see treap.ts for why a treap). A hint (the segment
 * used last) makes repeated and sequential lookups O(1), and lets an insert
 * right where findGap found room skip the descent.
 */
export class RangeMap<V> {
  /** Lowest point of the domain. */
  readonly min: number;
  /** End of the domain (exclusive). */
  readonly max: number;
  private root: Segment<V> | null = null;
  private head: Segment<V> | null = null;
  private tail: Segment<V> | null = null;
  private count = 0;
  /** The segment used last (lookup, insert, gap search); never a removed one. */
  private hint: Segment<V> | null = null;
  /** Heap priorities for new tree nodes. */
  private readonly priorities = new PrioritySource(nextSeed());
  /** Where the last gap search started (see startAtLeast); may be a removed segment. */
  private searchStart: Segment<V> | null = null;
  // Bound once so mutators can hand it to the checker without allocating.
  private readonly verify = (): void => this.checkInvariants();

  /** Create an empty map over the domain `[opts.min, opts.max)`. */
  constructor(opts: RangeMapOptions) {
    invariant(
      opts.min >= 0 && opts.min <= opts.max && opts.max <= 2 ** 53,
      'RangeMap: domain must satisfy 0 <= min <= max <= 2^53',
    );
    this.min = opts.min;
    this.max = opts.max;
  }

  /** Number of segments. */
  get size(): number {
    return this.count;
  }

  /** Whether the map holds no segment. */
  isEmpty(): boolean {
    return this.count === 0;
  }

  /** The lowest segment. */
  first(): Segment<V> | undefined {
    return this.head ?? undefined;
  }

  /** The highest segment. */
  last(): Segment<V> | undefined {
    return this.tail ?? undefined;
  }

  /** The segment containing `point`. */
  find(point: number): Segment<V> | undefined {
    const s = this.lowerBound(point);
    return s !== undefined && s.start <= point ? s : undefined;
  }

  /** The first segment with `end > point`: the one containing `point`, or the next one above it. */
  lowerBound(point: number): Segment<V> | undefined {
    const h = this.hint;
    if (h !== null) {
      // Repeated lookups hit the hint; sequential ones hit its successor.
      if (h.end > point) {
        const p = h.prevSeg;
        if (p === null || p.end <= point) return h;
      } else {
        const nx = h.nextSeg;
        if (nx === null) return undefined;
        if (nx.end > point) {
          this.hint = nx;
          return nx;
        }
      }
    }
    let n = this.root;
    let found: Segment<V> | null = null;
    while (n !== null) {
      // Ends are ordered like starts because segments do not overlap.
      if (n.end > point) {
        found = n;
        n = n.left;
      } else {
        n = n.right;
      }
    }
    if (found === null) return undefined;
    this.hint = found;
    return found;
  }

  /** The last segment with `start <= point` (the one containing it, or the one below it). */
  floor(point: number): Segment<V> | undefined {
    const s = this.lowerBound(point);
    if (s === undefined) return this.tail ?? undefined;
    if (s.start <= point) return s;
    return s.prevSeg ?? undefined;
  }

  /** The first segment with `start >= point`, or null. */
  private firstStartAtLeast(point: number): Segment<V> | null {
    let n = this.root;
    let found: Segment<V> | null = null;
    while (n !== null) {
      if (n.start >= point) {
        found = n;
        n = n.left;
      } else {
        n = n.right;
      }
    }
    return found;
  }

  /** Add `[start, end)` with `value`; throws InvariantError if it overlaps a segment or leaves the domain. */
  insert(start: number, end: number, value: V): Segment<V> {
    invariant(
      this.min <= start && start < end && end <= this.max,
      'RangeMap.insert: range is empty or outside the domain',
    );
    let prev: Segment<V> | null = null;
    let next: Segment<V> | null = null;
    const h = this.hint;
    // mmap inserts right where findGap (which sets the hint) found room, so
    // the neighbours are usually known without a descent.
    if (h !== null && h.end <= start && (h.nextSeg === null || end <= h.nextSeg.start)) {
      prev = h;
      next = h.nextSeg;
    } else if (h !== null && end <= h.start && (h.prevSeg === null || h.prevSeg.end <= start)) {
      prev = h.prevSeg;
      next = h;
    } else {
      let n = this.root;
      while (n !== null) {
        if (start < n.start) {
          next = n;
          n = n.left;
        } else {
          prev = n;
          n = n.right;
        }
      }
      invariant(
        (prev === null || prev.end <= start) && (next === null || end <= next.start),
        'RangeMap.insert: range overlaps an existing segment',
      );
    }
    const seg = new Segment(start, end, value);
    this.linkBetween(seg, prev, next);
    this.hint = seg;
    return seg;
  }

  /**
   * Attach a new leaf between list neighbours `prev` and `next`, in O(1)
   * before rebalancing: the free in-order slot is `prev`'s right link, or if
   * that is taken, the left link of `next` (then the leftmost node of
   * `prev`'s right subtree, so its left link is empty).
   */
  private linkBetween(seg: Segment<V>, prev: Segment<V> | null, next: Segment<V> | null): void {
    if (prev !== null && prev.right === null) this.link(seg, prev, false, prev, next);
    else this.link(seg, next, true, prev, next);
  }

  /** Attach a new leaf as `parent`'s left or right child, between list neighbours `prev` and `next`. */
  private link(
    seg: Segment<V>,
    parent: Segment<V> | null,
    asLeft: boolean,
    prev: Segment<V> | null,
    next: Segment<V> | null,
  ): void {
    seg.parent = parent;
    if (parent === null) this.root = seg;
    else if (asLeft) parent.left = seg;
    else parent.right = seg;
    seg.prevSeg = prev;
    seg.nextSeg = next;
    if (prev === null) this.head = seg;
    else prev.nextSeg = seg;
    if (next === null) this.tail = seg;
    else next.prevSeg = seg;
    seg.gap = seg.start - (prev === null ? this.min : prev.end);
    seg.maxGap = seg.gap;
    seg.priority = this.priorities.next();
    this.count++;
    siftUp(seg);
    if (seg.parent === null) this.root = seg;
    else propagate(seg.parent);
    if (next !== null) {
      // The new segment ate into the gap before its successor.
      next.gap = next.start - seg.end;
      propagate(next);
    }
    expensiveCheck(this.verify);
  }

  /** Remove `seg` from the map; the handle becomes dead (`live === false`). */
  remove(seg: Segment<V>): void {
    invariant(seg.priority >= 0, 'RangeMap.remove: segment is not in a map');
    const prev = seg.prevSeg;
    const next = seg.nextSeg;
    if (prev === null) this.head = next;
    else prev.nextSeg = next;
    if (next === null) this.tail = prev;
    else next.prevSeg = prev;
    if (this.hint === seg) this.hint = next ?? prev;

    // Rotate seg down to where it has at most one child, then splice it out.
    const top = siftDown(seg);
    if (top !== null && top.parent === null) this.root = top;
    const child = seg.left ?? seg.right;
    const p = seg.parent;
    if (child !== null) child.parent = p;
    if (p === null) this.root = child;
    else replaceChild(p, seg, child);
    propagate(p);
    if (next !== null) {
      // The gap before the successor now reaches back to seg's predecessor.
      next.gap = next.start - (prev === null ? this.min : prev.end);
      propagate(next);
    }

    seg.left = null;
    seg.right = null;
    seg.parent = null;
    seg.prevSeg = null;
    seg.nextSeg = null;
    seg.priority = -1;
    this.count--;
    expensiveCheck(this.verify);
  }

  /**
   * Remove every segment (handles become dead), in address order and in one
   * pass: `visit`, when given, sees each segment just before it dies, so a
   * teardown (exit, execve) releases what its values hold without a second
   * walk over tens of thousands of segments.
   */
  clear(visit?: (seg: Segment<V>) => void): void {
    let s = this.head;
    while (s !== null) {
      const nx = s.nextSeg;
      if (visit !== undefined) visit(s);
      s.left = s.right = s.parent = s.prevSeg = s.nextSeg = null;
      s.priority = -1;
      s = nx;
    }
    this.root = this.head = this.tail = this.hint = this.searchStart = null;
    this.count = 0;
  }

  /**
   * A copy of this map whose values are `mapValue(value)`, in O(n): the tree
   * is copied node for node (same shape, priorities and gap bookkeeping), so
   * nothing is searched or rebalanced. This is what fork needs to copy an
   * address space with tens of thousands of VMAs cheaply (dup_mmap).
   */
  clone<W>(mapValue: (value: V) => W): RangeMap<W> {
    const copy = new RangeMap<W>({ min: this.min, max: this.max });
    let prev: Segment<W> | null = null;
    const build = (node: Segment<V> | null, parent: Segment<W> | null): Segment<W> | null => {
      if (node === null) return null;
      const left = build(node.left, null);
      const c = new Segment<W>(node.start, node.end, mapValue(node.value));
      c.priority = node.priority;
      c.gap = node.gap;
      c.maxGap = node.maxGap;
      c.parent = parent;
      if (left !== null) {
        c.left = left;
        left.parent = c;
      }
      // In-order threading: `prev` is the last node emitted before this one.
      c.prevSeg = prev;
      if (prev !== null) prev.nextSeg = c;
      else copy.head = c;
      prev = c;
      c.right = build(node.right, c);
      return c;
    };
    copy.root = build(this.root, null);
    copy.tail = prev;
    copy.count = this.count;
    expensiveCheck(copy.verify);
    return copy;
  }

  /**
   * Move `seg`'s bounds to `[start, end)` in place (trimming a mapping's ends);
   * the new range must stay clear of its neighbours and inside the domain.
   */
  setRange(seg: Segment<V>, start: number, end: number): void {
    invariant(seg.priority >= 0, 'RangeMap.setRange: segment is not in a map');
    const prev = seg.prevSeg;
    const next = seg.nextSeg;
    const lo = prev === null ? this.min : prev.end;
    const hi = next === null ? this.max : next.start;
    invariant(
      lo <= start && start < end && end <= hi,
      'RangeMap.setRange: new bounds are empty, overlap a neighbour or leave the domain',
    );
    setBounds(seg, start, end);
    seg.gap = start - lo;
    propagate(seg);
    if (next !== null) {
      next.gap = next.start - end;
      propagate(next);
    }
    expensiveCheck(this.verify);
  }

  /**
   * Split `seg` at `point` (`start < point < end`): `seg` keeps `[start, point)`
   * and its value; the returned new segment holds `[point, end)` with value
   * `splitValue(seg.value, point - seg.start)`.
   */
  splitAt(seg: Segment<V>, point: number, splitValue: SplitValue<V>): Segment<V> {
    invariant(seg.priority >= 0, 'RangeMap.splitAt: segment is not in a map');
    invariant(
      seg.start < point && point < seg.end,
      'RangeMap.splitAt: point not strictly inside segment',
    );
    const right = new Segment(point, seg.end, splitValue(seg.value, point - seg.start));
    setBounds(seg, seg.start, point);
    const next = seg.nextSeg;
    this.linkBetween(right, seg, next);
    return right;
  }

  /**
   * Split segments at `start` and `end` so that every segment overlapping
   * `[start, end)` lies inside it; returns the first such segment.
   */
  isolate(start: number, end: number, splitValue: SplitValue<V>): Segment<V> | undefined {
    invariant(start < end, 'RangeMap.isolate: empty range');
    const straddlingEnd = this.lowerBound(end);
    if (straddlingEnd !== undefined && straddlingEnd.start < end) {
      this.splitAt(straddlingEnd, end, splitValue);
    }
    let s = this.lowerBound(start);
    if (s === undefined || s.start >= end) return undefined;
    if (s.start < start) s = this.splitAt(s, start, splitValue);
    return s;
  }

  /**
   * Merge `seg` with its successor when they touch (`seg.end === next.start`)
   * and `canMerge` agrees; `seg` survives with value `merge(a, b)` (default:
   * its own). Returns whether a merge happened.
   */
  mergeWithNext(seg: Segment<V>, canMerge: CanMerge<V>, merge?: MergeValues<V>): boolean {
    invariant(seg.priority >= 0, 'RangeMap.mergeWithNext: segment is not in a map');
    const n = seg.nextSeg;
    if (n === null || n.start !== seg.end || !canMerge(seg.value, n.value, seg.start, seg.end)) {
      return false;
    }
    const value = merge === undefined ? seg.value : merge(seg.value, n.value);
    // Grow first so removing n recomputes the following gap from the new end.
    setBounds(seg, seg.start, n.end);
    seg.value = value;
    this.remove(n);
    return true;
  }

  /**
   * Merge `seg` with its predecessor and successor where allowed; returns the
   * surviving segment (the predecessor if it absorbed `seg`).
   */
  mergeAround(seg: Segment<V>, canMerge: CanMerge<V>, merge?: MergeValues<V>): Segment<V> {
    let s = seg;
    const p = s.prevSeg;
    if (p !== null && this.mergeWithNext(p, canMerge, merge)) s = p;
    this.mergeWithNext(s, canMerge, merge);
    return s;
  }

  /**
   * Start of a free, `align`-aligned interval of `length` points inside
   * `[lo, hi)` and the domain: the highest such start when `topDown`, else the
   * lowest. O(log n) per candidate gap; candidates that are long enough but
   * cannot hold an aligned interval are skipped one by one.
   */
  findGap(length: number, opts: FindGapOptions): number | undefined {
    const align = opts.align ?? 1;
    invariant(
      length > 0 && align >= 1 && Number.isInteger(align),
      'RangeMap.findGap: bad length or align',
    );
    const lo = opts.lo > this.min ? opts.lo : this.min;
    const hi = opts.hi < this.max ? opts.hi : this.max;
    if (!(hi - lo >= length)) return undefined;
    const found = opts.topDown
      ? this.searchDown(length, lo, hi, align)
      : this.searchUp(length, lo, hi, align);
    return found < 0 ? undefined : found;
  }

  /** Lowest fit: walk gaps upward from the one containing `lo`. */
  private searchUp(length: number, lo: number, hi: number, align: number): number {
    let n = this.startAtLeast(lo);
    while (n !== null) {
      const gapStart = n.prevSeg === null ? this.min : n.prevSeg.end;
      if (gapStart + length > hi) return -1;
      if (n.gap >= length) {
        const a = fitLow(gapStart, n.start, lo, hi, length, align);
        if (a >= 0) {
          this.hint = n;
          return a;
        }
      }
      n = nextFitting(n, length);
    }
    const tailStart = this.tail === null ? this.min : this.tail.end;
    const a = fitLow(tailStart, this.max, lo, hi, length, align);
    if (a >= 0 && this.tail !== null) this.hint = this.tail;
    return a;
  }

  /** Highest fit: the gap after the last segment, then gaps downward from `hi`. */
  private searchDown(length: number, lo: number, hi: number, align: number): number {
    const tail = this.tail;
    const a = fitHigh(tail === null ? this.min : tail.end, this.max, lo, hi, length, align);
    if (a >= 0) {
      if (tail !== null) this.hint = tail;
      return a;
    }
    let n = this.startAtLeast(hi) ?? tail;
    while (n !== null) {
      if (n.start < lo + length) return -1;
      if (n.gap >= length) {
        const gapStart = n.prevSeg === null ? this.min : n.prevSeg.end;
        const b = fitHigh(gapStart, n.start, lo, hi, length, align);
        if (b >= 0) {
          // The caller will most likely insert here next: make that O(1).
          this.hint = n;
          return b;
        }
      }
      n = prevFitting(n, length);
    }
    return -1;
  }

  /**
   * {@link firstStartAtLeast}, remembering the answer: mmap searches from
   * the same bound (the mmap base) again and again, and checking that the
   * remembered segment still answers the question is O(1).
   */
  private startAtLeast(point: number): Segment<V> | null {
    const c = this.searchStart;
    if (
      c !== null &&
      c.priority >= 0 &&
      c.start >= point &&
      (c.prevSeg === null || c.prevSeg.start < point)
    ) {
      return c;
    }
    const found = this.firstStartAtLeast(point);
    this.searchStart = found;
    return found;
  }

  /** Whether `[start, end)` lies inside the domain and overlaps no segment. */
  isFree(start: number, end: number): boolean {
    if (!(this.min <= start && start < end && end <= this.max)) return false;
    const s = this.lowerBound(start);
    return s === undefined || s.start >= end;
  }

  /** The maximal free interval around `point`, or undefined if `point` is inside a segment or outside the domain. */
  gapAt(point: number): Gap | undefined {
    if (!(this.min <= point && point < this.max)) return undefined;
    const s = this.lowerBound(point);
    if (s === undefined) {
      return { start: this.tail === null ? this.min : this.tail.end, end: this.max };
    }
    if (s.start <= point) return undefined;
    return { start: s.prevSeg === null ? this.min : s.prevSeg.end, end: s.start };
  }

  /**
   * Call `fn(seg, ctx)` for each segment overlapping `[start, end)` in order,
   * until it returns `false`. `fn` may remove or resize the segment it is
   * given, but no other. Pass state through `ctx` so `fn` can be a static
   * function rather than a per-call closure.
   */
  forEachIn<C>(start: number, end: number, fn: SegmentVisitor<V, C>, ctx: C): void {
    let s = start < end ? (this.lowerBound(start) ?? null) : null;
    while (s !== null && s.start < end) {
      const nx = s.nextSeg;
      if (fn(s, ctx) === false) return;
      s = nx;
    }
  }

  /**
   * Segments overlapping `[start, end)` in order. The consumer may remove or
   * resize the segment just yielded, but no other, while iterating.
   */
  *segmentsIn(start: number, end: number): Generator<Segment<V>, void, undefined> {
    let s = start < end ? (this.lowerBound(start) ?? null) : null;
    while (s !== null && s.start < end) {
      const nx = s.nextSeg;
      yield s;
      s = nx;
    }
  }

  /** All segments in order. */
  *[Symbol.iterator](): Generator<Segment<V>, void, undefined> {
    let s = this.head;
    while (s !== null) {
      const nx = s.nextSeg;
      yield s;
      s = nx;
    }
  }

  /** Verify order, non-overlap, balance, links and gap bookkeeping; throws InvariantError. */
  checkInvariants(): void {
    verifyTree({
      root: this.root,
      head: this.head,
      tail: this.tail,
      count: this.count,
      min: this.min,
      max: this.max,
      hint: this.hint,
    });
  }
}
