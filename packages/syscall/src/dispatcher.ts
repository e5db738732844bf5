import { Errno } from '@tskern/abi';
import type { ArchAbi, TaskTable } from '@tskern/tasks';
import type { RawArg } from './args';
import type { SyscallReturn } from './block';
import type { SyscallDef } from './handler';
import type { Personality } from './arch/personality';
import type { SyscallTable } from './syscall-table';

/**
 * Routes a syscall of a task to its handler, through the table of the task's
 * architecture. Unknown numbers answer -ENOSYS (sys_ni_syscall); a task that
 * has exited makes no more calls (-ESRCH to the runtime that tried). Each raw
 * argument is converted once, by the kind its syscall declares; when every
 * argument is already a small integer number, no BigInt work is done.
 */
export class SyscallDispatcher {
  private readonly tables = new Map<ArchAbi, SyscallTable>();
  private lastAbi: ArchAbi | undefined;
  private lastTable: SyscallTable | undefined;

  constructor(
    private readonly tasks: TaskTable,
    personalities: Iterable<Personality>,
  ) {
    for (const p of personalities) this.tables.set(p.abi, p.table);
  }

  /** The table of an architecture, if this dispatcher serves it. */
  table(abi: ArchAbi): SyscallTable | undefined {
    return this.tables.get(abi);
  }

  /** Add or replace a syscall of one architecture (a runtime may provide more calls). */
  register(abi: ArchAbi, nr: number, def: SyscallDef): void {
    this.tables.get(abi)?.set(nr, def);
  }

  call(tid: number, nr: number, a0: RawArg = 0, a1: RawArg = 0, a2: RawArg = 0, a3: RawArg = 0, a4: RawArg = 0, a5: RawArg = 0): SyscallReturn {
    const task = this.tasks.get(tid);
    if (task === undefined || task.state !== 'running') return -Errno.ESRCH;
    let table = this.lastTable;
    if (task.abi !== this.lastAbi) {
      table = this.tables.get(task.abi);
      this.lastAbi = task.abi;
      this.lastTable = table;
    }
    const e = table?.get(nr);
    if (e === undefined) return -Errno.ENOSYS;
    if (e.identityForSmall) {
      // The common case: small non-negative integers are their own value for
      // every kind but umode_t, so no converter runs for them.
      return e.handler(
        task,
        typeof a0 === 'number' && (a0 | 0) === a0 && a0 >= 0 ? a0 : e.c0(a0),
        typeof a1 === 'number' && (a1 | 0) === a1 && a1 >= 0 ? a1 : e.c1(a1),
        typeof a2 === 'number' && (a2 | 0) === a2 && a2 >= 0 ? a2 : e.c2(a2),
        typeof a3 === 'number' && (a3 | 0) === a3 && a3 >= 0 ? a3 : e.c3(a3),
        typeof a4 === 'number' && (a4 | 0) === a4 && a4 >= 0 ? a4 : e.c4(a4),
        typeof a5 === 'number' && (a5 | 0) === a5 && a5 >= 0 ? a5 : e.c5(a5),
      );
    }
    return e.handler(task, e.c0(a0), e.c1(a1), e.c2(a2), e.c3(a3), e.c4(a4), e.c5(a5));
  }
}
