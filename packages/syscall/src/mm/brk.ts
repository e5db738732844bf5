import { brk } from '@tskern/mman';
import type { Task } from '@tskern/tasks';
import { memoryLimits } from '../proc/rlimits';

/** brk(2): the new break, or the current one when it cannot move (mm/mmap.c; never an errno). */
export function sysBrk(task: Task, addr: number): number {
  return brk(task.mm, addr, memoryLimits(task));
}
