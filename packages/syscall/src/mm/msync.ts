import { msync } from '@tskern/mman';
import type { Task } from '@tskern/tasks';

/** msync(2). */
export function sysMsync(task: Task, addr: number, len: number, flags: number): number {
  return msync(task.mm, addr, len, flags);
}
