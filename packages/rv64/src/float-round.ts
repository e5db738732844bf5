// Rounding helpers for the F and D extensions. JavaScript arithmetic rounds
// to nearest-even only; the other RISC-V rounding modes are derived from the
// nearest result and the sign of its error (exact value minus result), which
// the callers compute exactly with error-free transformations.
const scratch = new ArrayBuffer(8);
const s64 = new Float64Array(scratch);
const s32f = new Float32Array(scratch);
const si = new Int32Array(scratch);

export const MAX_DOUBLE = Number.MAX_VALUE;
export const MAX_SINGLE = 3.4028234663852886e38;
export const MIN_NORMAL_DOUBLE = 2.2250738585072014e-308;
export const MIN_NORMAL_SINGLE = 1.1754943508222875e-38;

/** The next representable value above (up) or below r, in double or single precision. */
export function step(r: number, up: boolean, single: boolean): number {
  if (r === 0) {
    const tiny = single ? 1.401298464324817e-45 : 5e-324;
    return up ? tiny : -tiny;
  }
  const away = (r > 0) === up ? 1 : -1; // +1 grows the magnitude
  if (single) {
    s32f[0] = r;
    si[0] = si[0]! + away;
    return s32f[0]!;
  }
  s64[0] = r;
  const lo = si[0]! >>> 0;
  const nlo = lo + away;
  si[0] = nlo;
  si[1] = si[1]! + (nlo > 0xffffffff ? 1 : nlo < 0 ? -1 : 0);
  return s64[0]!;
}

/**
 * Applies rounding mode rm (1 RTZ, 2 RDN, 3 RUP; 0 RNE and 4 RMM keep the
 * nearest result, RMM differing only on exact ties) to a nearest-rounded
 * finite or overflowed result r whose error has sign errSign.
 */
export function directed(r: number, errSign: number, rm: number, single: boolean): number {
  if (rm === 0 || rm === 4 || errSign === 0 || r !== r) return r;
  if (r === Infinity || r === -Infinity) {
    // Overflow: directed modes stop at the largest finite value on their side.
    const max = single ? MAX_SINGLE : MAX_DOUBLE;
    if (rm === 1 || (rm === 2 && r > 0) || (rm === 3 && r < 0)) return r > 0 ? max : -max;
    return r;
  }
  if (rm === 1) return (errSign > 0) !== (r > 0) && r !== 0 ? step(r, r < 0, single) : r;
  if (rm === 2) return errSign < 0 ? step(r, false, single) : r;
  return errSign > 0 ? step(r, true, single) : r;
}

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter

/** The exact error of the product a * b rounded to double (Dekker's TwoProduct). */
export function productError(a: number, b: number, p: number): number {
  const ca = SPLIT * a, ah = ca - (ca - a), al = a - ah;
  const cb = SPLIT * b, bh = cb - (cb - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** The exact error of the sum a + b rounded to double (Knuth's TwoSum). */
export function sumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/** Rounds x to an integer in rounding mode rm (for float-to-integer conversions). */
export function roundToInteger(x: number, rm: number): number {
  switch (rm) {
    case 1: return Math.trunc(x);
    case 2: return Math.floor(x);
    case 3: return Math.ceil(x);
    case 4: return x < 0 ? -Math.round(-x) : Math.round(x); // ties away from zero
    default: {
      const f = Math.floor(x);
      const d = x - f;
      if (d > 0.5) return f + 1;
      if (d < 0.5) return f;
      return f % 2 === 0 ? f : f + 1;
    }
  }
}
