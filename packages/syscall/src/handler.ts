import type { Task } from '@tskern/tasks';
import type { ArgKind } from './args';
import type { SyscallReturn } from './block';

/**
 * A syscall handler (Linux's `SYSCALL_DEFINEn`): the calling task and its
 * arguments, already converted by their declared kinds, in; the result,
 * `-errno` or a Block out. Handlers never throw for bad input.
 */
export type SyscallHandler = (task: Task, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number) => SyscallReturn;

/** A syscall: its handler and the C type of each argument it takes. */
export interface SyscallDef {
  readonly name: string;
  readonly handler: SyscallHandler;
  readonly args: readonly ArgKind[];
}
