import type { Mmappable } from '@tskern/mm-api';
import type { Process, ProcessTable } from '@tskern/process';
import type { FdTableLike, FsContextLike } from '@tskern/process';

/** An fd table as the memory syscalls need it: mmap looks the fd up. */
export interface MmapFdTable extends FdTableLike {
  /** The open file description behind `fd`, or null/undefined (EBADF). */
  get(fd: number): Partial<Mmappable> | null | undefined;
}

/** A process as syscall handlers see it. */
export type SysProcess = Process<MmapFdTable, FsContextLike>;

/** Kernel-wide state the handlers reach. */
export interface SyscallEnv {
  readonly processes: ProcessTable<MmapFdTable, FsContextLike>;
}

/** A syscall handler: raw arguments in, result or -errno out. */
export type SyscallHandler = (
  env: SyscallEnv,
  proc: SysProcess,
  a0: number,
  a1: number,
  a2: number,
  a3: number,
  a4: number,
  a5: number,
) => number;
