import { Errno, LEGACY_MAP_MASK, MAP, PAGE_SIZE, PAGE_MASK } from '@tskern/abi';
import type { MmapSource } from '@tskern/mm-api';
import type { AddressSpace } from './address-space';
import { mlockFutureOk } from './locked-memory';
import { isDataMapping, mappedBytesIn, mayExpandVm } from './address-space-limit';
import { canDoMlock, UNLIMITED_MEMORY, type MemoryLimits } from './memory-limits';
import { populateRange } from './populate';
import { unmappedArea } from './placement';
import { MAY_EXEC, MAY_READ, MAY_WRITE, Vma, type VmaBacking, VM_LOCKED, VM_LOCKED_MASK, VM_NORESERVE, VM_GROWSDOWN, VM_WIPEONFORK, VM_ACCOUNT, VM_NOHUGEPAGE, VM_DROPPABLE, VM_DONTDUMP } from './vma';

/**
 * The end a regular file's mapping may reach: file_mmap_ok allows pgoff up
 * to (MAX_LFS_FILESIZE - len) >> PAGE_SHIFT, so for a page-aligned offset
 * and length, offset + len up to 2^63 - PAGE_SIZE (exact as a double, as is
 * every page-aligned offset below 2^64).
 */
const MAX_FILE_MAP_END = 2 ** 63 - PAGE_SIZE;

/**
 * mmap(2) on an address space, after the syscall layer has checked the offset
 * alignment and looked the fd up (arch sys_mmap checks `off & ~PAGE_MASK`
 * first, then ksys_mmap_pgoff answers EBADF). `source` is null for
 * MAP_ANONYMOUS. Returns the address or -errno, in the order
 * mm/mmap.c:do_mmap and mmap_region check things. `limits` are the caller's
 * RLIMIT_MEMLOCK and CAP_IPC_LOCK, for MAP_LOCKED and mlockall(MCL_FUTURE).
 * `mayWrite` false leaves a shared mapping without VM_MAYWRITE, for anonymous
 * memory that stands for a file opened without write access (/dev/zero's
 * mmap_zero: do_mmap had already cleared VM_MAYWRITE from the file's mode,
 * so a later mprotect(PROT_WRITE) is EACCES).
 */
export function mmap(
  as: AddressSpace,
  addr: number,
  len: number,
  prot: number,
  flags: number,
  source: MmapSource | null,
  offset: number,
  limits: MemoryLimits = UNLIMITED_MEMORY,
  mayWrite = true,
): number {
  const { taskSize } = as.options;
  const { maxMapCount } = as.options.tunables;
  // ksys_mmap_pgoff: MAP_HUGETLB on a file is only for hugetlbfs files, which tskern has none of.
  if (source !== null && (flags & MAP.MAP_HUGETLB) !== 0) return -Errno.EINVAL;
  if (len === 0) return -Errno.EINVAL;
  const fixed = (flags & (MAP.MAP_FIXED | MAP.MAP_FIXED_NOREPLACE)) !== 0;
  // MAP_FIXED_NOREPLACE implies MAP_FIXED (do_mmap).
  if ((flags & MAP.MAP_FIXED_NOREPLACE) !== 0) flags |= MAP.MAP_FIXED;
  len = Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  if (len > Number.MAX_SAFE_INTEGER || len <= 0) return -Errno.ENOMEM;
  // do_mmap's own overflow check (pgoff + pages wrapping past 2^64 pages) cannot
  // fire on x86-64: an offset below 2^64 is fewer than 2^52 pages. Anonymous
  // memory ignores the offset; a file's limit is file_mmap_ok's, below.
  if (as.mapCount > maxMapCount) return -Errno.ENOMEM;

  // get_unmapped_area
  let start: number;
  if (len > taskSize) return -Errno.ENOMEM;
  if (fixed) {
    if (addr > taskSize - len) return -Errno.ENOMEM;
    if ((addr & PAGE_MASK) !== 0) return -Errno.EINVAL;
    if (addr < as.options.tunables.mmapMinAddr && limits.rawIo !== true) return -Errno.EPERM; // security_mmap_addr: only CAP_SYS_RAWIO maps below
    start = addr;
  } else {
    start = unmappedArea(as, addr, len);
    if (start < 0) return -Errno.ENOMEM;
  }
  const end = start + len;
  if ((flags & MAP.MAP_FIXED_NOREPLACE) !== 0 && !as.vmas.isFree(start, end)) return -Errno.EEXIST;
  // do_mmap: MAP_LOCKED needs the right to lock; locked memory (MAP_LOCKED or
  // mlockall(MCL_FUTURE)'s def_flags) must fit RLIMIT_MEMLOCK.
  if ((flags & MAP.MAP_LOCKED) !== 0 && !canDoMlock(limits)) return -Errno.EPERM;
  const lockFlags = ((flags & MAP.MAP_LOCKED) !== 0 ? VM_LOCKED : 0) | (as.defFlags & VM_LOCKED_MASK);
  if (!mlockFutureOk(as, lockFlags, len, limits)) return -Errno.EAGAIN;

  let shared: boolean;
  let droppable = false;
  let maxProt = MAY_READ | MAY_WRITE | MAY_EXEC;
  const type = flags & MAP.MAP_TYPE;
  let fileBacking: VmaBacking | null = null;
  if (source !== null) {
    // file_mmap_ok: a regular file maps up to MAX_LFS_FILESIZE (2^63 - 1) bytes,
    // counted in whole pages. Page-aligned values stay exact as numbers up to 2^65.
    if (offset + len > MAX_FILE_MAP_END) return -Errno.EOVERFLOW;
    if (type === MAP.MAP_SHARED || type === MAP.MAP_SHARED_VALIDATE) {
      // MAP_SHARED silently drops unknown flags; MAP_SHARED_VALIDATE refuses them.
      // Neither tmpfs nor ramfs sets FOP_MMAP_SYNC, so MAP_SYNC is refused too; and
      // MAP_FIXED_NOREPLACE is not a legacy flag, so MAP_SHARED_VALIDATE refuses it.
      const checked = type === MAP.MAP_SHARED ? flags & LEGACY_MAP_MASK : flags;
      if ((checked & ~LEGACY_MAP_MASK) !== 0) return -Errno.EOPNOTSUPP;
      if ((prot & 0x2) !== 0 && !source.writable) return -Errno.EACCES;
      if (!source.writable) maxProt &= ~MAY_WRITE;
      if (!source.readable) return -Errno.EACCES;
      shared = true;
    } else if (type === MAP.MAP_PRIVATE) {
      if (!source.readable) return -Errno.EACCES;
      shared = false;
    } else {
      return -Errno.EINVAL;
    }
    // file_has_valid_mmap_hooks comes after the type and access checks (a directory: ENODEV).
    if (source.mappable === null || source.identity === null) return -Errno.ENODEV;
    fileBacking = { mappable: source.mappable, identity: source.identity, anonymous: false };
  } else {
    if (type === MAP.MAP_SHARED) {
      if ((flags & MAP.MAP_GROWSDOWN) !== 0) return -Errno.EINVAL;
      shared = true;
      if (!mayWrite) maxProt &= ~MAY_WRITE;
    } else if (type === MAP.MAP_PRIVATE) {
      shared = false;
    } else if (type === MAP.MAP_DROPPABLE) {
      // Private memory the kernel may drop under pressure (do_mmap, Linux
      // 6.11): never locked, huge or a stack (EINVAL); tskern never drops it.
      if ((flags & (MAP.MAP_LOCKED | MAP.MAP_HUGETLB | MAP.MAP_GROWSDOWN)) !== 0) return -Errno.EINVAL;
      shared = false;
      droppable = true;
    } else {
      return -Errno.EINVAL;
    }
  }

  let vmFlags = lockFlags;
  if ((flags & MAP.MAP_NORESERVE) !== 0) vmFlags |= VM_NORESERVE;
  if ((flags & MAP.MAP_GROWSDOWN) !== 0) vmFlags |= VM_GROWSDOWN;
  // Droppable memory is not reserved, and neither survives a fork nor goes
  // in a core dump (VM_NORESERVE | VM_WIPEONFORK | VM_DONTDUMP); it is never
  // locked (mmap_region clears VM_LOCKED_MASK, as mlockall(MCL_FUTURE) would set it).
  if (droppable) vmFlags = (vmFlags | VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK | VM_DONTDUMP) & ~VM_LOCKED_MASK;
  // MAP_STACK means no transparent huge pages (calc_vm_flag_bits, Linux 6.7+): VM_NOHUGEPAGE.
  if ((flags & MAP.MAP_STACK) !== 0) vmFlags |= VM_NOHUGEPAGE;
  // accountable_mapping: private writable memory is charged (VM_ACCOUNT) unless MAP_NORESERVE.
  if (!shared && (prot & 0x2) !== 0 && (vmFlags & VM_NORESERVE) === 0) vmFlags |= VM_ACCOUNT;

  // Shared anonymous memory is an unlinked object of its own (mm/shmem.c:shmem_zero_setup).
  let backing: VmaBacking | null = null;
  let objectOffset = offset;
  if (fileBacking !== null) {
    backing = fileBacking;
  } else if (shared) {
    const anon = as.options.sharedAnonymous(len);
    if (typeof anon === 'number') return anon;
    if (anon.mappable === null || anon.identity === null) return -Errno.ENODEV;
    backing = { mappable: anon.mappable, identity: anon.identity, anonymous: true };
    objectOffset = 0;
  } else {
    objectOffset = 0;
  }

  // mmap_region: RLIMIT_AS (and RLIMIT_DATA for private writable memory)
  // count the new pages, or failing that the new pages less those a
  // MAP_FIXED mapping replaces (may_expand_vm, count_vma_pages_range).
  const data = isDataMapping(prot, shared, vmFlags);
  if (!mayExpandVm(as, len, limits, data) && !mayExpandVm(as, len - mappedBytesIn(as, start, end), limits, data)) return -Errno.ENOMEM;
  // mmap_region: a MAP_FIXED mapping replaces whatever was there.
  if (!as.unmap(start, end)) return -Errno.ENOMEM;
  const vma = Vma.of(prot, maxProt, shared, backing, objectOffset, vmFlags, null);
  const seg = as.insertVma(start, end, vma);
  if (backing !== null && backing.anonymous) backing.identity.decRef(); // the VMA holds the only reference now
  as.mergeAround(seg);

  // do_mmap populates locked memory, and MAP_POPULATE without MAP_NONBLOCK;
  // faults that fail are ignored, as mm_populate (VM_LOCKONFAULT memory stays
  // unpopulated, as populate_vma_page_range).
  if ((vmFlags & VM_LOCKED) !== 0 || (flags & (MAP.MAP_POPULATE | MAP.MAP_NONBLOCK)) === MAP.MAP_POPULATE) {
    populateRange(as, start, end, true);
  }
  as.check();
  return start;
}
