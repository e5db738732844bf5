import { PAGE_SIZE } from '@tskern/abi';
import type { AddressSpace } from './address-space';

/**
 * Choose where a new mapping of `len` bytes goes, as
 * arch/x86/kernel/sys_x86_64.c:arch_get_unmapped_area_topdown: a hint that is
 * free is taken as it is (rounded down to a page); otherwise the highest free
 * range below mmap_base, then the lowest one above it. Returns the address or
 * -1 when nothing is free.
 */
export function unmappedArea(as: AddressSpace, hint: number, len: number): number {
  const { mmapBase, taskSize } = as.options;
  const { mmapMinAddr } = as.options.tunables;
  const low = Math.max(PAGE_SIZE, mmapMinAddr);
  if (hint !== 0) {
    // mm/mmap.c:round_hint_to_min: the hint is rounded down to its page, and
    // one below mmap_min_addr is raised to it.
    let addr = Math.floor(hint / PAGE_SIZE) * PAGE_SIZE;
    if (addr < mmapMinAddr) addr = Math.ceil(mmapMinAddr / PAGE_SIZE) * PAGE_SIZE;
    if (addr < low) addr = low;
    if (taskSize - len >= addr && as.vmas.isFree(addr, addr + len)) return addr;
  }
  const top = as.vmas.findGap(len, { lo: low, hi: mmapBase, topDown: true, align: PAGE_SIZE });
  if (top !== undefined) return top;
  const bottom = as.vmas.findGap(len, { lo: low, hi: taskSize, topDown: false, align: PAGE_SIZE });
  return bottom ?? -1;
}
