// 64-bit multiply and divide on (lo, hi) int32 pairs, exact and without
// BigInt on the common path. Results go to `out` (out[0] = lo, out[1] = hi)
// so the interpreter allocates nothing.

const TWO32 = 4294967296;

/** High 32 bits of the unsigned 64-bit product of two uint32 values (as int32). */
export function mulhu32(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const lh = al * bh;
  const hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

/** Low 64 bits of a * b (MUL): the same for signed and unsigned operands. */
export function mul64(alo: number, ahi: number, blo: number, bhi: number, out: Int32Array): void {
  out[0] = Math.imul(alo, blo);
  out[1] = (mulhu32(alo, blo) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
}

/** High 64 bits of the unsigned 128-bit product (MULHU). */
export function mulhu64(alo: number, ahi: number, blo: number, bhi: number, out: Int32Array): void {
  const p00h = mulhu32(alo, blo) >>> 0;
  const p01l = Math.imul(alo, bhi) >>> 0;
  const p01h = mulhu32(alo, bhi) >>> 0;
  const p10l = Math.imul(ahi, blo) >>> 0;
  const p10h = mulhu32(ahi, blo) >>> 0;
  const p11l = Math.imul(ahi, bhi) >>> 0;
  const p11h = mulhu32(ahi, bhi);
  const c1 = Math.floor((p00h + p01l + p10l) / TWO32);
  const w2 = p01h + p10h + p11l + c1;
  const c2 = Math.floor(w2 / TWO32);
  out[0] = w2 | 0;
  out[1] = (p11h + c2) | 0;
}

function subFrom(out: Int32Array, lo: number, hi: number): void {
  const olo = out[0]!;
  const borrow = (olo >>> 0) < (lo >>> 0) ? 1 : 0;
  out[0] = (olo - lo) | 0;
  out[1] = (out[1]! - hi - borrow) | 0;
}

/** High 64 bits of the signed x signed product (MULH). */
export function mulh64(alo: number, ahi: number, blo: number, bhi: number, out: Int32Array): void {
  mulhu64(alo, ahi, blo, bhi, out);
  // Reading a negative operand as unsigned adds 2^64 times the other one.
  if (ahi < 0) subFrom(out, blo, bhi);
  if (bhi < 0) subFrom(out, alo, ahi);
}

/** High 64 bits of the signed a x unsigned b product (MULHSU). */
export function mulhsu64(alo: number, ahi: number, blo: number, bhi: number, out: Int32Array): void {
  mulhu64(alo, ahi, blo, bhi, out);
  if (ahi < 0) subFrom(out, blo, bhi);
}

/** Writes a number that is an exact integer of magnitude below 2^53 as a pair. */
export function setPair(out: Int32Array, v: number): void {
  out[0] = v | 0;
  out[1] = Math.floor(v / TWO32) | 0;
}

// Operands whose magnitude is below 2^52 divide exactly as doubles after one
// correction step: |q * b| <= |a| + |b| < 2^53 keeps the remainder exact.
const SMALL = 1 << 20;

function toBig(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

function fromBig(v: bigint, out: Int32Array): void {
  out[0] = Number(BigInt.asIntN(32, v));
  out[1] = Number(BigInt.asIntN(32, v >> 32n));
}

/**
 * Signed 64-bit DIV (rem = false) or REM (rem = true) with the results Linux
 * programs see: x / 0 = -1, x % 0 = x, INT64_MIN / -1 = INT64_MIN with
 * remainder 0 (the RISC-V spec, no trap).
 */
export function divrem64(alo: number, ahi: number, blo: number, bhi: number, rem: boolean, out: Int32Array): void {
  if (blo === 0 && bhi === 0) {
    if (rem) { out[0] = alo; out[1] = ahi; } else { out[0] = -1; out[1] = -1; }
    return;
  }
  if (ahi >= -SMALL && ahi < SMALL && bhi >= -SMALL && bhi < SMALL) {
    const a = ahi * TWO32 + (alo >>> 0);
    const b = bhi * TWO32 + (blo >>> 0);
    let q = Math.trunc(a / b);
    let r = a - q * b;
    // Truncating division: the remainder has the dividend's sign and |r| < |b|.
    const step = (a < 0) === (b < 0) ? 1 : -1;
    if (r !== 0 && (r < 0) !== (a < 0)) { q -= step; r = a - q * b; }
    else if (Math.abs(r) >= Math.abs(b)) { q += step; r = a - q * b; }
    setPair(out, rem ? r : q);
    return;
  }
  if (ahi === -0x80000000 && alo === 0 && blo === -1 && bhi === -1) {
    if (rem) { out[0] = 0; out[1] = 0; } else { out[0] = alo; out[1] = ahi; }
    return;
  }
  const a = BigInt.asIntN(64, toBig(alo, ahi));
  const b = BigInt.asIntN(64, toBig(blo, bhi));
  fromBig(rem ? a % b : a / b, out);
}

/** Unsigned 64-bit DIVU / REMU: x / 0 = 2^64 - 1, x % 0 = x. */
export function divremu64(alo: number, ahi: number, blo: number, bhi: number, rem: boolean, out: Int32Array): void {
  if (blo === 0 && bhi === 0) {
    if (rem) { out[0] = alo; out[1] = ahi; } else { out[0] = -1; out[1] = -1; }
    return;
  }
  if (ahi >= 0 && ahi < SMALL && bhi >= 0 && bhi < SMALL) {
    const a = ahi * TWO32 + (alo >>> 0);
    const b = bhi * TWO32 + (blo >>> 0);
    let q = Math.floor(a / b);
    let r = a - q * b;
    if (r < 0) { q -= 1; r += b; } else if (r >= b) { q += 1; r -= b; }
    setPair(out, rem ? r : q);
    return;
  }
  const a = BigInt.asUintN(64, toBig(alo, ahi));
  const b = BigInt.asUintN(64, toBig(blo, bhi));
  fromBig(rem ? a % b : a / b, out);
}
