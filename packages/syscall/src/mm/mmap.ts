import { Errno, MAP, PAGE_SIZE } from '@tskern/abi';
import { mmap } from '@tskern/mman';
import type { MmapSource } from '@tskern/mm-api';
import type { Task } from '@tskern/tasks';
import type { OpenFileDescription } from '@tskern/vfs';
import { memoryLimits } from '../proc/rlimits';

/**
 * mmap(2): arch/x86/kernel/sys_x86_64.c checks the offset alignment first,
 * then ksys_mmap_pgoff looks the fd up (EBADF) unless MAP_ANONYMOUS; the rest
 * is the memory manager's (mm/mmap.c:do_mmap). Every argument is an
 * `unsigned long`; fd (declared `uint`), prot and flags are used as their
 * low 32 bits.
 */
export function sysMmap(task: Task, addr: number, len: number, prot: number, flags: number, fd: number, off: number): number {
  if (off % PAGE_SIZE !== 0) return -Errno.EINVAL;
  const f = flags >>> 0;
  let source: MmapSource | null = null;
  let file: OpenFileDescription | null = null;
  if ((f & MAP.MAP_ANONYMOUS) === 0) {
    file = task.files.get(fd | 0);
    if (file === null) return -Errno.EBADF;
    const s = file.mmapSource();
    if (typeof s === 'number') return s;
    source = s;
  } else if ((f & MAP.MAP_HUGETLB) !== 0) {
    return -Errno.ENOMEM; // no huge pages are reserved (vm.nr_hugepages = 0)
  }
  // RLIMIT_AS bounds every mapping (may_expand_vm); the memory-lock limits matter to locked memory.
  const limits = memoryLimits(task);
  const mapped = mmap(task.mm, addr, len, prot | 0, f, source, off, limits);
  // A file mapping that was made moves the access time (file_accessed in
  // shmem_mmap / generic_file_mmap; /dev/zero's mmap_zero does not).
  if (mapped >= 0 && file !== null && source?.mappable !== null) file.fileAccessed();
  return mapped;
}
