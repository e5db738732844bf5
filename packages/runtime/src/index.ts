/**
 * @tskern/runtime — runs riscv64 Linux programs on a tskern kernel: one
 * RV64GC CPU (`@tskern/rv64`) per task over the task's address space,
 * system calls through the kernel's runtime, traps as signals.
 */
export { ProgramDriver, type ProgramDriverOptions, type DriverKernel, type DriverResult, type SyscallTracer } from './program-driver';
export { startProgram, type ProgramStart } from './start-program';
export { type CpuTickSource } from './cpu-accounting';
