import type { MemoryAccess, MemoryFaultKind } from './memory.js';

/**
 * Why Rv64Cpu.run returned to its driver. The CPU state (pc, registers) is
 * consistent in every case: the driver may inspect, change and resume it.
 */
export type CpuExit = CpuEcallExit | CpuEbreakExit | CpuIllegalExit | CpuFaultExit | CpuBudgetExit;

/**
 * `ecall`: a system call. pc is already past the ecall (as Linux advances
 * sepc before dispatching); the number is a7, the arguments a0..a5. The
 * driver writes the result with Rv64Cpu.setSyscallResult and calls run again.
 * To restart the call (ERESTARTSYS), the driver sets pc back by 4.
 */
export interface CpuEcallExit {
  readonly kind: 'ecall';
  /** a7, the riscv64 syscall number (asm-generic numbering). */
  readonly number: number;
  /** Address of the ecall instruction. */
  readonly pc: number;
}

/** `ebreak` (or c.ebreak): Linux sends SIGTRAP (TRAP_BRKPT). pc is at the instruction. */
export interface CpuEbreakExit {
  readonly kind: 'ebreak';
  readonly pc: number;
}

/** An instruction the CPU does not implement or that is reserved: SIGILL (ILL_ILLOPC). pc is at it. */
export interface CpuIllegalExit {
  readonly kind: 'illegal';
  readonly pc: number;
  /** The instruction bits (16 bits for a compressed instruction). */
  readonly bits: number;
}

/** A load, store or fetch that failed: SIGSEGV or SIGBUS, or a wait (`retry`). pc is at the faulting instruction, not retired. */
export interface CpuFaultExit {
  readonly kind: 'fault';
  readonly pc: number;
  readonly fault: MemoryFaultKind;
  readonly address: number;
  readonly access: MemoryAccess;
}

/** The instruction budget given to run was used up; resume with run. */
export interface CpuBudgetExit {
  readonly kind: 'budget';
  readonly pc: number;
}
