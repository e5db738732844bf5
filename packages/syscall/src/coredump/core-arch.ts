import { isRiscv64UserContext } from '../arch/riscv64-signal-frame';
import { isX86_64UserContext } from '../arch/x86-64-signal-frame';
import { EM } from './elf-core-file';

/** What a core file records differently per architecture: e_machine and the register notes' bytes. */
export interface CoreArch {
  readonly machine: number;
  /** elf_gregset_t of a task's user context (zeros when the task has none of this architecture). */
  gregs(ctx: unknown): Uint8Array;
  /** The NT_PRFPREG descriptor, or null when tskern writes none for the architecture. */
  fpregs(ctx: unknown): Uint8Array | null;
}

/** ELF_NGREG * 8 on riscv64: pc and x1..x31 (struct user_regs_struct). */
const RV_GREGS = 32 * 8;
/** ELF_NFPREG * 8 on riscv64: f0..f31 and fcsr (struct __riscv_d_ext_state, padded to 8). */
const RV_FPREGS = 33 * 8;
/** ELF_NGREG * 8 on x86-64: the 27 words of struct user_regs_struct. */
const X86_GREGS = 27 * 8;

function wordsOf(regs: BigUint64Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(new Uint8Array(regs.buffer, regs.byteOffset, Math.min(size, regs.byteLength)));
  return out;
}

/**
 * riscv64 (arch/riscv/kernel/ptrace.c riscv_user_native_view): EM_RISCV,
 * REGSET_X as NT_PRSTATUS's registers and REGSET_F as NT_PRFPREG.
 */
const riscv64: CoreArch = {
  machine: EM.EM_RISCV,
  gregs: (ctx) => (isRiscv64UserContext(ctx) ? wordsOf(ctx.regs, RV_GREGS) : new Uint8Array(RV_GREGS)),
  fpregs: (ctx) => {
    if (!isRiscv64UserContext(ctx)) return null;
    const out = new Uint8Array(RV_FPREGS);
    out.set(ctx.fp.subarray(0, 32 * 8 + 4)); // fcsr is a u32; the rest of its word stays 0
    return out;
  },
};

/**
 * x86-64: EM_X86_64 and the general registers; the FPU and xstate notes
 * (NT_PRFPREG, NT_X86_XSTATE) are not written, tskern keeps no x86 FPU state.
 */
const x86_64: CoreArch = {
  machine: EM.EM_X86_64,
  gregs: (ctx) => (isX86_64UserContext(ctx) ? wordsOf(ctx.regs, X86_GREGS) : new Uint8Array(X86_GREGS)),
  fpregs: () => null,
};

/** The core layout of an architecture by its uname machine name, or undefined for one tskern cannot dump. */
export function coreArchOf(name: string): CoreArch | undefined {
  return name === 'riscv64' ? riscv64 : name === 'x86_64' ? x86_64 : undefined;
}
