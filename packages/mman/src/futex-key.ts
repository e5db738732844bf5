import { Errno, PAGE_SIZE } from '@tskern/abi';
import type { AddressSpace } from './address-space';
import { PROT_READ_MASK, PROT_WRITE_BIT } from './prot';
import { PTE_ANON } from './pte';

/**
 * The futex key of the u32 at `addr` in `as`, as kernel/futex/core.c
 * get_futex_key answers it. The result has the shape of `@tskern/futex`'s
 * `FutexKey` (this package does not depend on it):
 *
 * - EINVAL when `addr` is not 4-aligned; EFAULT when the word is outside
 *   the user range (access_ok).
 * - FUTEX_PRIVATE_FLAG (`privateFutex`): (address space, address), with no
 *   look at the mapping — Linux checks nothing more, so a private wake on an
 *   unmapped word answers 0 and a wait answers EFAULT when it reads the word.
 * - Otherwise the page must be reachable (get_user_pages): EFAULT for no
 *   mapping, PROT_NONE, a released space, or a page wholly past the end of
 *   the mapped object (what would be SIGBUS). Then:
 *   - an anonymous page — private anonymous memory, or a private file
 *     mapping that is writable (the FOLL_WRITE lookup breaks COW first) or
 *     whose page was already copied — is private: (address space, address);
 *   - a page-cache page — MAP_SHARED of a file or shm object, shared
 *     anonymous memory, or a read-only MAP_PRIVATE file page not yet
 *     copied — is shared: (the mapped object, VMA offset + (addr - start)).
 *     The object is the inode's page cache (`Mappable`), one per inode, so
 *     two processes mapping one object at different addresses get equal keys.
 *
 * Not modelled: Linux answers EFAULT for a never-written read-only private
 * anonymous page (the shared zero page has no mapping); tskern answers its
 * private key.
 */
export function futexKeyOf(
  as: AddressSpace,
  addr: number,
  privateFutex: boolean,
): { readonly shared: boolean; readonly object: object; readonly offset: number } | number {
  // addr % 4 on an address above 2^31 (a double) compiles to a call to
  // fmod; this is the same test (non-zero for any misaligned or fractional
  // value) in plain arithmetic: futexKeyOf runs for every futex call.
  if (addr - Math.floor(addr / 4) * 4 !== 0) return -Errno.EINVAL;
  if (addr < 0 || addr + 4 > as.options.taskSize) return -Errno.EFAULT;
  if (privateFutex) return { shared: false, object: as, offset: addr };
  if (as.released) return -Errno.EFAULT;
  const seg = as.vmas.find(addr);
  if (seg === undefined) return -Errno.EFAULT;
  const vma = seg.value;
  if ((vma.prot & PROT_READ_MASK) === 0) return -Errno.EFAULT;
  const backing = vma.backing;
  if (backing === null) return { shared: false, object: as, offset: addr };
  const offset = vma.objectOffset(seg.start, addr);
  // Past the object's last page (a page-aligned end is an exact double even past 2^53).
  const size = backing.mappable.size();
  const pages = typeof size === 'number' ? Math.ceil(size / PAGE_SIZE) : Number((size + BigInt(PAGE_SIZE - 1)) / BigInt(PAGE_SIZE));
  if (offset >= pages * PAGE_SIZE) return -Errno.EFAULT;
  if (!vma.shared) {
    const copied = (as.pt.flags(Math.floor(addr / PAGE_SIZE)) & PTE_ANON) !== 0;
    if ((vma.prot & PROT_WRITE_BIT) !== 0 || copied) return { shared: false, object: as, offset: addr };
  }
  return { shared: true, object: backing.mappable, offset };
}
