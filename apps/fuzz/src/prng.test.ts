import { describe, expect, it } from 'vitest';
import { Prng } from './prng';

describe('Prng', () => {
  it('is reproducible for a (seed, stream) and differs between streams', () => {
    const a = new Prng(42, 7);
    const b = new Prng(42, 7);
    const c = new Prng(42, 8);
    const xs = Array.from({ length: 50 }, () => a.next32());
    expect(Array.from({ length: 50 }, () => b.next32())).toEqual(xs);
    expect(Array.from({ length: 50 }, () => c.next32())).not.toEqual(xs);
  });

  it('keeps int, range, float and weighted within bounds', () => {
    const r = new Prng(1);
    for (let i = 0; i < 2000; i++) {
      const n = 1 + (i % 37);
      const x = r.int(n);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(n);
      const y = r.range(-3, 3);
      expect(y).toBeGreaterThanOrEqual(-3);
      expect(y).toBeLessThanOrEqual(3);
      const f = r.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      expect(['a', 'b']).toContain(r.weighted([[1, 'a'], [0, 'c'], [2, 'b']]));
    }
    expect(new Prng(3).int(2 ** 40)).toBeLessThan(2 ** 40);
  });

  it('is not grossly biased', () => {
    const r = new Prng(9);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[r.int(4)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
  });
});
