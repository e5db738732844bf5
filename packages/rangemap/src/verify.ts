/**
 * Whole-structure verification of a range map: order, no overlap, treap
 * heap order, parent links, the threaded neighbour list and gap bookkeeping.
 * O(n); run through `checkInvariants` so only tests and fuzzers pay for it.
 */
import { invariant } from '@tskern/assert';
import type { Segment } from './segment';

/** The parts of a range map that verification looks at. */
export interface TreeShape<V> {
  readonly root: Segment<V> | null;
  readonly head: Segment<V> | null;
  readonly tail: Segment<V> | null;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly hint: Segment<V> | null;
}

/** In-order walk state: the list node we expect to meet next. */
interface Cursor<V> {
  expected: Segment<V> | null;
  previous: Segment<V> | null;
  visited: number;
}

function verifyNode<V>(
  n: Segment<V>,
  parent: Segment<V> | null,
  t: TreeShape<V>,
  c: Cursor<V>,
): void {
  invariant(n.parent === parent, 'RangeMap: broken parent link');
  if (n.left !== null) verifyNode(n.left, n, t, c);

  invariant(n === c.expected, 'RangeMap: neighbour list disagrees with tree order');
  invariant(n.prevSeg === c.previous, 'RangeMap: broken prev link');
  invariant(n.priority >= 0, 'RangeMap: detached segment still in the tree');
  invariant(
    t.min <= n.start && n.start < n.end && n.end <= t.max,
    'RangeMap: segment outside domain or empty',
  );
  const prevEnd = c.previous === null ? t.min : c.previous.end;
  invariant(prevEnd <= n.start, 'RangeMap: segments overlap or are out of order');
  invariant(n.gap === n.start - prevEnd, 'RangeMap: stale gap');
  c.previous = n;
  c.expected = n.nextSeg;
  c.visited++;

  if (n.right !== null) verifyNode(n.right, n, t, c);

  // Balance of a treap is its heap order on random priorities.
  invariant(parent === null || parent.priority >= n.priority, 'RangeMap: heap order broken');
  const lm = n.left === null ? -1 : n.left.maxGap;
  const rm = n.right === null ? -1 : n.right.maxGap;
  invariant(n.maxGap === Math.max(n.gap, lm, rm), 'RangeMap: stale max gap');
}

/** Throw InvariantError unless the map's structure is fully consistent. */
export function verifyTree<V>(t: TreeShape<V>): void {
  const c: Cursor<V> = { expected: t.head, previous: null, visited: 0 };
  if (t.root !== null) verifyNode(t.root, null, t, c);
  invariant(c.expected === null, 'RangeMap: neighbour list longer than the tree');
  invariant(c.previous === t.tail, 'RangeMap: tail is not the last segment');
  invariant(c.visited === t.count, 'RangeMap: size disagrees with the tree');
  invariant(
    t.hint === null || t.hint.priority >= 0,
    'RangeMap: lookup hint points at a removed segment',
  );
}
