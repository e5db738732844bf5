import { invariant } from '@tskern/assert';
import { NO_FRAME, storedFrame, type FrameId, type NoFrame } from '@tskern/pagealloc';

/** log2 of the fan-out: each radix node has 512 slots, like an x86-64 page table. */
const SHIFT = 9;
/** Slots per node. */
const FANOUT = 1 << SHIFT;
const MASK = FANOUT - 1;
/** Leaves carry their resident count in one extra slot, so emptiness is O(1). */
const COUNT = FANOUT;
/** Pages covered by a subtree whose root is `k` levels above the leaves: 512^(k+1). */
const SPAN = [FANOUT, FANOUT ** 2, FANOUT ** 3, FANOUT ** 4, FANOUT ** 5, FANOUT ** 6];
/** Six levels cover 2^54 pages, more than the 2^51 pages of a 2^63-byte file (tmpfs MAX_LFS_FILESIZE). */
const MAX_HEIGHT = SPAN.length;

/** Frame ids for 512 consecutive pages (-1 = hole), then the resident count. */
type Leaf = Int32Array;
/** 512 children, each a node one level down or null. */
type Inner = (Leaf | Inner | null)[];
type RadixNode = Leaf | Inner;

/** Something that takes frame references back (a FrameAllocator). */
export interface FrameSink {
  decRef(frame: FrameId): void;
}

/**
 * Emptied leaves (every slot -1 again, count 0) kept for reuse: a small file
 * created and deleted over and over then allocates no 2 KiB leaf each time.
 */
const spareLeaves: Leaf[] = [];
const MAX_SPARE_LEAVES = 64;

function newLeaf(): Leaf {
  const spare = spareLeaves.pop();
  if (spare !== undefined) return spare;
  const leaf = new Int32Array(FANOUT + 1);
  leaf.fill(-1, 0, FANOUT);
  return leaf;
}

function newInner(): Inner {
  return new Array<Leaf | Inner | null>(FANOUT).fill(null);
}

/** Never-written stand-in for "no cached leaf", so lookups need no null check. */
const NO_LEAF = newLeaf();

/**
 * A file's page index -> frame id: which frame holds each page of a file's
 * page cache (Linux's `address_space.i_pages` xarray, looked up by the page's
 * `index` in the file). It translates no addresses; the address translation
 * of a process is mman's `PageTable`.
 *
 * A radix tree of 512-way nodes whose height grows with the highest resident
 * page. Memory is
 * proportional to the resident pages, not to the file size, so a 1 TiB
 * sparse file costs nothing until pages are written.
 *
 * A one-leaf cache makes sequential access O(1) per page.
 */
export class FilePageIndex {
  private root: RadixNode | null = null;
  /** Levels in the tree (0 while empty); it covers pages `[0, 512^height)`. */
  private height = 0;
  private resident = 0;
  private cacheBase = Number.NEGATIVE_INFINITY;
  private cacheLeaf: Leaf = NO_LEAF;

  /** Number of pages that have a frame. */
  get residentCount(): number {
    return this.resident;
  }

  /** The frame for `page` (a non-negative integer), or -1 for a hole. */
  get(page: number): FrameId | NoFrame {
    const d = page - this.cacheBase;
    if (d >= 0 && d < FANOUT) return storedFrame(this.cacheLeaf, d);
    const leaf = this.findLeaf(page);
    if (leaf === null) return NO_FRAME;
    this.cacheBase = page - (page & MASK);
    this.cacheLeaf = leaf;
    return storedFrame(leaf, page & MASK);
  }

  private findLeaf(page: number): Leaf | null {
    const h = this.height;
    if (h === 0 || page >= SPAN[h - 1]!) return null;
    let node = this.root!;
    for (let level = h - 1; level > 0; level--) {
      // Division by a power of two is exact; `& MASK` takes the slot from
      // the integer part, which is right for any page below 2^53.
      const child = (node as Inner)[(page / SPAN[level - 1]!) & MASK];
      if (!child) return null;
      node = child;
    }
    return node as Leaf;
  }

  /** Give hole `page` the frame `frame` (pages become holes again only through dropRange). */
  put(page: number, frame: FrameId): void {
    const leaf = this.leafFor(page);
    const i = page & MASK;
    invariant(
      frame >= 0 && leaf[i] === -1,
      'FilePageIndex.put: page already has a frame, or bad frame',
    );
    leaf[i] = frame;
    leaf[COUNT] = leaf[COUNT]! + 1;
    this.resident++;
  }

  /** The leaf holding `page`, growing the tree and creating nodes as needed. */
  private leafFor(page: number): Leaf {
    while (this.height === 0 || page >= SPAN[this.height - 1]!) {
      invariant(this.height < MAX_HEIGHT, 'FilePageIndex: page index too large');
      if (this.root !== null) {
        const top = newInner();
        top[0] = this.root;
        this.root = top;
      }
      this.height++;
    }
    if (this.root === null) this.root = this.height === 1 ? newLeaf() : newInner();
    let node = this.root;
    for (let level = this.height - 1; level > 0; level--) {
      const inner = node as Inner;
      const slot = (page / SPAN[level - 1]!) & MASK;
      let child = inner[slot];
      if (!child) {
        child = level === 1 ? newLeaf() : newInner();
        inner[slot] = child;
      }
      node = child;
    }
    return node as Leaf;
  }

  /**
   * Make every page in `[from, to)` a hole, handing each frame to
   * `sink.decRef`. Visits only resident parts of the tree and frees nodes
   * that become empty. Returns the number of frames dropped.
   */
  dropRange(from: number, to: number, sink: FrameSink): number {
    if (this.root === null || from >= to) return 0;
    // Cached leaves may be freed below.
    this.cacheBase = Number.NEGATIVE_INFINITY;
    this.cacheLeaf = NO_LEAF;
    const before = this.resident;
    if (this.dropIn(this.root, this.height - 1, 0, from, to, sink)) {
      this.root = null;
      this.height = 0;
    }
    this.shrinkHeight();
    return before - this.resident;
  }

  /** Drop `[from, to)` inside `node` (covering pages from `base`); true if `node` is now empty. */
  private dropIn(
    node: RadixNode,
    level: number,
    base: number,
    from: number,
    to: number,
    sink: FrameSink,
  ): boolean {
    if (level === 0) {
      const leaf = node as Leaf;
      const lo = from > base ? from - base : 0;
      const hi = to - base < FANOUT ? to - base : FANOUT;
      let dropped = 0;
      for (let i = lo; i < hi; i++) {
        const f = storedFrame(leaf, i);
        if (f !== NO_FRAME) {
          leaf[i] = -1;
          dropped++;
          sink.decRef(f);
        }
      }
      leaf[COUNT] = leaf[COUNT]! - dropped;
      this.resident -= dropped;
      if (leaf[COUNT] !== 0) return false;
      if (spareLeaves.length < MAX_SPARE_LEAVES && leaf !== NO_LEAF) spareLeaves.push(leaf);
      return true;
    }
    const inner = node as Inner;
    const span = SPAN[level - 1]!;
    const lo = from > base ? Math.floor((from - base) / span) : 0;
    const hi = Math.min(Math.ceil((to - base) / span), FANOUT);
    let freedChild = false;
    for (let i = lo; i < hi; i++) {
      const child = inner[i];
      if (child && this.dropIn(child, level - 1, base + i * span, from, to, sink)) {
        inner[i] = null;
        freedChild = true;
      }
    }
    // Inner nodes never sit empty, so one that lost no child is not empty.
    return freedChild && inner.every((c) => c === null);
  }

  /** Drop top levels whose only child is slot 0 (after a truncate). */
  private shrinkHeight(): void {
    while (this.height > 1) {
      const top = this.root as Inner;
      for (let i = 1; i < FANOUT; i++) if (top[i] !== null) return;
      this.root = top[0] ?? null;
      this.height--;
      if (this.root === null) {
        this.height = 0;
        return;
      }
    }
  }

  /** Call `fn(page, frame)` for each resident page in increasing order. */
  forEach(fn: (page: number, frame: FrameId) => void): void {
    if (this.root !== null) this.walk(this.root, this.height - 1, 0, fn);
  }

  private walk(
    node: RadixNode,
    level: number,
    base: number,
    fn: (page: number, frame: FrameId) => void,
  ): void {
    if (level === 0) {
      const leaf = node as Leaf;
      for (let i = 0; i < FANOUT; i++) {
        const f = storedFrame(leaf, i);
        if (f !== NO_FRAME) fn(base + i, f);
      }
      return;
    }
    const span = SPAN[level - 1]!;
    const inner = node as Inner;
    for (let i = 0; i < FANOUT; i++) {
      const child = inner[i];
      if (child) this.walk(child, level - 1, base + i * span, fn);
    }
  }

  /** The first page index the tree cannot hold without growing (0 when empty). */
  get coveredPages(): number {
    return this.height === 0 ? 0 : SPAN[this.height - 1]!;
  }

  /** Verify node counts, the resident total and that no node is empty. */
  checkInvariants(): void {
    let total = 0;
    const visit = (node: RadixNode, level: number): void => {
      if (level === 0) {
        const leaf = node as Leaf;
        let n = 0;
        for (let i = 0; i < FANOUT; i++) if (leaf[i]! >= 0) n++;
        invariant(leaf[COUNT] === n, 'FilePageIndex: stale leaf count');
        invariant(n > 0, 'FilePageIndex: empty leaf kept');
        total += n;
        return;
      }
      const inner = node as Inner;
      invariant(inner.length === FANOUT, 'FilePageIndex: inner node of wrong size');
      invariant(
        inner.some((c) => c !== null),
        'FilePageIndex: empty inner node kept',
      );
      for (const c of inner) if (c !== null) visit(c, level - 1);
    };
    invariant((this.root === null) === (this.height === 0), 'FilePageIndex: root and height disagree');
    if (this.root !== null) visit(this.root, this.height - 1);
    invariant(total === this.resident, 'FilePageIndex: resident count disagrees with the leaves');
  }
}
