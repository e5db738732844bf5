import { err, Errno, PAGE_MASK, PAGE_SIZE, type Status } from '@tskern/abi';
import type { AddressSpace } from './address-space';

/**
 * munmap(2), as mm/vma.c:do_vmi_munmap: the start must be page-aligned and the
 * range inside user space; holes are fine; splitting a VMA past
 * vm.max_map_count is ENOMEM with nothing changed.
 */
export function munmap(as: AddressSpace, addr: number, len: number): Status {
  const { taskSize } = as.options;
  if ((addr & PAGE_MASK) !== 0 || addr > taskSize || len > taskSize - addr || len < 0) return err(Errno.EINVAL);
  const end = addr + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  if (end === addr) return err(Errno.EINVAL);
  if (!as.unmap(addr, end)) return err(Errno.ENOMEM);
  as.check();
  return 0;
}
