import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { propertyRuns } from '@tskern/vitest-config/budget';
import { GuardRanges } from './guard-ranges';

/** Pages 0..63: small enough for a per-page Set model, big enough for overlaps, splits and joins. */
const PAGES = 64;
const span = fc
  .tuple(fc.integer({ min: 0, max: PAGES }), fc.integer({ min: 0, max: PAGES }))
  .map(([x, y]) => [Math.min(x, y), Math.max(x, y)] as const);
const op = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), span }),
  fc.record({ kind: fc.constant('delete' as const), span }),
  fc.record({ kind: fc.constant('move' as const), span, delta: fc.integer({ min: -PAGES, max: PAGES }) }),
);

describe('GuardRanges', () => {
  it('agrees with a per-page Set after any sequence of add, delete and move', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const runs = new GuardRanges();
        const model = new Set<number>();
        for (const o of ops) {
          const [first, last] = o.span;
          if (o.kind === 'add') {
            runs.add(first, last);
            for (let p = first; p < last; p++) model.add(p);
          } else if (o.kind === 'delete') {
            runs.delete(first, last);
            for (let p = first; p < last; p++) model.delete(p);
          } else {
            // mremap moves to where nothing is mapped: keep the target at or above page 0.
            const delta = Math.max(o.delta, -first);
            runs.move(first, last, delta);
            const moving = [...model].filter((p) => p >= first && p < last);
            for (const p of moving) model.delete(p);
            for (const p of moving) model.add(p + delta);
          }
        }
        const pages = Array.from({ length: 3 * PAGES }, (_, p) => p);
        expect(pages.filter((p) => runs.has(p))).toEqual(pages.filter((p) => model.has(p)));
        // Runs are sorted, non-empty, and neither overlap nor touch (so size counts maximal runs).
        const all = runs.all();
        expect(all.length).toBe(runs.size);
        for (let i = 0; i < all.length; i++) {
          expect(all[i]!.first).toBeLessThan(all[i]!.last);
          if (i > 0) expect(all[i - 1]!.last).toBeLessThan(all[i]!.first);
        }
        expect(all.reduce((n, r) => n + r.last - r.first, 0)).toBe(model.size);
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('clips rangesIn to the asked range', () => {
    const runs = new GuardRanges();
    runs.add(2, 5);
    runs.add(8, 12);
    runs.add(5, 6); // touches the first run: joins it
    expect(runs.rangesIn(3, 10)).toEqual([
      { first: 3, last: 6 },
      { first: 8, last: 10 },
    ]);
    runs.delete(9, 10); // splits the second run
    expect(runs.all()).toEqual([
      { first: 2, last: 6 },
      { first: 8, last: 9 },
      { first: 10, last: 12 },
    ]);
  });
});
