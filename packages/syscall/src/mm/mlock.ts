import { mlock, mlock2, mlockall, munlock, munlockall } from '@tskern/mman';
import type { Task } from '@tskern/tasks';
import { memoryLimits } from '../proc/rlimits';

// mm/mlock.c: RLIMIT_MEMLOCK and CAP_IPC_LOCK come from the calling process.

/** mlock(2). */
export function sysMlock(task: Task, start: number, len: number): number {
  return mlock(task.mm, start, len, memoryLimits(task));
}

/** mlock2(2): `flags` is an int; MLOCK_ONFAULT is the only one. */
export function sysMlock2(task: Task, start: number, len: number, flags: number): number {
  return mlock2(task.mm, start, len, flags, memoryLimits(task));
}

/** munlock(2). */
export function sysMunlock(task: Task, start: number, len: number): number {
  return munlock(task.mm, start, len);
}

/** mlockall(2). */
export function sysMlockall(task: Task, flags: number): number {
  return mlockall(task.mm, flags, memoryLimits(task));
}

/** munlockall(2). */
export function sysMunlockall(task: Task): number {
  return munlockall(task.mm);
}
