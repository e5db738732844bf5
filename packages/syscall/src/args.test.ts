import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TASK_SIZE } from '@tskern/abi';
import { argInt, argLong, argLoff, argOff, argUint, argUlong, argUmode, U64_HUGE } from './args';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 200);
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

describe('argument kinds', () => {
  it('unsigned 64-bit: exact below 2^53, else huge with the same low 32 bits', () => {
    fc.assert(
      fc.property(u64, (v) => {
        const x = argUlong(v);
        expect(Number.isSafeInteger(x)).toBe(true);
        if (v < 2n ** 53n) expect(BigInt(x)).toBe(v);
        else {
          expect(x).toBeGreaterThanOrEqual(U64_HUGE);
          expect(x).toBeGreaterThan(TASK_SIZE);
          expect(BigInt(x) & 0xffffffffn).toBe(v & 0xffffffffn);
        }
        // A BigInt and the same register value given as a negative number agree.
        if (v >= 2n ** 63n && v > 2n ** 64n - 2n ** 53n) expect(argUlong(Number(v - 2n ** 64n))).toBe(x);
      }),
      { numRuns: runs },
    );
  });

  it('int, uint and umode keep the low bits of any register value', () => {
    fc.assert(
      fc.property(u64, (v) => {
        expect(argInt(v)).toBe(Number(BigInt.asIntN(32, v)));
        expect(argUint(v)).toBe(Number(BigInt.asUintN(32, v)));
        expect(argUmode(v)).toBe(Number(v & 0xffffn));
        const n = Number(BigInt.asIntN(53, v)); // a safe integer number with the same low 32 bits
        expect(argInt(n)).toBe(argInt(v));
        expect(argUint(n)).toBe(argUint(v));
      }),
      { numRuns: runs },
    );
  });

  it('long: signed 64-bit, 2^63 and above negative, exact within 2^53', () => {
    fc.assert(
      fc.property(u64, (v) => {
        const x = argLong(v);
        const signed = BigInt.asIntN(64, v);
        expect(x < 0).toBe(signed < 0n);
        if (signed >= -(2n ** 53n) && signed <= 2n ** 53n) expect(BigInt(x)).toBe(signed);
      }),
      { numRuns: runs },
    );
  });

  // Register values near the edges the file code cares about: 2^53, 2^62, 2^63 - 1, 2^64 - 1.
  const near = fc.oneof(
    u64,
    ...[2n ** 53n, 2n ** 62n, 2n ** 63n - 1n, 2n ** 64n - 1n].map((c) =>
      fc.bigInt({ min: -4096n, max: 4096n }).map((d) => BigInt.asUintN(64, c + d)),
    ),
  );

  it('loff_t: signed 64-bit and exact, a number exactly while safe (canonical FileOffset)', () => {
    fc.assert(
      fc.property(near, (v) => {
        const x = argLoff(v);
        const signed = BigInt.asIntN(64, v);
        expect(BigInt(x)).toBe(signed);
        const safe = signed >= -BigInt(Number.MAX_SAFE_INTEGER) && signed <= BigInt(Number.MAX_SAFE_INTEGER);
        expect(typeof x).toBe(safe ? 'number' : 'bigint');
        // A number argument is the integer its double holds.
        const d = Number(signed);
        expect(BigInt(argLoff(d))).toBe(BigInt.asIntN(64, BigInt(d)));
      }),
      { numRuns: runs },
    );
  });

  it("mmap's off: exact when page aligned, else as ulong (the low bits stay for the alignment check)", () => {
    fc.assert(
      fc.property(near, fc.boolean(), (v, align) => {
        const u = align ? v & ~4095n : v;
        const x = argOff(u);
        if ((u & 4095n) === 0n) expect(BigInt(x)).toBe(u);
        else expect(x).toBe(argUlong(u));
        expect(x % 4096 === 0).toBe((u & 4095n) === 0n);
        // The same aligned register value given as a negative number (exact as a double) agrees.
        if (u >= 2n ** 63n && (u & 4095n) === 0n) expect(argOff(Number(BigInt.asIntN(64, u)))).toBe(x);
      }),
      { numRuns: runs },
    );
  });

  it('numbers: fractions truncate toward zero, NaN and infinities are 0, results are integers', () => {
    fc.assert(
      fc.property(fc.double(), (d) => {
        for (const f of [argInt, argUint, argUmode, argUlong, argLong, argOff]) expect(Number.isInteger(f(d))).toBe(true);
        const loff = argLoff(d);
        expect(typeof loff === 'bigint' || Number.isSafeInteger(loff)).toBe(true);
        if (!Number.isFinite(d)) for (const f of [argInt, argUlong, argLong, argLoff, argOff]) expect(f(d)).toBe(0);
        if (Number.isFinite(d) && Math.abs(d) < 2 ** 31) {
          expect(argInt(d)).toBe(Math.trunc(d) | 0);
          expect(argLoff(d)).toBe(Math.trunc(d) + 0);
          expect(argLong(d)).toBe(Math.trunc(d) + 0);
        }
        if (Number.isFinite(d) && d >= 0 && d < 2 ** 53) expect(argUlong(d)).toBe(Math.trunc(d) + 0);
      }),
      { numRuns: runs },
    );
  });
});
