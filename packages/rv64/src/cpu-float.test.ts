import { describe, expect, it } from 'vitest';
import type { Rv64Cpu } from './cpu.js';
import { FFLAG_DZ, FFLAG_NV, FFLAG_NX, FFLAG_OF } from './float-registers.js';
import { encodeR } from './encode.js';
import { DATA_BASE, addi, csrrs, csrrwi, ebreak, execute, fld, flw, fmadd, fp, fsd, lui, machine, type Program } from './testing/asm.js';

const S = 0, D = 1;
const RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;
const ADD = 0x00, SUB = 0x01, MUL = 0x02, DIV = 0x03, SQRT = 0x0b, SGNJ = 0x04, MINMAX = 0x05, CVT_FF = 0x08;
const CMP = 0x14, CVT_TO_INT = 0x18, CVT_FROM_INT = 0x1a, MV_X_CLASS = 0x1c, MV_F_X = 0x1e;
const FFLAGS = 0x001, FRM = 0x002;

const bitsOf = (cpu: Rv64Cpu, r: number): bigint =>
  (BigInt(cpu.fpr.i32[r * 2 + 1]!) << 32n & 0xffffffff00000000n) | BigInt(cpu.fpr.i32[r * 2]! >>> 0);
const doubleBits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0]!;
/** Runs one instruction with f1 = a, f2 = b (doubles) and returns the CPU. */
function run1(insn: number, a: number, b = 0, frm = RNE): Rv64Cpu {
  return execute([insn, ebreak], (c) => { c.fpr.setDouble(1, a); c.fpr.setDouble(2, b); c.fpr.frm = frm; }).cpu;
}

describe('D extension', () => {
  it('adds exactly without flags and raises NX when it rounds', () => {
    const exact = run1(fp(ADD, D, 3, 1, 2, RNE), 1.5, 2.25);
    expect(exact.fpr.getDouble(3)).toBe(3.75);
    expect(exact.fpr.fflags).toBe(0);
    const inexact = run1(fp(ADD, D, 3, 1, 2, RNE), 0.1, 0.2);
    expect(inexact.fpr.getDouble(3)).toBe(0.1 + 0.2);
    expect(inexact.fpr.fflags).toBe(FFLAG_NX);
  });

  it('rounds in each rounding mode, static or from frm', () => {
    const tiny = 2 ** -60;
    const up = 1 + 2 ** -52;
    expect(run1(fp(ADD, D, 3, 1, 2, RUP), 1, tiny).fpr.getDouble(3)).toBe(up);
    expect(run1(fp(ADD, D, 3, 1, 2, RDN), 1, tiny).fpr.getDouble(3)).toBe(1);
    expect(run1(fp(ADD, D, 3, 1, 2, RTZ), 1, tiny).fpr.getDouble(3)).toBe(1);
    expect(run1(fp(ADD, D, 3, 1, 2, RTZ), -1, -tiny).fpr.getDouble(3)).toBe(-1);
    expect(run1(fp(ADD, D, 3, 1, 2, RDN), -1, -tiny).fpr.getDouble(3)).toBe(-up);
    expect(run1(fp(ADD, D, 3, 1, 2), 1, tiny, RUP).fpr.getDouble(3)).toBe(up); // dynamic: frm
    expect(run1(fp(MUL, D, 3, 1, 2, RTZ), 1e308, 10).fpr.getDouble(3)).toBe(Number.MAX_VALUE);
    expect(run1(fp(DIV, D, 3, 1, 2, RUP), 1, 3).fpr.getDouble(3)).toBeGreaterThan(1 / 3);
    expect(run1(fp(DIV, D, 3, 1, 2, RDN), 1, 3).fpr.getDouble(3)).toBe(1 / 3);
    // The nearest double to sqrt(2) is above it: RUP keeps it, RDN and RTZ step down.
    expect(run1(fp(SQRT, D, 3, 1, 0, RUP), 2, 0).fpr.getDouble(3)).toBe(Math.SQRT2);
    expect(run1(fp(SQRT, D, 3, 1, 0, RDN), 2, 0).fpr.getDouble(3)).toBeLessThan(Math.SQRT2);
    expect(run1(fp(SQRT, D, 3, 1, 0, RTZ), 2, 0).fpr.getDouble(3)).toBeLessThan(Math.SQRT2);
  });

  it('rejects the reserved rounding modes 5 and 6 as illegal', () => {
    expect(execute([fp(ADD, D, 3, 1, 2, 5)]).exit.kind).toBe('illegal');
    expect(execute([fp(ADD, D, 3, 1, 2, 7), ebreak], (c) => { c.fpr.frm = 6; }).exit.kind).toBe('illegal');
  });

  it('divides by zero with DZ, makes the canonical NaN with NV for 0/0 and overflows with OF', () => {
    const dz = run1(fp(DIV, D, 3, 1, 2, RNE), 1, 0);
    expect(dz.fpr.getDouble(3)).toBe(Infinity);
    expect(dz.fpr.fflags).toBe(FFLAG_DZ);
    const nv = run1(fp(DIV, D, 3, 1, 2, RNE), 0, 0);
    expect(bitsOf(nv, 3)).toBe(0x7ff8000000000000n);
    expect(nv.fpr.fflags).toBe(FFLAG_NV);
    const of = run1(fp(MUL, D, 3, 1, 2, RNE), 1e308, 10);
    expect(of.fpr.getDouble(3)).toBe(Infinity);
    expect(of.fpr.fflags).toBe(FFLAG_OF | FFLAG_NX);
    expect(run1(fp(SQRT, D, 3, 1, 0, RNE), -1).fpr.fflags).toBe(FFLAG_NV);
    const infSub = run1(fp(SUB, D, 3, 1, 2, RNE), Infinity, Infinity);
    expect([bitsOf(infSub, 3), infSub.fpr.fflags]).toEqual([0x7ff8000000000000n, FFLAG_NV]);
  });

  it('converts to integers in every mode, saturating with NV', () => {
    const cvt = (rs2: number, rm: number, x: number): [bigint, number] => {
      const cpu = run1(fp(CVT_TO_INT, D, 5, 1, rs2, rm), x);
      return [cpu.getRegister(5), cpu.fpr.fflags];
    };
    expect(cvt(0, RTZ, -2.7)).toEqual([-2n, FFLAG_NX]);
    expect(cvt(2, RNE, 2.5)).toEqual([2n, FFLAG_NX]);
    expect(cvt(2, RMM, 2.5)).toEqual([3n, FFLAG_NX]);
    expect(cvt(2, RDN, -2.5)).toEqual([-3n, FFLAG_NX]);
    expect(cvt(2, RUP, -2.5)).toEqual([-2n, FFLAG_NX]);
    expect(cvt(0, RTZ, 3e9)).toEqual([0x7fffffffn, FFLAG_NV]);
    expect(cvt(0, RTZ, NaN)).toEqual([0x7fffffffn, FFLAG_NV]);
    expect(cvt(1, RTZ, -1)).toEqual([0n, FFLAG_NV]);
    expect(cvt(1, RTZ, 4294967295)).toEqual([-1n, 0]); // wu results are sign-extended
    expect(cvt(2, RTZ, -(2 ** 63))).toEqual([-(1n << 63n), 0]);
    expect(cvt(2, RTZ, 2 ** 63)).toEqual([(1n << 63n) - 1n, FFLAG_NV]);
    expect(cvt(3, RTZ, 2 ** 63)).toEqual([-(1n << 63n), 0]); // 0x8000000000000000
    expect(cvt(3, RTZ, -0.5)).toEqual([0n, FFLAG_NX]);
  });

  it('converts from 64-bit integers, rounding above 2^53', () => {
    const { cpu } = execute([fp(CVT_FROM_INT, D, 3, 5, 2, RNE), fp(CVT_FROM_INT, D, 4, 6, 3, RNE), ebreak], (c) => {
      c.setRegister(5, (1n << 53n) + 1n);
      c.setRegister(6, -1n); // as unsigned: 2^64 - 1
    });
    expect(cpu.fpr.getDouble(3)).toBe(2 ** 53);
    expect(cpu.fpr.getDouble(4)).toBe(2 ** 64);
    expect(cpu.fpr.fflags).toBe(FFLAG_NX);
    const up = execute([fp(CVT_FROM_INT, D, 3, 5, 2, RUP), fp(CVT_FROM_INT, D, 4, 6, 3, RTZ), ebreak], (c) => {
      c.setRegister(5, (1n << 53n) + 1n);
      c.setRegister(6, -1n);
    }).cpu;
    expect(up.fpr.getDouble(3)).toBe(2 ** 53 + 2);
    expect(up.fpr.getDouble(4)).toBe(2 ** 64 - 2048); // the largest double below 2^64
  });

  it('compares quietly (feq) or signalling (flt, fle), and orders -0 below +0 in fmin', () => {
    expect(run1(fp(CMP, D, 5, 1, 2, 2), NaN, 1).fpr.fflags).toBe(0); // feq, quiet NaN
    const lt = run1(fp(CMP, D, 5, 1, 2, 1), NaN, 1);
    expect([lt.getRegister(5), lt.fpr.fflags]).toEqual([0n, FFLAG_NV]);
    expect(run1(fp(CMP, D, 5, 1, 2, 0), 1, 1).getRegister(5)).toBe(1n); // fle
    expect(Object.is(run1(fp(MINMAX, D, 3, 1, 2, 0), 0, -0).fpr.getDouble(3), -0)).toBe(true);
    expect(Object.is(run1(fp(MINMAX, D, 3, 1, 2, 1), -0, 0).fpr.getDouble(3), 0)).toBe(true);
    expect(run1(fp(MINMAX, D, 3, 1, 2, 0), NaN, 4).fpr.getDouble(3)).toBe(4);
  });

  it('injects signs on the raw bits and moves them to and from integer registers', () => {
    const neg = run1(fp(SGNJ, D, 3, 1, 1, 1), 2.5); // fneg.d
    expect(neg.fpr.getDouble(3)).toBe(-2.5);
    expect(run1(fp(SGNJ, D, 3, 1, 2, 2), -2.5, -1).fpr.getDouble(3)).toBe(2.5); // fsgnjx
    const mv = run1(fp(MV_X_CLASS, D, 5, 1, 0, 0), -2.5);
    expect(BigInt.asUintN(64, mv.getRegister(5))).toBe(doubleBits(-2.5));
    const back = execute([fp(MV_F_X, D, 3, 5, 0, 0), ebreak], (c) => c.setRegister(5, doubleBits(1.25))).cpu;
    expect(back.fpr.getDouble(3)).toBe(1.25);
  });

  it('classifies with fclass', () => {
    const cls = (x: number): bigint => run1(fp(MV_X_CLASS, D, 5, 1, 0, 1), x).getRegister(5);
    expect([-Infinity, -1, -1e-310, -0, 0, 1e-310, 1, Infinity, NaN].map(cls)).toEqual(
      [1n, 2n, 4n, 8n, 16n, 32n, 64n, 128n, 512n]);
  });

  it('fuses multiply-add: the product is not rounded before the addition', () => {
    // (1 + 2^-30)^2 - (1 + 2^-29) = 2^-60 exactly; a rounded product would give 0.
    const x = 1 + 2 ** -30;
    const { cpu } = execute([fmadd(D, 4, 1, 1, 3, RNE), ebreak], (c) => { c.fpr.setDouble(1, x); c.fpr.setDouble(3, -(1 + 2 ** -29)); });
    expect(cpu.fpr.getDouble(4)).toBe(2 ** -60);
    expect(cpu.fpr.fflags).toBe(0);
  });

  it('multiplies and adds exact products', () => {
    const { cpu } = execute([fmadd(D, 4, 1, 2, 3, RNE), ebreak], (c) => {
      c.fpr.setDouble(1, 3); c.fpr.setDouble(2, 4); c.fpr.setDouble(3, -2);
    });
    expect(cpu.fpr.getDouble(4)).toBe(10);
  });

  it('loads and stores doubles and reads/writes fflags and frm through CSRs', () => {
    const { cpu, memory } = execute([
      lui(10, DATA_BASE >> 12), fld(1, 10, 8), fsd(1, 10, 16),
      fp(DIV, D, 3, 1, 0, RNE), // x / 0: DZ
      csrrs(5, FFLAGS, 0), csrrwi(6, FRM, RUP), csrrs(7, 0x003, 0),
      ebreak,
    ], (_, m) => { m.store32(DATA_BASE + 8, 0); m.store32(DATA_BASE + 12, 0x40090000); }); // 3.125
    expect(cpu.fpr.getDouble(1)).toBe(3.125);
    expect(memory.load32(DATA_BASE + 20)).toBe(0x40090000);
    expect(cpu.getRegister(5)).toBe(BigInt(FFLAG_DZ));
    expect(cpu.getRegister(6)).toBe(0n);
    expect(cpu.getRegister(7)).toBe(BigInt((RUP << 5) | FFLAG_DZ));
  });
});

describe('F extension', () => {
  it('NaN-boxes singles: loads and results have the upper 32 bits set', () => {
    const { cpu } = execute([lui(10, DATA_BASE >> 12), flw(1, 10, 0), fp(ADD, S, 2, 1, 1, RNE), ebreak], (_, m) => m.store32(DATA_BASE, 0x3fc00000)); // 1.5f
    expect(bitsOf(cpu, 1)).toBe(0xffffffff3fc00000n);
    expect(bitsOf(cpu, 2)).toBe(0xffffffff40400000n); // 3.0f
  });

  it('reads a register that is not a boxed single as the canonical NaN', () => {
    const cpu = run1(fp(ADD, S, 3, 1, 1, RNE), 1.5); // f1 holds a double
    expect(bitsOf(cpu, 3)).toBe(0xffffffff7fc00000n);
    expect(cpu.fpr.fflags).toBe(0); // a quiet NaN operand raises nothing
  });

  it('rounds single arithmetic to single precision with NX', () => {
    const { cpu } = execute([fp(DIV, S, 3, 1, 2, RNE), fp(DIV, S, 4, 1, 2, RTZ), ebreak], (c) => {
      c.fpr.setSingle(1, 1); c.fpr.setSingle(2, 3);
    });
    expect(cpu.fpr.getSingle(3)).toBe(Math.fround(1 / 3));
    expect(cpu.fpr.getSingle(4)).toBeLessThanOrEqual(1 / 3);
    expect(cpu.fpr.fflags).toBe(FFLAG_NX);
  });

  it('converts between single and double, and moves singles sign-extended to integer registers', () => {
    const { cpu } = execute([fp(CVT_FF, S, 3, 1, 1, RNE), fp(CVT_FF, D, 4, 3, 0, RNE), fp(MV_X_CLASS, S, 5, 3, 0, 0), ebreak], (c) => {
      c.fpr.setDouble(1, -0.1);
    });
    expect(cpu.fpr.getSingle(3)).toBe(Math.fround(-0.1));
    expect(cpu.fpr.getDouble(4)).toBe(Math.fround(-0.1));
    expect(cpu.getRegister(5)).toBe(BigInt(new Int32Array(new Float32Array([-0.1]).buffer)[0]!));
    expect(cpu.fpr.fflags).toBe(FFLAG_NX);
  });
});

describe('fpr.dirty (sstatus.FS Dirty)', () => {
  const T0 = 5, A0 = 10;
  const cases: [string, Program, boolean][] = [
    ['integer code', [addi(T0, T0, 1), addi(A0, 0, 3), ebreak], false],
    ['an F/D operation', [encodeR(0x53, 3, 0, T0, 0, 0x79), ebreak], true], // fmv.d.x f3, t0
    ['flw', [lui(A0, DATA_BASE >> 12), flw(2, A0, 8), ebreak], true],
    ['fld', [lui(A0, DATA_BASE >> 12), fld(2, A0, 8), ebreak], true],
    ['a write to fflags', [csrrwi(0, 0x001, 3), ebreak], true],
    ['a read of fcsr', [csrrs(T0, 0x003, 0), ebreak], false],
    ['fsd (a store reads the register)', [lui(A0, DATA_BASE >> 12), fsd(2, A0, 8), ebreak], false],
  ];
  it.each(cases)('%s, interpreted and compiled', (_what, program, dirty) => {
    for (const jit of [false, true]) {
      const { cpu } = machine(program, { jit, jitThreshold: 1 });
      expect(cpu.run(100).kind).toBe('ebreak');
      expect(cpu.fpr.dirty).toBe(dirty);
    }
  });
});
