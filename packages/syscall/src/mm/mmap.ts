import { Errno, MAP, PAGE_SIZE } from '@tskern/abi';
import { mmap } from '@tskern/mman';
import type { MmapSource } from '@tskern/mm-api';
import type { Task } from '@tskern/tasks';
import type { OpenFileDescription } from '@tskern/vfs';
import { memoryLimits, mmapNeedsLimits } from '../proc/rlimits';

/** MAP_HUGE_SHIFT and MAP_HUGE_MASK (include/uapi/asm-generic/hugetlb_encode.h). */
const MAP_HUGE_SHIFT = 26;
const MAP_HUGE_MASK = 0x3f;
/** log2 of the huge page sizes MAP_HUGETLB accepts: 0 (the default), 2 MiB, 1 GiB. */
const HUGE_PAGE_SIZE_LOGS: readonly number[] = [0, 21, 30];

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
    // ksys_mmap_pgoff: the huge page size encoded in bits 26-31 must be one
    // the machine has (hstate_sizelog: 0 is the default size; x86-64 has
    // 2 MiB and 1 GiB), else EINVAL; then hugetlb_file_setup finds no huge
    // pages reserved (vm.nr_hugepages = 0): ENOMEM.
    // hugetlb_file_setup makes a hugetlbfs file, so do_mmap then takes the
    // file branch: a type other than shared or private (MAP_DROPPABLE) is EINVAL.
    const sizeLog = (f >>> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;
    if (!HUGE_PAGE_SIZE_LOGS.includes(sizeLog)) return -Errno.EINVAL;
    const type = f & MAP.MAP_TYPE;
    return type === MAP.MAP_SHARED || type === MAP.MAP_PRIVATE || type === MAP.MAP_SHARED_VALIDATE ? -Errno.ENOMEM : -Errno.EINVAL;
  }
  // RLIMIT_AS bounds every mapping (may_expand_vm); the memory-lock limits matter to locked memory,
  // CAP_SYS_RAWIO to a fixed mapping below mmap_min_addr. A hint there (mmap(NULL, ...) is one) is
  // only a hint: do_mmap raises it to mmap_min_addr (round_hint_to_min), so security_mmap_addr
  // passes without the capability; reading the limits for it cost 4% of an mmap + munmap loop.
  const fixed = (f & (MAP.MAP_FIXED | MAP.MAP_FIXED_NOREPLACE)) !== 0;
  const special = (f & MAP.MAP_LOCKED) !== 0 || (fixed && addr < task.mm.options.tunables.mmapMinAddr);
  const limits = mmapNeedsLimits(task, special) ? memoryLimits(task) : undefined;
  const mapped = mmap(task.mm, addr, len, prot | 0, f, source, off, limits);
  // A file mapping that was made moves the access time (file_accessed in
  // shmem_mmap / generic_file_mmap; /dev/zero's mmap_zero does not).
  if (mapped >= 0 && file !== null && source?.mappable !== null) file.fileAccessed();
  return mapped;
}
