import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countBelow, fileOffset, MAX_LFS_FILESIZE, offsetAbove, offsetAdd, offsetBig, offsetSub } from './file-offset';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 200);
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Signed 64-bit values, many of them near 2^53, 2^62 and 2^63 - 1 (and their negatives). */
const loff = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  ...[2n ** 53n, 2n ** 62n, 2n ** 63n - 1n, -(2n ** 53n)].map((c) => fc.bigInt({ min: -5000n, max: 5000n }).map((d) => BigInt.asIntN(64, c + d))),
);

function canonical(x: number | bigint): boolean {
  return typeof x === 'number' ? Number.isSafeInteger(x) : x > SAFE || x < -SAFE;
}

describe('FileOffset', () => {
  it('is a number exactly while safe, and arithmetic on it is exact and canonical', () => {
    fc.assert(
      fc.property(loff, loff, (a, b) => {
        const x = fileOffset(a);
        const y = fileOffset(b);
        expect(canonical(x)).toBe(true);
        expect(offsetBig(x)).toBe(a);
        const sum = offsetAdd(x, y);
        const diff = offsetSub(x, y);
        expect(canonical(sum) && canonical(diff)).toBe(true);
        expect(offsetBig(sum)).toBe(a + b);
        expect(offsetBig(diff)).toBe(a - b);
        // Relational operators compare mixed forms exactly; offsetAbove agrees.
        expect(x < y).toBe(a < b);
        expect(offsetAbove(x, y)).toBe(a > b);
        expect(x === y).toBe(a === b);
      }),
      { numRuns: runs },
    );
  });

  it('countBelow is min(n, limit - at) for at below limit', () => {
    fc.assert(
      fc.property(loff, fc.nat({ max: 2 ** 31 }), fc.bigInt({ min: 1n, max: 2n ** 20n }), (at, n, room) => {
        const limit = at + room;
        fc.pre(limit <= 2n ** 63n - 1n);
        const want = room < BigInt(n) ? Number(room) : n;
        expect(countBelow(n, fileOffset(at), fileOffset(limit))).toBe(want);
      }),
      { numRuns: runs },
    );
    expect(countBelow(10, 5, MAX_LFS_FILESIZE)).toBe(10);
    expect(countBelow(10, MAX_LFS_FILESIZE as bigint - 3n, MAX_LFS_FILESIZE)).toBe(3);
  });
});
