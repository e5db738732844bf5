import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '@tskern/vitest-config/budget';
import { type ROp, ebreak, execute, r } from './testing/asm.js';

const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const s32 = (v: bigint): bigint => BigInt.asIntN(32, v);
const u32 = (v: bigint): bigint => BigInt.asUintN(32, v);
const MIN64 = -(1n << 63n);

/** The M extension's results as the spec defines them, division by zero and overflow included. */
function expected(op: ROp, a: bigint, b: bigint): bigint {
  switch (op) {
    case 'mul': return s64(a * b);
    case 'mulh': return s64((a * b) >> 64n);
    case 'mulhu': return s64((u64(a) * u64(b)) >> 64n);
    case 'mulhsu': return s64((a * u64(b)) >> 64n);
    case 'div': return b === 0n ? -1n : a === MIN64 && b === -1n ? MIN64 : a / b;
    case 'divu': return b === 0n ? -1n : s64(u64(a) / u64(b));
    case 'rem': return b === 0n ? a : a === MIN64 && b === -1n ? 0n : a % b;
    case 'remu': return b === 0n ? a : s64(u64(a) % u64(b));
    case 'mulw': return s32(a * b);
    case 'divw': { const x = s32(a), y = s32(b); return y === 0n ? -1n : x === -(1n << 31n) && y === -1n ? x : x / y; }
    case 'divuw': { const x = u32(a), y = u32(b); return y === 0n ? -1n : s32(x / y); }
    case 'remw': { const x = s32(a), y = s32(b); return y === 0n ? x : x === -(1n << 31n) && y === -1n ? 0n : x % y; }
    case 'remuw': { const x = u32(a), y = u32(b); return y === 0n ? s32(x) : s32(x % y); }
    default: throw new Error(op);
  }
}

const OPS: ROp[] = ['mul', 'mulh', 'mulhu', 'mulhsu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw', 'divuw', 'remw', 'remuw'];
const operand = fc.oneof(
  fc.bigInt({ min: MIN64, max: -MIN64 - 1n }),
  fc.bigInt({ min: -70000n, max: 70000n }),
  fc.constantFrom(0n, -1n, 1n, MIN64, -MIN64 - 1n, -(1n << 31n), (1n << 32n) - 1n),
);

describe('M extension through the interpreter', () => {
  it('gives the spec results for every M instruction', () => {
    fc.assert(fc.property(operand, operand, (a, b) => {
      const { cpu } = execute(
        [...OPS.map((op, i) => r(op, 10 + i, 1, 2)), ebreak],
        (c) => { c.setRegister(1, a); c.setRegister(2, b); },
      );
      OPS.forEach((op, i) => expect([op, cpu.getRegister(10 + i)]).toEqual([op, expected(op, a, b)]));
    }), { numRuns: propertyRuns(200) });
  });

  it('divides by zero and overflows without trapping', () => {
    const { cpu, exit } = execute([r('div', 3, 1, 0), r('rem', 4, 1, 0), r('div', 5, 2, 6), r('rem', 7, 2, 6), ebreak], (c) => {
      c.setRegister(1, 7n); c.setRegister(2, MIN64); c.setRegister(6, -1n);
    });
    expect(exit.kind).toBe('ebreak');
    expect([3, 4, 5, 7].map((i) => cpu.getRegister(i))).toEqual([-1n, 7n, MIN64, 0n]);
  });
});
