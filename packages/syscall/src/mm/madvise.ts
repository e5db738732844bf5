import { madvise } from '@tskern/mman';
import type { Task } from '@tskern/tasks';

/** madvise(2). */
export function sysMadvise(task: Task, addr: number, len: number, advice: number): number {
  return madvise(task.mm, addr, len, advice);
}
