// The F and D extensions (IEEE-754 binary32/binary64 with NaN-boxed singles,
// the RISC-V canonical NaN, fflags and the static or dynamic rounding mode).
import { FFLAG_DZ, FFLAG_NV, FFLAG_NX, FFLAG_OF, FFLAG_UF, type FloatRegisters } from './float-registers.js';
import {
  MIN_NORMAL_DOUBLE, MIN_NORMAL_SINGLE, directed, productError, roundToInteger, sumError,
} from './float-round.js';
import { Op } from './op.js';

const TWO32 = 4294967296;

function isSignalingS(fr: FloatRegisters, r: number): boolean {
  const lo = fr.i32[r * 2]!;
  return fr.i32[r * 2 + 1] === -1 && (lo & 0x7fc00000) === 0x7f800000 && (lo & 0x003fffff) !== 0;
}

function isSignalingD(fr: FloatRegisters, r: number): boolean {
  const hi = fr.i32[r * 2 + 1]!;
  return (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x0007ffff) !== 0 || fr.i32[r * 2] !== 0);
}

/** Sign of a number as -1, 0 or 1 (0 for NaN). */
function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/**
 * add (0), sub (1), mul (2), div (3), sqrt (4) rounded in mode rm, raising
 * NV, DZ, OF, UF and NX as the F chapter specifies.
 */
function arithmetic(fr: FloatRegisters, kind: number, a: number, b: number, rm: number, single: boolean): number {
  let r: number;
  let err = 0; // sign of (exact - rounded)
  let flags = 0;
  switch (kind) {
    case 0: case 1: {
      if (kind === 1) b = -b;
      const d = a + b;
      r = single ? Math.fround(d) : d;
      if (r !== r) { if (a === a && b === b) flags |= FFLAG_NV; break; }
      const e = Number.isFinite(d) ? sumError(a, b, d) : 0;
      err = single ? sign((d - r) + e) : sign(e);
      break;
    }
    case 2: {
      const p = a * b;
      r = single ? Math.fround(p) : p;
      if (r !== r) { if (a === a && b === b) flags |= FFLAG_NV; break; }
      err = single ? sign(p - r) : Number.isFinite(p) ? sign(productError(a, b, p)) : 0;
      break;
    }
    case 3: {
      const q = a / b;
      r = single ? Math.fround(q) : q;
      if (r !== r) { if (a === a && b === b) flags |= FFLAG_NV; break; }
      if (b === 0) { if (Number.isFinite(a)) flags |= FFLAG_DZ; break; }
      if (Number.isFinite(r) && r !== 0 && Number.isFinite(a)) {
        const p = r * b;
        const residual = single ? a - p : (a - p) - productError(r, b, p);
        err = sign(residual) * sign(b);
      } else if (r === 0 && a !== 0 && Number.isFinite(b)) {
        err = sign(a) * sign(b);
      }
      break;
    }
    default: {
      const s = Math.sqrt(a);
      r = single ? Math.fround(s) : s;
      if (r !== r) { if (a === a) flags |= FFLAG_NV; break; }
      if (Number.isFinite(r) && r !== 0) {
        const p = r * r;
        err = sign(single ? a - p : (a - p) - productError(r, r, p));
      }
    }
  }
  if (r === r) {
    const overflow = !Number.isFinite(r) && Number.isFinite(a) && Number.isFinite(b) && (flags & FFLAG_DZ) === 0;
    if (overflow) flags |= FFLAG_OF | FFLAG_NX;
    if (err !== 0) {
      flags |= FFLAG_NX;
      r = directed(r, err, rm, single);
      if (Math.abs(r) < (single ? MIN_NORMAL_SINGLE : MIN_NORMAL_DOUBLE)) flags |= FFLAG_UF;
    } else if (overflow) {
      r = directed(r, sign(r), rm, single);
    }
  }
  fr.fflags |= flags;
  return r;
}

/** Float to integer (fcvt.w/wu/l/lu): out-of-range and NaN saturate with NV, as the F chapter's table. */
function toInteger(fr: FloatRegisters, x: number, rm: number, kind: number, xl: Int32Array, xh: Int32Array, rd: number): void {
  const min = kind === 0 ? -2147483648 : kind === 2 ? -9223372036854775808 : 0;
  const maxExclusive = kind === 0 ? 2147483648 : kind === 1 ? 4294967296 : kind === 2 ? 9223372036854775808 : 18446744073709551616;
  let v: number;
  if (x !== x) { fr.fflags |= FFLAG_NV; v = Infinity; }
  else {
    const r = roundToInteger(x, rm);
    if (r < min || r >= maxExclusive) { fr.fflags |= FFLAG_NV; v = r < min ? -Infinity : Infinity; }
    else { if (r !== x) fr.fflags |= FFLAG_NX; v = r; }
  }
  let lo: number, hi: number;
  if (v === Infinity) {
    if (kind === 0) { lo = 0x7fffffff; hi = 0; }
    else if (kind === 2) { lo = -1; hi = 0x7fffffff; }
    else { lo = -1; hi = -1; } // WU saturates to 0xffffffff, sign-extended
  } else if (v === -Infinity) {
    if (kind === 2) { lo = 0; hi = -0x80000000; }
    else { lo = kind === 0 ? -0x80000000 : 0; hi = kind === 0 ? -1 : 0; }
  } else if (kind < 2) {
    lo = v | 0; hi = lo >> 31; // 32-bit results are sign-extended, WU included
  } else {
    hi = Math.floor(v / TWO32);
    lo = v - hi * TWO32;
  }
  xl[rd] = lo; xh[rd] = hi;
}

/** Integer (w, wu, l, lu) in register rs1 as a number, rounded to double once. */
function fromInteger(xl: Int32Array, xh: Int32Array, rs1: number, kind: number): number {
  const lo = xl[rs1]!;
  switch (kind) {
    case 0: return lo;
    case 1: return lo >>> 0;
    case 2: return xh[rs1]! * TWO32 + (lo >>> 0);
    default: return (xh[rs1]! >>> 0) * TWO32 + (lo >>> 0);
  }
}

function classify(x: number, negative: boolean, signaling: boolean, single: boolean): number {
  if (x !== x) return signaling ? 1 << 8 : 1 << 9;
  if (x === Infinity) return 1 << 7;
  if (x === -Infinity) return 1 << 0;
  if (x === 0) return negative ? 1 << 3 : 1 << 4;
  const subnormal = Math.abs(x) < (single ? MIN_NORMAL_SINGLE : MIN_NORMAL_DOUBLE);
  if (negative) return subnormal ? 1 << 2 : 1 << 1;
  return subnormal ? 1 << 5 : 1 << 6;
}

/**
 * Executes one F/D operation. rm is the instruction's rounding-mode field (7
 * selects frm). Returns false for an invalid rounding mode (SIGILL).
 */
export function executeFloat(
  fr: FloatRegisters, xl: Int32Array, xh: Int32Array, op: number, rd: number, rs1: number, rs2: number, rs3: number, rmField: number,
): boolean {
  fr.dirty = true;
  const rm = rmField === 7 ? fr.frm : rmField;
  if (rm > 4) return false;
  const i32 = fr.i32;
  switch (op) {
    case Op.FaddS: case Op.FsubS: case Op.FmulS: case Op.FdivS: case Op.FsqrtS: {
      if (isSignalingS(fr, rs1) || (op !== Op.FsqrtS && isSignalingS(fr, rs2))) fr.fflags |= FFLAG_NV;
      fr.setSingle(rd, arithmetic(fr, op - Op.FaddS, fr.getSingle(rs1), fr.getSingle(rs2), rm, true));
      return true;
    }
    case Op.FaddD: case Op.FsubD: case Op.FmulD: case Op.FdivD: case Op.FsqrtD: {
      if (isSignalingD(fr, rs1) || (op !== Op.FsqrtD && isSignalingD(fr, rs2))) fr.fflags |= FFLAG_NV;
      fr.setDouble(rd, arithmetic(fr, op - Op.FaddD, fr.getDouble(rs1), fr.getDouble(rs2), rm, false));
      return true;
    }
    case Op.FmaddS: case Op.FmsubS: case Op.FnmsubS: case Op.FnmaddS:
    case Op.FmaddD: case Op.FmsubD: case Op.FnmsubD: case Op.FnmaddD: {
      const single = op <= Op.FnmaddS;
      const k = op - (single ? Op.FmaddS : Op.FmaddD);
      const get = (r: number): number => (single ? fr.getSingle(r) : fr.getDouble(r));
      const sig = single ? isSignalingS : isSignalingD;
      if (sig(fr, rs1) || sig(fr, rs2) || sig(fr, rs3)) fr.fflags |= FFLAG_NV;
      const a = get(rs1), b = get(rs2), c = get(rs3);
      // The product of two singles is exact in a double. For doubles the
      // product's rounding error is carried separately (TwoProduct) and added
      // back after the sum, which fuses the operation except in rare double
      // rounding cases.
      let p = a * b;
      let e = !single && Number.isFinite(p) && p !== 0 ? productError(a, b, p) : 0;
      if (k >= 2) { p = -p; e = -e; }
      const addend = k === 1 || k === 3 ? -c : c;
      if ((a === 0 && !Number.isFinite(b) && b === b) || (b === 0 && !Number.isFinite(a) && a === a)) fr.fflags |= FFLAG_NV;
      let r: number;
      if (e !== 0 && Number.isFinite(addend)) {
        const s = p + addend;
        const tail = sumError(p, addend, s) + e;
        r = s + tail;
        const err = sign((s - r) + tail);
        if (err !== 0) {
          fr.fflags |= FFLAG_NX;
          r = directed(r, err, rm, false);
          if (Math.abs(r) < MIN_NORMAL_DOUBLE) fr.fflags |= FFLAG_UF;
        }
      } else {
        r = arithmetic(fr, 0, p, addend, rm, single);
      }
      if (single) fr.setSingle(rd, r); else fr.setDouble(rd, r);
      return true;
    }
    case Op.FsgnjS: case Op.FsgnjnS: case Op.FsgnjxS: {
      const a = i32[rs1 * 2 + 1] === -1 ? i32[rs1 * 2]! : 0x7fc00000;
      const b = i32[rs2 * 2 + 1] === -1 ? i32[rs2 * 2]! : 0x7fc00000;
      const s = op === Op.FsgnjS ? b : op === Op.FsgnjnS ? ~b : a ^ b;
      i32[rd * 2] = (a & 0x7fffffff) | (s & 0x80000000);
      i32[rd * 2 + 1] = -1;
      return true;
    }
    case Op.FsgnjD: case Op.FsgnjnD: case Op.FsgnjxD: {
      const a = i32[rs1 * 2 + 1]!, b = i32[rs2 * 2 + 1]!;
      const s = op === Op.FsgnjD ? b : op === Op.FsgnjnD ? ~b : a ^ b;
      i32[rd * 2] = i32[rs1 * 2]!;
      i32[rd * 2 + 1] = (a & 0x7fffffff) | (s & 0x80000000);
      return true;
    }
    case Op.FminS: case Op.FmaxS: case Op.FminD: case Op.FmaxD: {
      const single = op === Op.FminS || op === Op.FmaxS;
      const max = op === Op.FmaxS || op === Op.FmaxD;
      const sig = single ? isSignalingS : isSignalingD;
      if (sig(fr, rs1) || sig(fr, rs2)) fr.fflags |= FFLAG_NV;
      const a = single ? fr.getSingle(rs1) : fr.getDouble(rs1);
      const b = single ? fr.getSingle(rs2) : fr.getDouble(rs2);
      let r: number;
      if (a !== a) r = b; else if (b !== b) r = a;
      else if (a === b) r = max ? (Object.is(a, -0) ? b : a) : (Object.is(a, -0) ? a : b); // -0 < +0
      else r = max ? Math.max(a, b) : Math.min(a, b);
      if (single) fr.setSingle(rd, r); else fr.setDouble(rd, r);
      return true;
    }
    case Op.FeqS: case Op.FltS: case Op.FleS: case Op.FeqD: case Op.FltD: case Op.FleD: {
      const single = op <= Op.FleS;
      const k = op - (single ? Op.FeqS : Op.FeqD);
      const a = single ? fr.getSingle(rs1) : fr.getDouble(rs1);
      const b = single ? fr.getSingle(rs2) : fr.getDouble(rs2);
      const sig = single ? isSignalingS : isSignalingD;
      // feq is a quiet comparison; flt and fle signal on any NaN.
      if (k === 0 ? sig(fr, rs1) || sig(fr, rs2) : a !== a || b !== b) fr.fflags |= FFLAG_NV;
      xl[rd] = (k === 0 ? a === b : k === 1 ? a < b : a <= b) ? 1 : 0;
      xh[rd] = 0;
      return true;
    }
    case Op.FclassS:
      xl[rd] = classify(fr.getSingle(rs1), fr.i32[rs1 * 2 + 1] === -1 && i32[rs1 * 2]! < 0, isSignalingS(fr, rs1), true);
      xh[rd] = 0;
      return true;
    case Op.FclassD:
      xl[rd] = classify(fr.getDouble(rs1), i32[rs1 * 2 + 1]! < 0, isSignalingD(fr, rs1), false);
      xh[rd] = 0;
      return true;
    case Op.FmvXW: { const v = i32[rs1 * 2]!; xl[rd] = v; xh[rd] = v >> 31; return true; }
    case Op.FmvWX: i32[rd * 2] = xl[rs1]!; i32[rd * 2 + 1] = -1; return true;
    case Op.FmvXD: xl[rd] = i32[rs1 * 2]!; xh[rd] = i32[rs1 * 2 + 1]!; return true;
    case Op.FmvDX: i32[rd * 2] = xl[rs1]!; i32[rd * 2 + 1] = xh[rs1]!; return true;
    case Op.FcvtWS: case Op.FcvtWuS: case Op.FcvtLS: case Op.FcvtLuS:
      toInteger(fr, fr.getSingle(rs1), rm, op - Op.FcvtWS, xl, xh, rd);
      return true;
    case Op.FcvtWD: case Op.FcvtWuD: case Op.FcvtLD: case Op.FcvtLuD:
      toInteger(fr, fr.getDouble(rs1), rm, op - Op.FcvtWD, xl, xh, rd);
      return true;
    case Op.FcvtSW: case Op.FcvtSWu: case Op.FcvtSL: case Op.FcvtSLu: {
      const v = fromInteger(xl, xh, rs1, op - Op.FcvtSW);
      const r = Math.fround(v);
      if (r !== v) fr.fflags |= FFLAG_NX;
      fr.setSingle(rd, directed(r, sign(v - r), rm, true));
      return true;
    }
    case Op.FcvtDW: case Op.FcvtDWu: case Op.FcvtDL: case Op.FcvtDLu: {
      const kind = op - Op.FcvtDW;
      let v = fromInteger(xl, xh, rs1, kind);
      if (kind >= 2 && Math.abs(v) >= 9007199254740992) {
        // Above 2^53 the conversion rounded: the sign of (exact - v) from the
        // exact halves picks the direction for RTZ, RDN and RUP.
        const hiV = Math.floor(v / TWO32);
        const hi = kind === 2 ? xh[rs1]! : xh[rs1]! >>> 0;
        const err = sign((hi - hiV) * TWO32 + ((xl[rs1]! >>> 0) - (v - hiV * TWO32)));
        if (err !== 0) {
          fr.fflags |= FFLAG_NX;
          v = directed(v, err, rm, false);
        }
      }
      fr.setDouble(rd, v);
      return true;
    }
    case Op.FcvtSD: {
      if (isSignalingD(fr, rs1)) fr.fflags |= FFLAG_NV;
      const d = fr.getDouble(rs1);
      let r = Math.fround(d);
      if (d === d && r !== d) {
        fr.fflags |= FFLAG_NX;
        if (!Number.isFinite(r) && Number.isFinite(d)) fr.fflags |= FFLAG_OF;
        r = directed(r, sign(d - r), rm, true);
        if (Math.abs(r) < MIN_NORMAL_SINGLE) fr.fflags |= FFLAG_UF;
      }
      fr.setSingle(rd, r);
      return true;
    }
    case Op.FcvtDS:
      if (isSignalingS(fr, rs1)) fr.fflags |= FFLAG_NV;
      fr.setDouble(rd, fr.getSingle(rs1));
      return true;
    default:
      return false;
  }
}
