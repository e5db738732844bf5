import { ELF_MIN_ALIGN } from './constants';

/**
 * The address-space facts of a personality the loader needs, with address
 * randomisation off (randomize_va_space 0, or ADDR_NO_RANDOMIZE): tskern
 * places everything where Linux does without ASLR, so runs are repeatable.
 */
export interface ExecLayout {
  /** TASK_SIZE: the end of user addresses; BAD_ADDR is `addr >= taskSize`. */
  readonly taskSize: number;
  /** ELF_ET_DYN_BASE: where a PIE with an interpreter is loaded, and a static PIE's heap starts. */
  readonly etDynBase: number;
  /** STACK_TOP: the end of `[stack]`. */
  readonly stackTop: number;
  /** Whether a stack is executable without PT_GNU_STACK (VM_STACK_DEFAULT_FLAGS has VM_EXEC). */
  readonly stackExecutableByDefault: boolean;
  /**
   * Whether a static PIE's heap moves to ELF_ET_DYN_BASE (load_elf_binary's
   * "brk handling": architectures with ELF randomisation, CONFIG_COMPAT_BRK
   * off, as distribution kernels are built).
   */
  readonly moveStaticPieBrk: boolean;
}

/** TASK_SIZE of riscv64 with Sv39 paging (256 GiB; arch/riscv/include/asm/pgtable.h). */
export const RISCV64_SV39_TASK_SIZE = 0x4000000000;

/**
 * riscv64 with Sv39 paging, as qemu and most boards run it:
 * ELF_ET_DYN_BASE is (TASK_SIZE / 3) * 2 (arch/riscv/include/asm/elf.h),
 * STACK_TOP is TASK_SIZE, the stack is not executable by default
 * (VM_DATA_FLAGS_NON_EXEC) and a static PIE's heap moves.
 */
export const RISCV64_SV39_LAYOUT: ExecLayout = {
  taskSize: RISCV64_SV39_TASK_SIZE,
  etDynBase: Math.floor(RISCV64_SV39_TASK_SIZE / 3) * 2,
  stackTop: RISCV64_SV39_TASK_SIZE,
  stackExecutableByDefault: false,
  moveStaticPieBrk: true,
};

/** The page every loader computation rounds to. */
export const PAGE = ELF_MIN_ALIGN;
