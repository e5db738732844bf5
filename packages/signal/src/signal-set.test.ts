import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SignalSet, decodeSignalSet, encodeSignalSet } from './signal-set';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 100);
const sigArb = fc.integer({ min: 1, max: 64 });
const setArb = fc.uniqueArray(sigArb, { maxLength: 20 });

describe('SignalSet', () => {
  it('keeps signal n at bit n-1 of a little-endian sigset_t', () => {
    const bytes = new Uint8Array(8);
    encodeSignalSet(SignalSet.of(1, 32, 33, 64), bytes);
    expect([...bytes]).toEqual([0x01, 0, 0, 0x80, 0x01, 0, 0, 0x80]);
    expect(decodeSignalSet(bytes).toArray()).toEqual([1, 32, 33, 64]);
  });

  it('answers the lowest member across both halves', () => {
    expect(SignalSet.EMPTY.lowest()).toBe(0);
    expect(SignalSet.of(32).lowest()).toBe(32);
    expect(SignalSet.of(64, 40).lowest()).toBe(40);
    expect(SignalSet.FULL.lowest()).toBe(1);
  });

  it('behaves as a set of 1..64 (property)', () => {
    fc.assert(
      fc.property(setArb, setArb, (a, b) => {
        const sa = SignalSet.of(...a);
        const sb = SignalSet.of(...b);
        const ma = new Set(a);
        const mb = new Set(b);
        const sorted = (s: Iterable<number>) => [...s].sort((x, y) => x - y);
        expect(sa.union(sb).toArray()).toEqual(sorted(new Set([...a, ...b])));
        expect(sa.intersect(sb).toArray()).toEqual(sorted(a.filter((x) => mb.has(x))));
        expect(sa.minus(sb).toArray()).toEqual(sorted(a.filter((x) => !mb.has(x))));
        expect(sa.lowest()).toBe(a.length === 0 ? 0 : Math.min(...a));
        for (let s = 1; s <= 64; s++) expect(sa.has(s)).toBe(ma.has(s));
        const bytes = new Uint8Array(8);
        encodeSignalSet(sa, bytes);
        expect(decodeSignalSet(bytes).equals(sa)).toBe(true);
        expect(sa.isEmpty()).toBe(a.length === 0);
        for (const s of a) expect(sa.remove(s).has(s)).toBe(false);
      }),
      { numRuns: runs },
    );
  });
});
