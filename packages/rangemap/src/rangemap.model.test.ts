// Model-based property test: random operation sequences run against both the
// RangeMap and a naive sorted array, comparing contents and query answers
// after every step (the map also self-checks after every mutation, because
// tests switch expensive invariant checks on).
import { InvariantError } from '@tskern/assert';
import fc from 'fast-check';
import { propertyRuns, testTimeout } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import { RangeMap } from './rangemap';

interface Val {
  tag: number;
  offset: number;
}

interface Entry {
  start: number;
  end: number;
  value: Val;
}

const MIN = 8;
const MAX = 128;

const split = (v: Val, off: number): Val => ({ tag: v.tag, offset: v.offset + off });
const canMerge = (a: Val, b: Val, aStart: number, aEnd: number): boolean =>
  a.tag === b.tag && b.offset === a.offset + (aEnd - aStart);

/** The naive model: a sorted array of entries. */
class Model {
  entries: Entry[] = [];

  overlaps(start: number, end: number): boolean {
    return this.entries.some((e) => e.start < end && start < e.end);
  }

  insert(start: number, end: number, value: Val): void {
    this.entries.push({ start, end, value });
    this.entries.sort((a, b) => a.start - b.start);
  }

  splitAt(i: number, point: number): void {
    const e = this.entries[i]!;
    const right = { start: point, end: e.end, value: split(e.value, point - e.start) };
    e.end = point;
    this.entries.splice(i + 1, 0, right);
  }

  /** Merge entry i with entry i+1 if allowed. */
  mergeWithNext(i: number): boolean {
    const a = this.entries[i];
    const b = this.entries[i + 1];
    if (a === undefined || b === undefined || a.end !== b.start) return false;
    if (!canMerge(a.value, b.value, a.start, a.end)) return false;
    a.end = b.end;
    this.entries.splice(i + 1, 1);
    return true;
  }

  isFree(start: number, end: number): boolean {
    return MIN <= start && start < end && end <= MAX && !this.overlaps(start, end);
  }

  /** Brute force over every candidate start. */
  findGap(
    length: number,
    lo: number,
    hi: number,
    topDown: boolean,
    align: number,
  ): number | undefined {
    let best: number | undefined;
    for (let a = 0; a + length <= MAX; a++) {
      if (a % align !== 0 || a < lo || a + length > hi || !this.isFree(a, a + length)) continue;
      if (!topDown) return a;
      best = a;
    }
    return best;
  }

  find(p: number): Entry | undefined {
    return this.entries.find((e) => e.start <= p && p < e.end);
  }

  lowerBound(p: number): Entry | undefined {
    return this.entries.find((e) => e.end > p);
  }
}

type Op =
  | { op: 'insert'; start: number; len: number; tag: number }
  | { op: 'remove'; pick: number }
  | { op: 'split'; pick: number; at: number }
  | { op: 'isolate'; start: number; len: number }
  | { op: 'merge'; pick: number }
  | { op: 'setRange'; pick: number; dStart: number; dEnd: number }
  | { op: 'findGap'; len: number; lo: number; hi: number; topDown: boolean; align: number }
  | { op: 'query'; point: number };

const point = fc.integer({ min: 0, max: MAX + 5 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      start: point,
      len: fc.integer({ min: 1, max: 16 }),
      tag: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('split' as const), pick: fc.nat(), at: fc.nat() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('isolate' as const),
      start: point,
      len: fc.integer({ min: 1, max: 40 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('merge' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('setRange' as const),
      pick: fc.nat(),
      dStart: fc.integer({ min: -5, max: 5 }),
      dEnd: fc.integer({ min: -5, max: 5 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('findGap' as const),
      len: fc.integer({ min: 1, max: 24 }),
      lo: fc.integer({ min: 0, max: MAX }),
      hi: fc.integer({ min: 0, max: MAX + 20 }),
      topDown: fc.boolean(),
      align: fc.constantFrom(1, 1, 2, 4, 16, 3),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('query' as const), point }) },
);

function step(map: RangeMap<Val>, model: Model, o: Op): void {
  const n = model.entries.length;
  switch (o.op) {
    case 'insert': {
      const end = o.start + o.len;
      const value = { tag: o.tag, offset: o.start };
      if (o.start < MIN || end > MAX || model.overlaps(o.start, end)) {
        expect(() => map.insert(o.start, end, value)).toThrow(InvariantError);
      } else {
        map.insert(o.start, end, value);
        model.insert(o.start, end, value);
      }
      break;
    }
    case 'remove': {
      if (n === 0) return;
      const e = model.entries[o.pick % n]!;
      map.remove(map.find(e.start)!);
      model.entries.splice(o.pick % n, 1);
      break;
    }
    case 'split': {
      if (n === 0) return;
      const i = o.pick % n;
      const e = model.entries[i]!;
      if (e.end - e.start < 2) return;
      const p = e.start + 1 + (o.at % (e.end - e.start - 1));
      const right = map.splitAt(map.find(e.start)!, p, split);
      expect(right.start).toBe(p);
      model.splitAt(i, p);
      break;
    }
    case 'isolate': {
      const end = o.start + o.len;
      const first = map.isolate(o.start, end, split);
      for (let i = 0; i < model.entries.length; i++) {
        const e = model.entries[i]!;
        if (e.start < end && end < e.end) model.splitAt(i, end);
        if (e.start < o.start && o.start < e.end) model.splitAt(i, o.start);
      }
      const expected = model.lowerBound(o.start);
      if (expected === undefined || expected.start >= end) expect(first).toBeUndefined();
      else expect([first?.start, first?.end]).toEqual([expected.start, expected.end]);
      break;
    }
    case 'merge': {
      if (n === 0) return;
      const i = o.pick % n;
      const seg = map.find(model.entries[i]!.start)!;
      let survivor = i;
      if (i > 0 && model.mergeWithNext(i - 1)) survivor = i - 1;
      model.mergeWithNext(survivor);
      const got = map.mergeAround(seg, canMerge);
      const want = model.entries[survivor]!;
      expect([got.start, got.end]).toEqual([want.start, want.end]);
      break;
    }
    case 'setRange': {
      if (n === 0) return;
      const i = o.pick % n;
      const e = model.entries[i]!;
      const start = e.start + o.dStart;
      const end = e.end + o.dEnd;
      const lo = i > 0 ? model.entries[i - 1]!.end : MIN;
      const hi = i + 1 < n ? model.entries[i + 1]!.start : MAX;
      const seg = map.find(e.start)!;
      if (lo <= start && start < end && end <= hi) {
        map.setRange(seg, start, end);
        e.start = start;
        e.end = end;
      } else {
        expect(() => map.setRange(seg, start, end)).toThrow(InvariantError);
      }
      break;
    }
    case 'findGap': {
      const got = map.findGap(o.len, { lo: o.lo, hi: o.hi, topDown: o.topDown, align: o.align });
      expect(got).toBe(model.findGap(o.len, o.lo, o.hi, o.topDown, o.align));
      break;
    }
    case 'query': {
      const p = o.point;
      const f = map.find(p);
      const fm = model.find(p);
      expect(f === undefined ? undefined : [f.start, f.end]).toEqual(
        fm === undefined ? undefined : [fm.start, fm.end],
      );
      const lb = map.lowerBound(p);
      const lbm = model.lowerBound(p);
      expect(lb?.start).toBe(lbm?.start);
      const gap = map.gapAt(p);
      if (p < MIN || p >= MAX || fm !== undefined) expect(gap).toBeUndefined();
      else {
        expect(model.isFree(gap!.start, gap!.end)).toBe(true);
        expect(gap!.start <= p && p < gap!.end).toBe(true);
        expect(gap!.start === MIN || model.find(gap!.start - 1) !== undefined).toBe(true);
        expect(gap!.end === MAX || model.find(gap!.end) !== undefined).toBe(true);
      }
      expect(map.isFree(p, p + 3)).toBe(model.isFree(p, p + 3));
      break;
    }
  }
}

function sameContents(map: RangeMap<Val>, model: Model): void {
  const got = [...map].map((s) => [s.start, s.end, s.value.tag, s.value.offset]);
  const want = model.entries.map((e) => [e.start, e.end, e.value.tag, e.value.offset]);
  expect(got).toEqual(want);
  expect(map.size).toBe(model.entries.length);
  expect(map.first()?.start).toBe(model.entries[0]?.start);
  expect(map.last()?.start).toBe(model.entries[model.entries.length - 1]?.start);
}

describe('RangeMap against a sorted-array model', () => {
  it('agrees after every step of random operation sequences', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 200, size: 'max' }), (ops) => {
        const map = new RangeMap<Val>({ min: MIN, max: MAX });
        const model = new Model();
        for (const o of ops) {
          step(map, model, o);
          sameContents(map, model);
        }
        map.checkInvariants();
      }),
      { numRuns: propertyRuns(60) },
    );
  }, testTimeout(30_000));
});
