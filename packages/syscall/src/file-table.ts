import { fileSyscalls, type FileSyscallContext } from './fs';
import type { SysProcess, SyscallHandler } from './process-types';

/**
 * The file syscalls as dispatcher handlers: each call finds the process's
 * file context (memory, fd table, fs context, credentials, VFS) through
 * `contextOf`, which the composition root provides.
 */
export function fileSyscallHandlers(contextOf: (proc: SysProcess) => FileSyscallContext): Map<number, SyscallHandler> {
  const table = new Map<number, SyscallHandler>();
  for (const [nr, handler] of Object.entries(fileSyscalls)) {
    table.set(Number(nr), (_env, proc, a0, a1, a2, a3, a4, a5) => handler(contextOf(proc), a0, a1, a2, a3, a4, a5));
  }
  return table;
}
