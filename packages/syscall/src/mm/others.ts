import { Errno, PAGE_MASK, PAGE_SIZE } from '@tskern/abi';
import { copyOut, madvise, mincore, mincorePages, mprotect, mremap, msync, munmap } from '@tskern/mman';
import { i32, u64 } from '../args';
import type { SyscallHandler } from '../process-types';

/** munmap(2). */
export const sysMunmap: SyscallHandler = (_env, proc, addr, len) => munmap(proc.mm, u64(addr), u64(len));

/** mprotect(2). */
export const sysMprotect: SyscallHandler = (_env, proc, addr, len, prot) =>
  mprotect(proc.mm, u64(addr), u64(len), i32(prot) >>> 0);

/** mremap(2). */
export const sysMremap: SyscallHandler = (_env, proc, addr, oldLen, newLen, flags, newAddr) =>
  mremap(proc.mm, u64(addr), u64(oldLen), u64(newLen), i32(flags) >>> 0, u64(newAddr));

/** msync(2). */
export const sysMsync: SyscallHandler = (_env, proc, addr, len, flags) => msync(proc.mm, u64(addr), u64(len), i32(flags));

/** madvise(2). */
export const sysMadvise: SyscallHandler = (_env, proc, addr, len, advice) => madvise(proc.mm, u64(addr), u64(len), i32(advice));

/**
 * mincore(2), as mm/mincore.c's syscall: the vector must be writable for
 * every page (EFAULT, checked before any page is looked at); then pages go
 * in batches of at most a page of vector, each copied out before the next,
 * so a huge range needs no huge buffer and a hole answers ENOMEM after the
 * pages before it were reported.
 */
const BATCH = 4096;

export const sysMincore: SyscallHandler = (_env, proc, addr, len, vecAddr) => {
  const start = u64(addr);
  const length = u64(len);
  const taskSize = proc.mm.options.taskSize;
  if ((start & PAGE_MASK) !== 0) return -Errno.EINVAL;
  if (start + length > taskSize) return -Errno.ENOMEM;
  const pages = mincorePages(length);
  const vec = u64(vecAddr);
  if (vec + pages > taskSize) return -Errno.EFAULT;
  const tmp = new Uint8Array(Math.min(pages, BATCH));
  for (let done = 0; done < pages; ) {
    const n = Math.min(pages - done, BATCH);
    const r = mincore(proc.mm, start + done * PAGE_SIZE, n * PAGE_SIZE, tmp);
    if (r !== 0) return r;
    const copied = copyOut(proc.mm, vec + done, tmp, 0, n);
    if (copied !== 0) return copied;
    done += n;
  }
  return 0;
};
