import { Errno } from '@tskern/abi';
import type { SyscallEnv, SyscallHandler } from './process-types';

/**
 * Routes a syscall number to its handler for a process. Unknown numbers answer
 * -ENOSYS (as arch/x86/entry/syscall_64.c's sys_ni_syscall); a process that
 * has exited makes no more calls (-ESRCH to the runtime that tried).
 */
export class SyscallDispatcher {
  private readonly handlers: (SyscallHandler | undefined)[] = [];

  constructor(
    private readonly env: SyscallEnv,
    tables: Iterable<Map<number, SyscallHandler>>,
  ) {
    for (const table of tables) for (const [nr, handler] of table) this.handlers[nr] = handler;
  }

  /** Add or replace handlers (a runtime may provide more calls). */
  register(nr: number, handler: SyscallHandler): void {
    this.handlers[nr] = handler;
  }

  call(pid: number, nr: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): number {
    const proc = this.env.processes.get(pid);
    if (proc === undefined || !proc.alive) return -Errno.ESRCH;
    const handler = Number.isInteger(nr) && nr >= 0 ? this.handlers[nr] : undefined;
    if (handler === undefined) return -Errno.ENOSYS;
    return handler(this.env, proc, a0, a1, a2, a3, a4, a5);
  }
}
