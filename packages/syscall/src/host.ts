import type { FaultResult } from '@tskern/abi';
import type { CapabilitySets } from '@tskern/vfs';
import type { RawArg } from './args';

/**
 * The kernel as a runtime (a CPU emulator, a Wasm host, the scenario runner)
 * sees it: tasks that make syscalls by number with raw arguments, and loads
 * and stores into their address spaces. A `pid` here is a task's id: the
 * process's pid for its first thread, the tid for another thread.
 *
 * Nothing here throws for bad input: syscalls answer `-errno`, memory accesses
 * answer the signal the access raised. A thrown exception is a tskern bug.
 */
export interface KernelHost {
  /**
   * Start a process running `program` (a path registered with
   * `registerProgram`), as a child of the kernel's reaper (which reaps it
   * when it exits unless it is waited for). Returns its pid.
   */
  spawn(program: string, options?: SpawnOptions): number;

  /**
   * Make syscall `nr` as task `pid`, numbered by the task's architecture
   * (x86-64 by default: `SYS` in @tskern/abi). Arguments are raw register
   * values, each a number or a BigInt (exact over 64 bits): pointers are
   * addresses in the task's memory, negative numbers stand for their 64-bit
   * two's complement, and each is converted by the syscall's declared C type
   * (see `args.ts`). Returns the result, or `-errno`; an lseek(2) result
   * past 2^53 (files reach 2^63 - 1) comes as the nearest number here and
   * exact from `syscallExact`. A call that would
   * block (wait4 for a running child) answers -EAGAIN here, as it always
   * has: the runtime retries after what it waits for happened.
   */
  syscall(pid: number, nr: number, a0?: RawArg, a1?: RawArg, a2?: RawArg, a3?: RawArg, a4?: RawArg, a5?: RawArg): number;

  /**
   * As `syscall`, with the result exact: a number, or a bigint for an
   * lseek(2) result past 2^53 (the only call whose result can be one).
   */
  syscallExact(pid: number, nr: number, a0?: RawArg, a1?: RawArg, a2?: RawArg, a3?: RawArg, a4?: RawArg, a5?: RawArg): number | bigint;

  /**
   * A CPU load of `dst.length` bytes at `addr` in `pid`'s memory. Returns 0, or
   * the signal number (SIGSEGV 11, SIGBUS 7) raised at the first faulting
   * byte; bytes before it are loaded.
   */
  load(pid: number, addr: number, dst: Uint8Array): FaultResult;

  /** A CPU store of `src` at `addr`; returns 0 or the signal, bytes before the fault stay stored. */
  store(pid: number, addr: number, src: Uint8Array): FaultResult;

  /** A CPU store of `length` copies of `byte` (memset); returns 0 or the signal. */
  fill(pid: number, addr: number, length: number, byte: number): FaultResult;

  /** The process's stack [start, end): where a runtime puts the memory that syscall arguments point to. */
  stack(pid: number): { start: number; end: number };

  /**
   * Register an executable image under `path` (execve(2) and spawn resolve
   * program paths here). An image only describes the initial address space.
   */
  registerProgram(path: string, program: Program): void;

  /** Whether `pid` names a live (not exited) process. */
  isAlive(pid: number): boolean;
}

/** An executable image: what execve builds for the new program. */
export interface Program {
  /** Bytes of stack to map (`[stack]`); default 8 MiB, as RLIMIT_STACK. */
  readonly stackSize?: number;
}

/** Credentials and context of a spawned process. */
export interface SpawnOptions {
  /** Every uid of the process (real, effective, saved, fs); default 0. */
  readonly uid?: number;
  /** Every gid of the process; default 0. */
  readonly gid?: number;
  /** Supplementary groups; default none. */
  readonly groups?: readonly number[];
  /**
   * Capability sets to start with, each replacing the default (every
   * capability for uid 0, none otherwise; the full bounding set).
   */
  readonly caps?: Partial<CapabilitySets>;
  /** The architecture whose syscall numbers and layouts the process uses: `x86_64` (default) or `riscv64`. */
  readonly arch?: string;
  /** File mode creation mask, default 0o022. */
  readonly umask?: number;
  /** Working directory, default `/`. */
  readonly cwd?: string;
  /** The argument vector (/proc/[pid]/cmdline), default `[program]`. */
  readonly argv?: readonly string[];
}
