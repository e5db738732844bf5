// A map at Linux's default vm.max_map_count (65,530 mappings): lookups and
// gap searches must stay correct. Per-step invariant checks are O(n), so they
// are switched off while building and the whole structure is checked once.
import { invariantChecksEnabled, setInvariantChecks } from '@tskern/assert';
import { testTimeout } from '@tskern/vitest-config/budget';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RangeMap } from './rangemap';
import type { Segment } from './segment';

const COUNT = 65_530;
const PAGE = 4096;

/** Deterministic pseudo-random numbers (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

// The size is Linux's limit, not a budget: a deliberate timeout instead.
describe('RangeMap with 65,530 segments', { timeout: testTimeout(30_000) }, () => {
  let checks = true;
  beforeEach(() => {
    checks = invariantChecksEnabled();
    setInvariantChecks(false);
  });
  afterEach(() => setInvariantChecks(checks));

  it('keeps find and findGap right', () => {
    // Segment i covers pages [3i+1, 3i+3): a one-page gap before each, except
    // every 1000th segment, which is left out to make a four-page gap.
    const max = (3 * COUNT + 1) * PAGE;
    const m = new RangeMap<number>({ min: 0, max });
    const random = rng(42);
    const order = Array.from({ length: COUNT }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const segs: (Segment<number> | undefined)[] = [];
    for (const i of order) {
      if (i % 1000 === 500) continue;
      segs[i] = m.insert((3 * i + 1) * PAGE, (3 * i + 3) * PAGE, i);
    }
    setInvariantChecks(true);
    m.checkInvariants();
    expect(m.size).toBe(COUNT - 66);

    for (let k = 0; k < 2000; k++) {
      const i = Math.floor(random() * COUNT);
      const inside = (3 * i + 1) * PAGE + Math.floor(random() * 2 * PAGE);
      expect(m.find(inside)?.value).toBe(i % 1000 === 500 ? undefined : i);
      expect(m.find(3 * i * PAGE + 7)).toBeUndefined();
    }

    // One-page gaps are everywhere; top-down picks the highest.
    expect(m.findGap(PAGE, { lo: 0, hi: max, topDown: true })).toBe(3 * COUNT * PAGE);
    expect(m.findGap(PAGE, { lo: 0, hi: max, topDown: false })).toBe(0);
    // Two pages fit only where a segment is missing: [3i, 3i+4) for i = 500 mod 1000.
    expect(m.findGap(2 * PAGE, { lo: 0, hi: max, topDown: false })).toBe(3 * 500 * PAGE);
    expect(m.findGap(2 * PAGE, { lo: 0, hi: max, topDown: true })).toBe((3 * 65_500 + 2) * PAGE);
    expect(m.findGap(4 * PAGE, { lo: 0, hi: 3 * 40_000 * PAGE, topDown: true })).toBe(
      3 * 39_500 * PAGE,
    );
    expect(m.findGap(5 * PAGE, { lo: 0, hi: max, topDown: true })).toBeUndefined();
    // Alignment that only some of the big gaps satisfy: the four-page gap at
    // page 1500 has no 7-page-aligned two-page run; the one at 4500 has 4501.
    const align = 7 * PAGE;
    const got = m.findGap(2 * PAGE, { lo: 0, hi: max, topDown: false, align });
    expect(got).toBe(4501 * PAGE);

    // Removing a segment opens a bigger gap that gap search must now see.
    m.remove(segs[30_001]!);
    m.remove(segs[30_002]!);
    m.checkInvariants();
    expect(m.findGap(7 * PAGE, { lo: 0, hi: max, topDown: true })).toBe(3 * 30_001 * PAGE);
    expect(m.findGap(7 * PAGE, { lo: 0, hi: max, topDown: false })).toBe(3 * 30_001 * PAGE);
  });

  it('stays shallow when segments arrive in address order (as mmap makes them)', () => {
    const m = new RangeMap<number>({ min: 0, max: 2 ** 48 });
    for (let i = 0; i < COUNT; i++) m.insert(i * 2 * PAGE, (i * 2 + 1) * PAGE, i);
    let deepest = 0;
    let total = 0;
    for (const seg of m) {
      let depth = 0;
      for (let n: Segment<number> | null = seg; n !== null; n = n.parent) depth++;
      deepest = Math.max(deepest, depth);
      total += depth;
    }
    // log2(65,530) is 16; a treap's expected depth is about 1.39 log2 n.
    expect(total / COUNT).toBeLessThan(32);
    expect(deepest).toBeLessThan(64);
    setInvariantChecks(true);
    m.checkInvariants();
  });
});
