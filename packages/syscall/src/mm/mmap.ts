import { Errno, MAP, PAGE_SIZE } from '@tskern/abi';
import { mmap } from '@tskern/mman';
import type { MmapSource } from '@tskern/mm-api';
import { i32, u64 } from '../args';
import type { SyscallHandler } from '../process-types';

/**
 * mmap(2): arch/x86/kernel/sys_x86_64.c checks the offset alignment first,
 * then ksys_mmap_pgoff looks the fd up (EBADF) unless MAP_ANONYMOUS; the rest
 * is the memory manager's (mm/mmap.c:do_mmap).
 */
export const sysMmap: SyscallHandler = (_env, proc, addr, len, prot, flags, fd, off) => {
  const offset = u64(off);
  if (offset % PAGE_SIZE !== 0) return -Errno.EINVAL;
  const f = i32(flags) >>> 0;
  let source: MmapSource | null = null;
  if ((f & MAP.MAP_ANONYMOUS) === 0) {
    const file = proc.files.get(i32(fd));
    if (file === undefined || file === null) return -Errno.EBADF;
    if (file.mmapSource === undefined) return -Errno.ENODEV;
    const s = file.mmapSource();
    if (typeof s === 'number') return s;
    source = s;
  } else if ((f & MAP.MAP_HUGETLB) !== 0) {
    return -Errno.ENOMEM; // no huge pages are reserved (vm.nr_hugepages = 0)
  }
  return mmap(proc.mm, u64(addr), u64(len), i32(prot), f, source, offset);
};
