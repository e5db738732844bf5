import { Errno } from '@tskern/abi';
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
 * mincore(2): the vector is copied out to user memory (EFAULT when it cannot
 * be written, checked before any page is looked at, as mm/mincore.c's access_ok).
 */
export const sysMincore: SyscallHandler = (_env, proc, addr, len, vecAddr) => {
  const start = u64(addr);
  const length = u64(len);
  if (start % 4096 !== 0) return -Errno.EINVAL;
  if (start + length > proc.mm.options.taskSize) return -Errno.ENOMEM;
  const pages = mincorePages(length);
  const vec = new Uint8Array(pages);
  const result = mincore(proc.mm, start, length, vec);
  if (result !== 0) return result;
  if (pages === 0) return 0;
  return copyOut(proc.mm, u64(vecAddr), vec, 0, pages);
};
