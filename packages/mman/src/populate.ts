import { Errno, PAGE_SIZE, PROT } from '@tskern/abi';
import type { AddressSpace } from './address-space';
import { handleFault } from './fault';
import { PTE_WRITE } from './pte';
import { VM_LOCKONFAULT } from './vma';

/**
 * Fault in the pages of [start, end), as mm/gup.c __mm_populate and
 * populate_vma_page_range: private writable memory with write faults (which
 * break copy-on-write), the rest with read faults; VM_LOCKONFAULT memory is
 * left to fault later. A PROT_NONE VMA cannot be populated (get_user_pages
 * answers EFAULT without FOLL_FORCE), nor a page past the end of its file.
 * Returns 0, or -EFAULT at the first page that cannot come in (with
 * `ignoreErrors`, as mmap and mlockall populate, it goes on to the next VMA).
 */
export function populateRange(as: AddressSpace, start: number, end: number, ignoreErrors: boolean): number {
  let pos = start;
  while (pos < end) {
    const seg = as.vmas.lowerBound(pos);
    if (seg === undefined || seg.start >= end) break;
    const vma = seg.value;
    const to = Math.min(end, seg.end);
    const from = Math.max(pos, seg.start);
    pos = to;
    if ((vma.flags & VM_LOCKONFAULT) !== 0) continue;
    let failed = (vma.prot & (PROT.PROT_READ | PROT.PROT_WRITE | PROT.PROT_EXEC)) === 0;
    const write = (vma.prot & PROT.PROT_WRITE) !== 0 && !vma.shared;
    for (let page = from / PAGE_SIZE; !failed && page < to / PAGE_SIZE; page++) {
      const flags = as.pt.flags(page);
      if (flags !== 0 && (!write || (flags & PTE_WRITE) !== 0)) continue;
      if (handleFault(as, page, write) !== 0) failed = true;
    }
    if (failed && !ignoreErrors) return -Errno.EFAULT;
  }
  return 0;
}
