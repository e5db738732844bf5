import { munmap } from '@tskern/mman';
import type { Task } from '@tskern/tasks';

/** munmap(2). */
export function sysMunmap(task: Task, addr: number, len: number): number {
  return munmap(task.mm, addr, len);
}
