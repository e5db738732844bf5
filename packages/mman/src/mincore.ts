import { Errno, PAGE_SIZE, PAGE_MASK } from '@tskern/abi';
import type { AddressSpace } from './address-space';

/**
 * mincore(2), as mm/mincore.c: one byte per page, 1 when resident. A page
 * with an entry in the page table is resident; otherwise a mapped object's
 * page cache decides (shm pages another process touched are resident), and
 * untouched anonymous memory is not. Every page must be mapped (ENOMEM).
 * Fills `vec` (length = pages) and returns 0 or -errno; pages before a hole
 * are filled as Linux fills them before failing.
 */
export function mincore(as: AddressSpace, addr: number, len: number, vec: Uint8Array): number {
  if ((addr & PAGE_MASK) !== 0) return -Errno.EINVAL;
  if (len < 0 || addr + len > as.options.taskSize) return -Errno.ENOMEM;
  const pages = Math.ceil(len / PAGE_SIZE);
  let page = addr / PAGE_SIZE;
  for (let i = 0; i < pages; ) {
    const seg = as.vmas.find(page * PAGE_SIZE);
    if (seg === undefined) return -Errno.ENOMEM;
    const vma = seg.value;
    const last = Math.min(pages, i + (seg.end / PAGE_SIZE - page));
    for (; i < last; i++, page++) {
      if (as.pt.flags(page) !== 0) vec[i] = 1;
      else if (as.guards.size !== 0 && as.guards.has(page)) vec[i] = 0; // a guard marker: nothing resident
      else if (vma.backing !== null) vec[i] = vma.backing.mappable.isResident(vma.objectOffset(seg.start, page * PAGE_SIZE)) ? 1 : 0;
      else vec[i] = 0;
    }
  }
  return 0;
}

/** Pages mincore reports for `len` bytes. */
export function mincorePages(len: number): number {
  return Math.ceil(len / PAGE_SIZE);
}
