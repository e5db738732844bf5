/**
 * Treap balancing for the segment tree: nodes are ordered by start (a search
 * tree) and by a random priority (a max-heap), which keeps the expected depth
 * O(log n) whatever the insertion order.
 *
 * We use a treap rather than AVL or red-black because of mmap's access
 * pattern: a new mapping is inserted next to a known neighbour and is often
 * unmapped soon after. A treap fixes up an insert or remove with an expected
 * O(1) rotations and no heights to maintain, so the only upward walk is the
 * max-gap update, which stops at the first ancestor whose max gap does not
 * change. An AVL tree re-walks the whole path when heights change (a full 17
 * levels per insert and per remove with 60,000 mappings in a complete tree).
 */
import type { Segment } from './segment';

/** Recompute a node's max gap from its own gap and its children's. */
export function recompute<V>(n: Segment<V>): void {
  let m = n.gap;
  const l = n.left;
  const r = n.right;
  if (l !== null && l.maxGap > m) m = l.maxGap;
  if (r !== null && r.maxGap > m) m = r.maxGap;
  n.maxGap = m;
}

/**
 * Recompute max gaps from `dirty` (the only node whose own gap or children
 * changed) upward, stopping once a value comes out unchanged: nothing above
 * can change then.
 */
export function propagate<V>(dirty: Segment<V> | null): void {
  let n = dirty;
  while (n !== null) {
    const old = n.maxGap;
    recompute(n);
    if (n.maxGap === old) return;
    n = n.parent;
  }
}

/** Point `parent`'s link that referred to `from` at `to` (no-op for the root). */
export function replaceChild<V>(
  parent: Segment<V> | null,
  from: Segment<V>,
  to: Segment<V> | null,
): void {
  if (parent === null) return;
  if (parent.left === from) parent.left = to;
  else parent.right = to;
}

/** Rotate `x` above its parent, keeping in-order and max gaps of both nodes right. */
export function rotateUp<V>(x: Segment<V>): void {
  const p = x.parent!;
  const g = p.parent;
  if (p.left === x) {
    const b = x.right;
    p.left = b;
    if (b !== null) b.parent = p;
    x.right = p;
  } else {
    const b = x.left;
    p.right = b;
    if (b !== null) b.parent = p;
    x.left = p;
  }
  p.parent = x;
  x.parent = g;
  replaceChild(g, p, x);
  recompute(p);
  recompute(x);
}

/** Rotate a fresh leaf up until its parent has a higher priority (expected < 2 rotations). */
export function siftUp<V>(n: Segment<V>): void {
  let p = n.parent;
  while (p !== null && p.priority < n.priority) {
    rotateUp(n);
    p = n.parent;
  }
}

/**
 * Rotate `n` down until it has at most one child, so it can be spliced out.
 * Returns the child that rose to the top of `n`'s old position the first
 * time (the new subtree root there), or null if no rotation was needed.
 */
export function siftDown<V>(n: Segment<V>): Segment<V> | null {
  let top: Segment<V> | null = null;
  while (n.left !== null && n.right !== null) {
    const c = n.left.priority > n.right.priority ? n.left : n.right;
    rotateUp(c);
    if (top === null) top = c;
  }
  return top;
}

/** A small, fast PRNG (xorshift32) for priorities; deterministic per seed. */
export class PrioritySource {
  private state: number;

  /** Start the sequence at `seed` (any non-zero 32-bit value). */
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Next priority: a uniformly distributed non-negative 32-bit integer. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
}
