import { InvariantError } from '@tskern/assert';
import { describe, expect, it } from 'vitest';
import { RangeMap } from './rangemap';
import type { Segment } from './segment';

/** Values that remember where they came from, so splits and merges are checkable. */
interface Tagged {
  tag: string;
  offset: number;
}

const splitTagged = (v: Tagged, off: number): Tagged => ({ tag: v.tag, offset: v.offset + off });
const contiguous = (a: Tagged, b: Tagged, aStart: number, aEnd: number): boolean =>
  a.tag === b.tag && b.offset === a.offset + (aEnd - aStart);

function ranges<V>(m: RangeMap<V>): [number, number][] {
  return [...m].map((s) => [s.start, s.end]);
}

function mapOf(...rs: [number, number][]): RangeMap<Tagged> {
  const m = new RangeMap<Tagged>({ min: 0, max: 1000 });
  for (const [s, e] of rs) m.insert(s, e, { tag: 'x', offset: s });
  return m;
}

describe('RangeMap basics', () => {
  it('starts empty', () => {
    const m = new RangeMap<number>({ min: 0, max: 100 });
    expect(m.size).toBe(0);
    expect(m.isEmpty()).toBe(true);
    expect(m.first()).toBeUndefined();
    expect(m.last()).toBeUndefined();
    expect(m.find(5)).toBeUndefined();
    expect(m.lowerBound(0)).toBeUndefined();
    expect(m.findGap(100, { lo: 0, hi: 100, topDown: true })).toBe(0);
    expect(m.findGap(101, { lo: 0, hi: 200, topDown: true })).toBeUndefined();
  });

  it('rejects a bad domain', () => {
    expect(() => new RangeMap({ min: -1, max: 10 })).toThrow(InvariantError);
    expect(() => new RangeMap({ min: 10, max: 5 })).toThrow(InvariantError);
    expect(() => new RangeMap({ min: 0, max: 2 ** 54 })).toThrow(InvariantError);
  });

  it('inserts in any order and keeps segments sorted with O(1) neighbours', () => {
    const m = mapOf([50, 60], [10, 20], [30, 40], [70, 80]);
    expect(ranges(m)).toEqual([
      [10, 20],
      [30, 40],
      [50, 60],
      [70, 80],
    ]);
    expect(m.size).toBe(4);
    expect(m.first()!.start).toBe(10);
    expect(m.last()!.start).toBe(70);
    const s = m.find(35)!;
    expect(s.prev()!.start).toBe(10);
    expect(s.next()!.start).toBe(50);
    expect(m.first()!.prev()).toBeUndefined();
    expect(m.last()!.next()).toBeUndefined();
    expect(s.length).toBe(10);
  });

  it('rejects overlapping, empty and out-of-domain inserts without changing the map', () => {
    const m = mapOf([10, 20], [30, 40]);
    expect(() => m.insert(15, 25, { tag: 'y', offset: 0 })).toThrow(InvariantError);
    expect(() => m.insert(5, 11, { tag: 'y', offset: 0 })).toThrow(InvariantError);
    expect(() => m.insert(10, 20, { tag: 'y', offset: 0 })).toThrow(InvariantError);
    expect(() => m.insert(0, 1000, { tag: 'y', offset: 0 })).toThrow(InvariantError);
    expect(() => m.insert(25, 25, { tag: 'y', offset: 0 })).toThrow(InvariantError);
    expect(() => m.insert(990, 1001, { tag: 'y', offset: 0 })).toThrow(InvariantError);
    m.insert(20, 30, { tag: 'y', offset: 0 });
    expect(ranges(m)).toEqual([
      [10, 20],
      [20, 30],
      [30, 40],
    ]);
  });

  it('find and lowerBound respect half-open bounds', () => {
    const m = mapOf([10, 20], [30, 40]);
    expect(m.find(9)).toBeUndefined();
    expect(m.find(10)!.start).toBe(10);
    expect(m.find(19)!.start).toBe(10);
    expect(m.find(20)).toBeUndefined();
    expect(m.lowerBound(20)!.start).toBe(30);
    expect(m.lowerBound(0)!.start).toBe(10);
    expect(m.lowerBound(39)!.start).toBe(30);
    expect(m.lowerBound(40)).toBeUndefined();
    // Exercise the hint paths: same, next, previous, far away.
    expect(m.find(31)!.start).toBe(30);
    expect(m.find(11)!.start).toBe(10);
    expect(m.find(32)!.start).toBe(30);
    expect(m.lowerBound(45)).toBeUndefined();
    expect(m.find(12)!.start).toBe(10);
  });

  it('floor returns the segment at or below a point', () => {
    const m = mapOf([10, 20], [30, 40]);
    expect(m.floor(5)).toBeUndefined();
    expect(m.floor(10)!.start).toBe(10);
    expect(m.floor(25)!.start).toBe(10);
    expect(m.floor(35)!.start).toBe(30);
    expect(m.floor(500)!.start).toBe(30);
  });

  it('removes leaves, inner nodes and the root, and kills the handle', () => {
    const m = new RangeMap<number>({ min: 0, max: 10_000 });
    const segs: Segment<number>[] = [];
    for (let i = 0; i < 100; i++) segs.push(m.insert(i * 10, i * 10 + 5, i));
    for (let i = 0; i < 100; i += 3) m.remove(segs[i]!);
    expect(m.size).toBe(66);
    expect(segs[0]!.live).toBe(false);
    expect(segs[1]!.live).toBe(true);
    expect(() => m.remove(segs[0]!)).toThrow(InvariantError);
    for (const s of [...m]) m.remove(s);
    expect(m.isEmpty()).toBe(true);
    expect(m.findGap(10_000, { lo: 0, hi: 10_000, topDown: false })).toBe(0);
  });

  it('clear empties the map and kills handles', () => {
    const m = mapOf([10, 20], [30, 40]);
    const s = m.find(10)!;
    m.clear();
    expect(m.size).toBe(0);
    expect(s.live).toBe(false);
    expect(m.find(10)).toBeUndefined();
    m.insert(10, 20, { tag: 'z', offset: 0 });
    expect(m.size).toBe(1);
  });

  it('clear visits every segment in address order, each still live, in the same pass', () => {
    const m = mapOf([30, 40], [10, 20], [50, 60]);
    const seen: string[] = [];
    m.clear((seg) => seen.push(`${seg.start}-${seg.end}${seg.live ? '' : ' dead'}`));
    expect(seen).toEqual(['10-20', '30-40', '50-60']);
    expect(m.size).toBe(0);
  });
});

describe('RangeMap reshaping', () => {
  it('setRange trims in place and keeps gaps right', () => {
    const m = mapOf([10, 20], [30, 40]);
    const s = m.find(30)!;
    m.setRange(s, 25, 35);
    expect(ranges(m)).toEqual([
      [10, 20],
      [25, 35],
    ]);
    expect(m.findGap(5, { lo: 0, hi: 1000, topDown: false })).toBe(0);
    expect(m.findGap(5, { lo: 15, hi: 1000, topDown: false })).toBe(20);
    expect(() => m.setRange(s, 19, 30)).toThrow(InvariantError);
    expect(() => m.setRange(s, 30, 30)).toThrow(InvariantError);
    m.setRange(s, 20, 1000);
    expect(m.findGap(1, { lo: 0, hi: 1000, topDown: true })).toBe(9);
  });

  it('splitAt keeps the left value and derives the right one', () => {
    const m = mapOf([10, 20]);
    const left = m.find(10)!;
    const right = m.splitAt(left, 14, splitTagged);
    expect([left.start, left.end, right.start, right.end]).toEqual([10, 14, 14, 20]);
    expect(left.value).toEqual({ tag: 'x', offset: 10 });
    expect(right.value).toEqual({ tag: 'x', offset: 14 });
    expect(left.next()).toBe(right);
    expect(() => m.splitAt(left, 10, splitTagged)).toThrow(InvariantError);
    expect(() => m.splitAt(left, 14, splitTagged)).toThrow(InvariantError);
  });

  it('splits repeatedly at every point (deep successor slots)', () => {
    const m = new RangeMap<Tagged>({ min: 0, max: 1000 });
    let s = m.insert(0, 500, { tag: 'a', offset: 0 });
    for (let p = 1; p < 500; p++) s = m.splitAt(s, p, splitTagged);
    expect(m.size).toBe(500);
    let i = 0;
    for (const seg of m) {
      expect([seg.start, seg.end, seg.value.offset]).toEqual([i, i + 1, i]);
      i++;
    }
    // And split from the front, where the successor slot is deep in a subtree.
    const m2 = new RangeMap<Tagged>({ min: 0, max: 1000 });
    m2.insert(0, 400, { tag: 'a', offset: 0 });
    for (let p = 399; p > 0; p--) m2.splitAt(m2.find(0)!, p, splitTagged);
    expect(m2.size).toBe(400);
  });

  it('isolate splits at both edges and returns the first inner segment', () => {
    const m = mapOf([10, 20], [20, 30], [40, 50]);
    const first = m.isolate(15, 45, splitTagged)!;
    expect([first.start, first.end]).toEqual([15, 20]);
    expect(ranges(m)).toEqual([
      [10, 15],
      [15, 20],
      [20, 30],
      [40, 45],
      [45, 50],
    ]);
    expect(m.find(45)!.value.offset).toBe(45);
    expect(m.isolate(31, 39, splitTagged)).toBeUndefined();
    expect(m.isolate(60, 70, splitTagged)).toBeUndefined();
    // Both edges inside one segment.
    const m2 = mapOf([0, 100]);
    const mid = m2.isolate(40, 60, splitTagged)!;
    expect([mid.start, mid.end, mid.value.offset]).toEqual([40, 60, 40]);
    expect(ranges(m2)).toEqual([
      [0, 40],
      [40, 60],
      [60, 100],
    ]);
    // Already aligned: nothing to split.
    expect(m2.isolate(40, 60, splitTagged)).toBe(mid);
    expect(m2.size).toBe(3);
  });

  it('mergeWithNext merges only touching, compatible neighbours', () => {
    const m = mapOf([10, 20], [20, 30], [31, 40]);
    const a = m.find(10)!;
    const b = m.find(20)!;
    expect(m.mergeWithNext(a, contiguous)).toBe(true);
    expect(b.live).toBe(false);
    expect([a.start, a.end]).toEqual([10, 30]);
    expect(m.mergeWithNext(a, contiguous)).toBe(false); // not touching
    m.insert(30, 31, { tag: 'other', offset: 30 });
    expect(m.mergeWithNext(a, contiguous)).toBe(false); // incompatible
    expect(m.size).toBe(3);
  });

  it('mergeWithNext combines values with merge()', () => {
    const m = new RangeMap<number>({ min: 0, max: 100 });
    const a = m.insert(0, 10, 1);
    m.insert(10, 20, 2);
    expect(
      m.mergeWithNext(
        a,
        () => true,
        (x, y) => x + y,
      ),
    ).toBe(true);
    expect(a.value).toBe(3);
    expect(m.findGap(80, { lo: 0, hi: 100, topDown: false })).toBe(20);
  });

  it('mergeAround absorbs both neighbours and returns the survivor', () => {
    const m = mapOf([10, 20], [30, 40]);
    const mid = m.insert(20, 30, { tag: 'x', offset: 20 });
    const survivor = m.mergeAround(mid, contiguous);
    expect(survivor).toBe(m.first());
    expect(mid.live).toBe(false);
    expect(ranges(m)).toEqual([[10, 40]]);
    const lone = m.insert(50, 60, { tag: 'y', offset: 0 });
    expect(m.mergeAround(lone, contiguous)).toBe(lone);
  });
});

describe('RangeMap gap queries', () => {
  it('findGap bottom-up and top-down respect lo/hi and the domain', () => {
    const m = new RangeMap<number>({ min: 100, max: 1000 });
    m.insert(200, 300, 0);
    m.insert(310, 400, 0);
    m.insert(900, 1000, 0);
    expect(m.findGap(50, { lo: 0, hi: 2000, topDown: false })).toBe(100);
    expect(m.findGap(50, { lo: 0, hi: 2000, topDown: true })).toBe(850);
    expect(m.findGap(10, { lo: 300, hi: 400, topDown: false })).toBe(300);
    expect(m.findGap(11, { lo: 300, hi: 400, topDown: false })).toBeUndefined();
    expect(m.findGap(10, { lo: 250, hi: 310, topDown: false })).toBe(300); // exact fit at hi
    expect(m.findGap(10, { lo: 300, hi: 350, topDown: true })).toBe(300); // exact fit at lo
    expect(m.findGap(11, { lo: 250, hi: 2000, topDown: false })).toBe(400);
    expect(m.findGap(100, { lo: 120, hi: 1000, topDown: false })).toBe(400);
    expect(m.findGap(80, { lo: 120, hi: 200, topDown: true })).toBe(120);
    expect(m.findGap(81, { lo: 120, hi: 200, topDown: true })).toBeUndefined();
    expect(m.findGap(500, { lo: 0, hi: 2000, topDown: true })).toBe(400);
    expect(m.findGap(501, { lo: 0, hi: 2000, topDown: true })).toBeUndefined();
    expect(m.findGap(10, { lo: 500, hi: 400, topDown: true })).toBeUndefined();
  });

  it('findGap honours alignment, skipping gaps that are long enough but misaligned', () => {
    const m = new RangeMap<number>({ min: 0, max: 1024 });
    m.insert(0, 65, 0);
    m.insert(130, 200, 0); // gap [65,130): 65 long, but no 64-aligned 64 fits
    m.insert(256, 1024, 0); // gap [200,256): too short
    expect(m.findGap(64, { lo: 0, hi: 1024, topDown: false, align: 64 })).toBeUndefined();
    expect(m.findGap(64, { lo: 0, hi: 1024, topDown: false })).toBe(65);
    expect(m.findGap(32, { lo: 0, hi: 1024, topDown: true, align: 32 })).toBe(224);
    expect(m.findGap(32, { lo: 0, hi: 1024, topDown: false, align: 32 })).toBe(96);
    expect(() => m.findGap(0, { lo: 0, hi: 10, topDown: true })).toThrow(InvariantError);
    expect(() => m.findGap(1, { lo: 0, hi: 10, topDown: true, align: 1.5 })).toThrow(
      InvariantError,
    );
  });

  it('findGap handles addresses near 2^53', () => {
    const top = 2 ** 53;
    const m = new RangeMap<number>({ min: 0, max: top });
    m.insert(top - 4096, top, 0);
    expect(m.findGap(4096, { lo: 0, hi: top, topDown: true, align: 4096 })).toBe(top - 8192);
    expect(
      m.findGap(4096, { lo: top - 8191, hi: top, topDown: false, align: 4096 }),
    ).toBeUndefined();
  });

  it('isFree and gapAt describe free space', () => {
    const m = new RangeMap<number>({ min: 10, max: 100 });
    m.insert(20, 30, 0);
    m.insert(40, 50, 0);
    expect(m.isFree(30, 40)).toBe(true);
    expect(m.isFree(29, 40)).toBe(false);
    expect(m.isFree(30, 41)).toBe(false);
    expect(m.isFree(0, 15)).toBe(false); // outside the domain
    expect(m.isFree(50, 100)).toBe(true);
    expect(m.gapAt(35)).toEqual({ start: 30, end: 40 });
    expect(m.gapAt(10)).toEqual({ start: 10, end: 20 });
    expect(m.gapAt(99)).toEqual({ start: 50, end: 100 });
    expect(m.gapAt(25)).toBeUndefined();
    expect(m.gapAt(100)).toBeUndefined();
    expect(m.gapAt(5)).toBeUndefined();
  });
});

describe('RangeMap iteration', () => {
  it('segmentsIn and forEachIn visit overlapping segments in order', () => {
    const m = mapOf([10, 20], [30, 40], [50, 60]);
    expect([...m.segmentsIn(15, 51)].map((s) => s.start)).toEqual([10, 30, 50]);
    expect([...m.segmentsIn(20, 30)]).toEqual([]);
    expect([...m.segmentsIn(40, 40)]).toEqual([]);
    const seen: number[] = [];
    m.forEachIn(0, 1000, (s, out) => void out.push(s.start), seen);
    expect(seen).toEqual([10, 30, 50]);
    const firstTwo: number[] = [];
    m.forEachIn(0, 1000, (s, out) => out.push(s.start) < 2, firstTwo);
    expect(firstTwo).toEqual([10, 30]);
  });

  it('lets the visitor remove the segment it is given', () => {
    const m = mapOf([10, 20], [30, 40], [50, 60]);
    for (const s of m.segmentsIn(0, 45)) m.remove(s);
    expect(ranges(m)).toEqual([[50, 60]]);
    m.insert(0, 5, { tag: 'x', offset: 0 });
    m.forEachIn(0, 100, (s, map) => map.remove(s), m);
    expect(m.size).toBe(0);
  });
});

describe('clone', () => {
  it('copies every segment with mapped values, keeps order, neighbours and gap search, and is independent', () => {
    const m = new RangeMap<number>({ min: 0, max: 1 << 30 });
    for (let i = 0; i < 500; i++) m.insert(i * 100, i * 100 + 50 + (i % 3) * 10, i);
    const c = m.clone((v) => `v${v}`);
    c.checkInvariants();
    expect(c.size).toBe(m.size);
    expect([...c].map((s) => [s.start, s.end, s.value])).toEqual([...m].map((s) => [s.start, s.end, `v${s.value}`]));
    expect(c.first()!.next()!.prev()).toBe(c.first());
    expect(c.findGap(40, { lo: 0, hi: 1 << 30, topDown: false })).toBe(m.findGap(40, { lo: 0, hi: 1 << 30, topDown: false }));
    c.remove(c.find(150)!);
    c.insert(150, 190, 'new');
    c.checkInvariants();
    expect(m.find(150)!.value).toBe(1);
    expect(new RangeMap<number>({ min: 0, max: 10 }).clone((v) => v).size).toBe(0);
  });
});
