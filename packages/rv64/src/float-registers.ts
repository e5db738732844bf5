// The F/D register file: 32 registers of 64 bits in one buffer with three
// views, so a double, a NaN-boxed single and the raw bits are all one typed
// array access away. Registers hold raw IEEE-754 bits (fmv.x.d reads them).

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  // The views below alias lo/hi words; a big-endian host would swap them.
  throw new Error('@tskern/rv64 needs a little-endian host');
}

/** fflags bits (the F chapter's "Accrued exception flag encoding"). */
export const FFLAG_NX = 1, FFLAG_UF = 2, FFLAG_OF = 4, FFLAG_DZ = 8, FFLAG_NV = 16;

export class FloatRegisters {
  readonly buffer = new ArrayBuffer(32 * 8);
  readonly f64 = new Float64Array(this.buffer);
  readonly f32 = new Float32Array(this.buffer);
  /** i32[2r] is the low word of register r, i32[2r + 1] the high word. */
  readonly i32 = new Int32Array(this.buffer);
  /** Accrued exception flags (NV DZ OF UF NX). */
  fflags = 0;
  /** The dynamic rounding mode (0 RNE, 1 RTZ, 2 RDN, 3 RUP, 4 RMM). */
  frm = 0;
  /**
   * The F/D state may have changed since its owner last cleared this: set
   * by every instruction that can write an F/D register, fflags or frm
   * (any F/D operation, flw/fld, a write to fflags, frm or fcsr), as the
   * hardware sets sstatus.FS to Dirty. A driver that saves the registers
   * into a context clears it and can skip the copy while it stays clear,
   * as Linux's fstate_save does for a task whose FS is not Dirty
   * (arch/riscv/include/asm/switch_to.h).
   */
  dirty = false;

  /** A single from register r: a register that is not a NaN-boxed single reads as the canonical NaN. */
  getSingle(r: number): number {
    return this.i32[r * 2 + 1] === -1 ? this.f32[r * 2]! : NaN;
  }

  /** Writes a single NaN-boxed; a NaN result is the canonical NaN 0x7fc00000. */
  setSingle(r: number, v: number): void {
    if (v !== v) this.i32[r * 2] = 0x7fc00000;
    else this.f32[r * 2] = v;
    this.i32[r * 2 + 1] = -1;
  }

  getDouble(r: number): number {
    return this.f64[r]!;
  }

  /** Writes a double; a NaN result is the canonical NaN 0x7ff8000000000000. */
  setDouble(r: number, v: number): void {
    if (v !== v) { this.i32[r * 2] = 0; this.i32[r * 2 + 1] = 0x7ff80000; }
    else this.f64[r] = v;
  }
}
