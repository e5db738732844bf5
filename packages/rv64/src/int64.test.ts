import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '@tskern/vitest-config/budget';
import { divrem64, divremu64, mul64, mulh64, mulhsu64, mulhu64 } from './int64.js';

const MASK = (1n << 64n) - 1n;
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const lo = (v: bigint): number => Number(BigInt.asIntN(32, v));
const hi = (v: bigint): number => Number(BigInt.asIntN(32, v >> 32n));
const pair = (out: Int32Array): bigint => s64((BigInt(out[1]!) << 32n) | BigInt(out[0]! >>> 0));

// Operands biased towards the edges: small, 32-bit boundaries, INT64_MIN, -1, 0.
const operand = fc.oneof(
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }),
  fc.bigInt({ min: -300n, max: 300n }),
  fc.constantFrom(0n, -1n, 1n, -(1n << 63n), (1n << 63n) - 1n, 1n << 32n, (1n << 32n) - 1n, -(1n << 31n), 1n << 52n),
);

describe('64-bit multiply and divide on int32 pairs', () => {
  it('agree with BigInt for MUL, MULH, MULHU, MULHSU', () => {
    fc.assert(fc.property(operand, operand, (a, b) => {
      const out = new Int32Array(2);
      mul64(lo(a), hi(a), lo(b), hi(b), out);
      expect(pair(out)).toBe(s64(a * b));
      mulhu64(lo(a), hi(a), lo(b), hi(b), out);
      expect(u64(pair(out))).toBe((u64(a) * u64(b)) >> 64n);
      mulh64(lo(a), hi(a), lo(b), hi(b), out);
      expect(pair(out)).toBe(s64((a * b) >> 64n));
      mulhsu64(lo(a), hi(a), lo(b), hi(b), out);
      expect(pair(out)).toBe(s64((a * u64(b)) >> 64n));
    }), { numRuns: propertyRuns(500) });
  });

  it('agree with BigInt for DIV, REM, DIVU, REMU, with the spec results for x/0 and overflow', () => {
    fc.assert(fc.property(operand, operand, (a, b) => {
      const out = new Int32Array(2);
      const sq = b === 0n ? -1n : a === -(1n << 63n) && b === -1n ? a : a / b;
      const sr = b === 0n ? a : a === -(1n << 63n) && b === -1n ? 0n : a % b;
      divrem64(lo(a), hi(a), lo(b), hi(b), false, out);
      expect(pair(out)).toBe(sq);
      divrem64(lo(a), hi(a), lo(b), hi(b), true, out);
      expect(pair(out)).toBe(sr);
      const ua = u64(a), ub = u64(b);
      divremu64(lo(a), hi(a), lo(b), hi(b), false, out);
      expect(u64(pair(out))).toBe(ub === 0n ? MASK : ua / ub);
      divremu64(lo(a), hi(a), lo(b), hi(b), true, out);
      expect(u64(pair(out))).toBe(ub === 0n ? ua : ua % ub);
    }), { numRuns: propertyRuns(500) });
  });
});
