/**
 * Gap search over the max-gap augmented tree. A node's gap is the free space
 * just before it; `maxGap` lets a walk skip every subtree without a gap of the
 * wanted length, so moving to the next large-enough gap is O(log n) (the same
 * idea as Linux's `unmapped_area()` over the VMA tree).
 */
import type { Segment } from './segment';

/** The leftmost node of `t` whose own gap is at least `length`; `t.maxGap >= length` required. */
function leftmostFitting<V>(t: Segment<V>, length: number): Segment<V> {
  let n = t;
  while (true) {
    const l = n.left;
    if (l !== null && l.maxGap >= length) n = l;
    else if (n.gap >= length) return n;
    else n = n.right!;
  }
}

/** The rightmost node of `t` whose own gap is at least `length`; `t.maxGap >= length` required. */
function rightmostFitting<V>(t: Segment<V>, length: number): Segment<V> {
  let n = t;
  while (true) {
    const r = n.right;
    if (r !== null && r.maxGap >= length) n = r;
    else if (n.gap >= length) return n;
    else n = n.left!;
  }
}

/** The first node after `n` in order whose gap is at least `length`, or null. */
export function nextFitting<V>(n: Segment<V>, length: number): Segment<V> | null {
  const r = n.right;
  if (r !== null && r.maxGap >= length) return leftmostFitting(r, length);
  let child = n;
  let p = n.parent;
  while (p !== null) {
    if (p.left === child) {
      if (p.gap >= length) return p;
      const pr = p.right;
      if (pr !== null && pr.maxGap >= length) return leftmostFitting(pr, length);
    }
    child = p;
    p = p.parent;
  }
  return null;
}

/** The last node before `n` in order whose gap is at least `length`, or null. */
export function prevFitting<V>(n: Segment<V>, length: number): Segment<V> | null {
  const l = n.left;
  if (l !== null && l.maxGap >= length) return rightmostFitting(l, length);
  let child = n;
  let p = n.parent;
  while (p !== null) {
    if (p.right === child) {
      if (p.gap >= length) return p;
      const pl = p.left;
      if (pl !== null && pl.maxGap >= length) return rightmostFitting(pl, length);
    }
    child = p;
    p = p.parent;
  }
  return null;
}

/**
 * Lowest `align`-aligned start of `length` points inside free space
 * `[gapStart, gapEnd)` clipped to `[lo, hi)`, or -1.
 */
export function fitLow(
  gapStart: number,
  gapEnd: number,
  lo: number,
  hi: number,
  length: number,
  align: number,
): number {
  let s = gapStart > lo ? gapStart : lo;
  const e = gapEnd < hi ? gapEnd : hi;
  if (align > 1) {
    // `%` is exact on doubles, so this stays right up to 2^53.
    const r = s % align;
    if (r !== 0) s += align - r;
  }
  return s + length <= e ? s : -1;
}

/**
 * Highest `align`-aligned start of `length` points inside free space
 * `[gapStart, gapEnd)` clipped to `[lo, hi)`, or -1.
 */
export function fitHigh(
  gapStart: number,
  gapEnd: number,
  lo: number,
  hi: number,
  length: number,
  align: number,
): number {
  const s = gapStart > lo ? gapStart : lo;
  const e = gapEnd < hi ? gapEnd : hi;
  let a = e - length;
  if (a < s) return -1;
  if (align > 1) a -= a % align;
  return a >= s ? a : -1;
}
