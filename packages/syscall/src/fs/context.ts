import type { Credentials, FdTable, FsContext, Vfs } from '@tskern/vfs';
import type { UserMemory } from '../user-memory';

/**
 * What a file syscall handler needs of the calling process: its memory (for
 * pointer arguments), fd table, fs context (root, cwd, umask), credentials,
 * and the kernel's VFS. It is an FsTask, so it can be passed to the Vfs as is.
 */
export interface FileSyscallContext {
  readonly mem: UserMemory;
  readonly files: FdTable;
  readonly fs: FsContext;
  readonly cred: Credentials;
  readonly vfs: Vfs;
  /** The calling process (passed on to file systems such as procfs). */
  readonly pid?: number;
}

/**
 * A file syscall: raw register arguments (pointers are addresses in the
 * caller's memory; negative numbers stand for their two's complement), the
 * result or `-errno`. Handlers never throw for bad input.
 */
export type FileSyscall = (
  ctx: FileSyscallContext,
  a0: number,
  a1: number,
  a2: number,
  a3: number,
  a4: number,
  a5: number,
) => number;
