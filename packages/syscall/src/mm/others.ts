import { Errno, PAGE_MASK, PAGE_SIZE } from '@tskern/abi';
import { copyOut, madvise, mincore, mincorePages, mprotect, mremap, msync, munmap } from '@tskern/mman';
import type { Task } from '@tskern/tasks';
import { memoryLimits } from '../proc/rlimits';

/** The largest value an `unsigned int` flag word holds; a 64-bit flags argument above it has unknown bits. */
const U32_MAX = 0xffffffff;

/** munmap(2). */
export function sysMunmap(task: Task, addr: number, len: number): number {
  return munmap(task.mm, addr, len);
}

/**
 * mprotect(2): `prot` is an unsigned long, so bits above 32 are unknown bits,
 * EINVAL as any other once the address is aligned and the length not 0
 * (do_mprotect_pkey's order).
 */
export function sysMprotect(task: Task, addr: number, len: number, prot: number): number {
  if (prot > U32_MAX) return (addr & PAGE_MASK) !== 0 || len !== 0 ? -Errno.EINVAL : 0;
  return mprotect(task.mm, addr, len, prot >>> 0);
}

/** mremap(2): `flags` is an unsigned long; unknown bits (above 32 too) are EINVAL, checked first. */
export function sysMremap(task: Task, addr: number, oldLen: number, newLen: number, flags: number, newAddr: number): number {
  if (flags > U32_MAX) return -Errno.EINVAL;
  return mremap(task.mm, addr, oldLen, newLen, flags >>> 0, newAddr, memoryLimits(task));
}

/** msync(2). */
export function sysMsync(task: Task, addr: number, len: number, flags: number): number {
  return msync(task.mm, addr, len, flags);
}

/** madvise(2). */
export function sysMadvise(task: Task, addr: number, len: number, advice: number): number {
  return madvise(task.mm, addr, len, advice);
}

/**
 * mincore(2), as mm/mincore.c's syscall: the vector must be writable for
 * every page (EFAULT, checked before any page is looked at); then pages go
 * in batches of at most a page of vector, each copied out before the next,
 * so a huge range needs no huge buffer and a hole answers ENOMEM after the
 * pages before it were reported.
 */
const BATCH = 4096;

export function sysMincore(task: Task, start: number, length: number, vec: number): number {
  const taskSize = task.mm.options.taskSize;
  if ((start & PAGE_MASK) !== 0) return -Errno.EINVAL;
  if (start + length > taskSize) return -Errno.ENOMEM;
  const pages = mincorePages(length);
  if (vec + pages > taskSize) return -Errno.EFAULT;
  const tmp = new Uint8Array(Math.min(pages, BATCH));
  for (let done = 0; done < pages; ) {
    const n = Math.min(pages - done, BATCH);
    const r = mincore(task.mm, start + done * PAGE_SIZE, n * PAGE_SIZE, tmp);
    if (r !== 0) return r;
    const copied = copyOut(task.mm, vec + done, tmp, 0, n);
    if (copied !== 0) return copied;
    done += n;
  }
  return 0;
}
