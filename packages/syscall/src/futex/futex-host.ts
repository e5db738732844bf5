import { FutexTable } from '@tskern/futex';
import type { Task } from '@tskern/tasks';

const tables = new WeakMap<object, FutexTable>();

/** The futex waiters of the kernel `task` runs in (one table per kernel, as Linux has one futex hash). */
export function kernelFutexes(task: Task): FutexTable {
  return futexesOf(task.kernel.tasks);
}

/** The futex table of a kernel, by its task table. */
export function futexesOf(tasks: object): FutexTable {
  let t = tables.get(tasks);
  if (t === undefined) tables.set(tasks, (t = new FutexTable()));
  return t;
}
