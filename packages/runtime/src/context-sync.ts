import type { Rv64Cpu } from '@tskern/rv64';
import type { Riscv64UserContext } from '@tskern/syscall';

const TWO32 = 2 ** 32;
/** Where fcsr sits in `union __riscv_fp_state` (the D layout: f[32] of 8 bytes, then fcsr), in 32-bit words. */
const FCSR_WORD = 64;

/**
 * A task's riscv64 user context seen as 32-bit words, so registers move
 * between it and the CPU's int32 halves without BigInt: `regs[2i]` is the
 * low word of register i (i = 0 is pc), `fp` the first 256 bytes of the FP
 * state (f0..f31), `fcsr[0]` its control word (a typed array's word, not a
 * DataView: the DataView store was most of a trap's save; the host's byte
 * order is little-endian, as the regs view already assumes).
 */
export interface ContextWords {
  readonly ctx: Riscv64UserContext;
  readonly regs: Int32Array;
  readonly fp: Int32Array;
  readonly fcsr: Int32Array;
}

export function contextWords(ctx: Riscv64UserContext): ContextWords {
  return {
    ctx,
    regs: new Int32Array(ctx.regs.buffer, ctx.regs.byteOffset, 64),
    fp: new Int32Array(ctx.fp.buffer, ctx.fp.byteOffset, FCSR_WORD),
    fcsr: new Int32Array(ctx.fp.buffer, ctx.fp.byteOffset + FCSR_WORD * 4, 1),
  };
}

/**
 * The trap entry: the CPU's registers are saved into the context (pt_regs
 * and the FP state). The FP state is copied only when an instruction may
 * have changed it since the last save or restore (`fpr.dirty`, the FS Dirty
 * bit Linux's fstate_save checks): otherwise the context already holds it,
 * and the copy was a third of a trap's save in a futex ping-pong.
 */
export function saveContext(cpu: Rv64Cpu, w: ContextWords): void {
  const regs = w.regs;
  const pc = cpu.pc;
  // ToInt32 is the low word of an integer (pc is one, below 2^53 in
  // magnitude); `pc % 2^32` was a call to fmod.
  regs[0] = pc | 0;
  regs[1] = Math.floor(pc / TWO32) | 0;
  const xlo = cpu.xlo, xhi = cpu.xhi;
  for (let i = 1, j = 2; i < 32; i++, j += 2) {
    regs[j] = xlo[i]!;
    regs[j + 1] = xhi[i]!;
  }
  const fpr = cpu.fpr;
  if (fpr.dirty) {
    w.fp.set(fpr.i32);
    w.fcsr[0] = ((fpr.frm & 7) << 5) | (fpr.fflags & 0x1f);
    fpr.dirty = false;
  }
}

/** The return to user mode: the CPU resumes from the context (which a signal frame or rt_sigreturn may have changed). */
export function restoreContext(cpu: Rv64Cpu, w: ContextWords): void {
  const regs = w.regs;
  cpu.pc = (regs[1]! >>> 0) * TWO32 + (regs[0]! >>> 0);
  const xlo = cpu.xlo, xhi = cpu.xhi;
  for (let i = 1; i < 32; i++) {
    xlo[i] = regs[2 * i]!;
    xhi[i] = regs[2 * i + 1]!;
  }
  cpu.fpr.i32.set(w.fp);
  const fcsr = w.fcsr[0]!;
  cpu.fpr.fflags = fcsr & 0x1f;
  cpu.fpr.frm = (fcsr >> 5) & 7;
  cpu.fpr.dirty = false;
}
