import { Errno, PAGE_MASK } from '@tskern/abi';
import { mprotect } from '@tskern/mman';
import type { Task } from '@tskern/tasks';
import { U32_MAX } from './unsigned-long';

/**
 * mprotect(2): `prot` is an unsigned long, so bits above 32 are unknown bits,
 * EINVAL as any other once the address is aligned and the length not 0
 * (do_mprotect_pkey's order).
 */
export function sysMprotect(task: Task, addr: number, len: number, prot: number): number {
  if (prot > U32_MAX) return (addr & PAGE_MASK) !== 0 || len !== 0 ? -Errno.EINVAL : 0;
  return mprotect(task.mm, addr, len, prot >>> 0);
}
