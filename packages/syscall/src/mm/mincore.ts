import { Errno, PAGE_MASK, PAGE_SIZE } from '@tskern/abi';
import { copyOut, mincore, mincorePages } from '@tskern/mman';
import type { Task } from '@tskern/tasks';

/** Pages per batch: one page of vector. */
const BATCH = 4096;

/**
 * mincore(2), as mm/mincore.c's syscall: the vector must be writable for
 * every page (EFAULT, checked before any page is looked at); then pages go
 * in batches of at most a page of vector, each copied out before the next,
 * so a huge range needs no huge buffer and a hole answers ENOMEM after the
 * pages before it were reported.
 */
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
