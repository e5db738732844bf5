/**
 * A segment of a {@link RangeMap}: the half-open range `[start, end)` and its
 * value. The segment object is also the tree node that stores it, so a handle
 * stays valid (and O(1) to use) until the segment is removed or merged away.
 *
 * Users read `start`/`end` and may change `value`; the bounds change only
 * through the map (`setRange`, `splitAt`, merges) because the map's order and
 * gap bookkeeping depend on them.
 */
export class Segment<V> {
  /** First point inside the segment. */
  readonly start: number;
  /** First point after the segment (exclusive bound). */
  readonly end: number;
  /** The caller's payload (e.g. a VMA's protection and backing object). */
  value: V;

  // Tree and list links. Everything below is owned by RangeMap; the fields are
  // public only so the map's helper modules can reach them without getters.
  /** @internal Treap left child. */
  left: Segment<V> | null = null;
  /** @internal Treap right child. */
  right: Segment<V> | null = null;
  /** @internal Treap parent. */
  parent: Segment<V> | null = null;
  /** @internal In-order predecessor (threaded list for O(1) neighbours). */
  prevSeg: Segment<V> | null = null;
  /** @internal In-order successor. */
  nextSeg: Segment<V> | null = null;
  /** @internal Random heap priority; -1 marks a segment no longer in a map. */
  priority = 0;
  /** @internal Free space between the predecessor's end (or the domain min) and `start`. */
  gap = 0;
  /** @internal Largest `gap` in this subtree: lets gap search skip whole subtrees. */
  maxGap = 0;

  /** @internal Segments are created by {@link RangeMap.insert} and splits only. */
  constructor(start: number, end: number, value: V) {
    this.start = start;
    this.end = end;
    this.value = value;
  }

  /** Number of points covered: `end - start`. */
  get length(): number {
    return this.end - this.start;
  }

  /** The next segment in address order (not necessarily adjacent), in O(1). */
  next(): Segment<V> | undefined {
    return this.nextSeg ?? undefined;
  }

  /** The previous segment in address order (not necessarily adjacent), in O(1). */
  prev(): Segment<V> | undefined {
    return this.prevSeg ?? undefined;
  }

  /** Whether the segment is still stored in its map (false once removed or merged away). */
  get live(): boolean {
    return this.priority >= 0;
  }
}

/** Mutable view of a segment's bounds, for the map's own modules only. */
interface MutableBounds {
  start: number;
  end: number;
}

/** @internal Change a segment's bounds; the caller fixes order and gap bookkeeping. */
export function setBounds<V>(seg: Segment<V>, start: number, end: number): void {
  const m = seg as unknown as MutableBounds;
  m.start = start;
  m.end = end;
}
