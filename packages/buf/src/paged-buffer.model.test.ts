// Model-based property test: random writes, reads, resizes, hole punches,
// frame lookups and injected allocation failures, checked against a plain
// Uint8Array and a set of resident pages after every step.
import { ArenaFrameAllocator, FaultyFrameAllocator, isFrame, PAGE_SIZE as P } from '@tskern/pagealloc';
import fc from 'fast-check';
import { propertyRuns, testTimeout } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import { ENOSPC } from './errno';
import { PagedBuffer } from './paged-buffer';

const MAX_PAGES = 10;

/** Index of the first differing byte, or -1 (vitest's deep equality is slow on big arrays). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const i = Buffer.from(a.buffer, a.byteOffset, a.length).compare(
    Buffer.from(b.buffer, b.byteOffset, b.length),
  );
  if (i === 0) return -1;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return k;
  return -1;
}
const LIMIT = MAX_PAGES * P;

/** The model: contents plus which pages hold a frame. */
class Model {
  data = new Uint8Array(0);
  resident = new Set<number>();

  setSize(n: number): void {
    const next = new Uint8Array(n);
    next.set(this.data.subarray(0, Math.min(n, this.data.length)));
    this.data = next;
  }

  dropFrom(page: number): void {
    for (const p of this.resident) if (p >= page) this.resident.delete(p);
  }
}

// Offsets cluster around page boundaries, where the bugs live.
const offset = fc.oneof(
  fc.integer({ min: 0, max: LIMIT }),
  fc
    .tuple(fc.integer({ min: 0, max: MAX_PAGES }), fc.integer({ min: -3, max: 3 }))
    .map(([p, d]) => Math.max(0, p * P + d)),
);
const length = fc.oneof(
  fc.integer({ min: 0, max: 3 * P }),
  fc.constantFrom(0, 1, P - 1, P, P + 1, 2 * P),
);

type Op =
  | { op: 'write'; offset: number; length: number; seed: number; failAfter: number | null }
  | { op: 'read'; offset: number; length: number }
  | { op: 'resize'; size: number }
  | { op: 'punch'; offset: number; length: number }
  | { op: 'frame'; page: number; fail: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('write' as const),
      offset,
      length,
      seed: fc.integer({ min: 1, max: 200 }),
      failAfter: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 4 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('read' as const), offset, length }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('resize' as const), size: offset }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('punch' as const), offset, length }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('frame' as const),
      page: fc.nat({ max: MAX_PAGES }),
      fail: fc.boolean(),
    }),
  },
);

function step(b: PagedBuffer, alloc: FaultyFrameAllocator, m: Model, o: Op): void {
  switch (o.op) {
    case 'write': {
      const src = Uint8Array.from({ length: o.length }, (_, i) => ((i + o.seed) % 251) + 1);
      // How far the write gets: it stops at the first page that needs a
      // frame once the allowed number of allocations is used up.
      let end = o.offset + o.length;
      if (o.failAfter !== null) {
        alloc.failAfter(o.failAfter);
        let allowed = o.failAfter;
        for (let p = Math.floor(o.offset / P); p * P < o.offset + o.length; p++) {
          if (m.resident.has(p)) continue;
          if (allowed-- === 0) {
            end = Math.max(o.offset, p * P);
            break;
          }
        }
      }
      const got = b.write(o.offset, src, 0, o.length);
      alloc.reset();
      const written = end - o.offset;
      expect(got).toBe(o.length === 0 ? 0 : written === 0 ? -ENOSPC : written);
      if (written > 0) {
        if (end > m.data.length) m.setSize(end);
        m.data.set(src.subarray(0, written), o.offset);
        for (let p = Math.floor(o.offset / P); p * P < end; p++) m.resident.add(p);
      }
      break;
    }
    case 'read': {
      const dst = new Uint8Array(o.length + 2).fill(0xee);
      const n = b.read(o.offset, dst, 1, o.length);
      const want = m.data.subarray(
        Math.min(o.offset, m.data.length),
        Math.min(o.offset + o.length, m.data.length),
      );
      expect(n).toBe(want.length);
      expect(firstDifference(dst.subarray(1, 1 + n), want)).toBe(-1);
      expect(dst[0]).toBe(0xee);
      break;
    }
    case 'resize': {
      expect(b.resize(o.size)).toBe(0);
      m.setSize(o.size);
      m.dropFrom(Math.ceil(o.size / P));
      break;
    }
    case 'punch': {
      b.punchHole(o.offset, o.length);
      const size = m.data.length;
      const end = Math.min(o.offset + o.length, size);
      if (o.offset < end) {
        m.data.fill(0, o.offset, end);
        const wholeEnd = end === size ? Math.ceil(end / P) * P : end;
        for (let p = Math.ceil(o.offset / P); (p + 1) * P <= wholeEnd; p++) m.resident.delete(p);
      }
      break;
    }
    case 'frame': {
      const pageCount = Math.ceil(m.data.length / P);
      if (o.page >= pageCount) {
        expect(b.frameAt(o.page)).toBe(-1);
        break;
      }
      if (o.fail) alloc.failNext(1);
      const f = b.getOrAllocFrame(o.page);
      alloc.reset();
      if (o.fail && !m.resident.has(o.page)) {
        expect(f).toBe(-1);
      } else {
        if (!isFrame(f)) throw new Error('getOrAllocFrame failed with frames free');
        expect(b.frameAt(o.page)).toBe(f);
        expect(alloc.offset(f) % P).toBe(0);
        m.resident.add(o.page);
      }
      break;
    }
  }
}

describe('PagedBuffer against a Uint8Array model', () => {
  it('agrees on contents, size and resident pages after every step', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
        const alloc = new FaultyFrameAllocator(new ArenaFrameAllocator({ frames: 64 }));
        const b = new PagedBuffer(alloc);
        const m = new Model();
        for (const o of ops) {
          step(b, alloc, m, o);
          expect(b.size).toBe(m.data.length);
          expect(b.pageCount).toBe(Math.ceil(m.data.length / P));
          const resident: number[] = [];
          b.forEachResident((p) => resident.push(p));
          expect(resident).toEqual([...m.resident].sort((x, y) => x - y));
          expect(alloc.stats().usedFrames).toBe(m.resident.size);
          b.checkInvariants();
        }
        const all = new Uint8Array(m.data.length);
        expect(b.read(0, all, 0, all.length)).toBe(all.length);
        expect(firstDifference(all, m.data)).toBe(-1);
        b.release();
        expect(alloc.stats().usedFrames).toBe(0);
      }),
      { numRuns: propertyRuns(75) },
    );
  }, testTimeout(30_000));
});
