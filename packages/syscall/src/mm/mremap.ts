import { Errno } from '@tskern/abi';
import { mremap } from '@tskern/mman';
import type { Task } from '@tskern/tasks';
import { memoryLimits } from '../proc/rlimits';
import { U32_MAX } from './unsigned-long';

/** mremap(2): `flags` is an unsigned long; unknown bits (above 32 too) are EINVAL, checked first. */
export function sysMremap(task: Task, addr: number, oldLen: number, newLen: number, flags: number, newAddr: number): number {
  if (flags > U32_MAX) return -Errno.EINVAL;
  return mremap(task.mm, addr, oldLen, newLen, flags >>> 0, newAddr, memoryLimits(task));
}
