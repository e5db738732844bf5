import { Errno, PAGE_SIZE } from '@tskern/abi';
import { NO_FRAME } from '@tskern/pagealloc';
import type { AddressSpace } from './address-space';
import { PTE_ANON, PTE_COW, PTE_PRESENT } from './pte';

/**
 * Reads `PAGE_SIZE` bytes of the source at byte `offset` of the copy into
 * `dst`; false when the source cannot be read (EFAULT).
 */
export type UserFaultSource = (offset: number, dst: Uint8Array) => boolean;

/**
 * mfill_atomic (mm/userfaultfd.c), the body of UFFDIO_COPY (`source` given)
 * and UFFDIO_ZEROPAGE (`source` null): fill the missing pages of
 * [dst, dst + len) page by page. The whole range must lie in one VMA that
 * is registered with a userfaultfd (ENOENT) and is private anonymous memory
 * (EINVAL). A page already present stops the fill (EEXIST), as does a
 * source that cannot be read (EFAULT) or no memory (ENOMEM). A copied page
 * is the VMA's anonymous memory, writable when the VMA is
 * (mfill_atomic_install_pte); a zero page is mapped read-only, as the shared
 * zero page, so a later store copies it. Returns the bytes filled, or the
 * -errno that stopped the fill before any page was.
 */
export function fillUserFaultPages(as: AddressSpace, dst: number, len: number, source: UserFaultSource | null): number {
  if (as.released) return -Errno.ESRCH; // mmget_not_zero failed: the mm is gone
  const seg = as.vmas.find(dst);
  if (seg === undefined || dst + len > seg.end || seg.value.uffd === null) return -Errno.ENOENT;
  if (seg.value.backing !== null || seg.value.shared) return -Errno.EINVAL;
  const pt = as.pt;
  const frames = as.frames;
  const page = new Uint8Array(source === null ? 0 : PAGE_SIZE);
  let done = 0;
  while (done < len) {
    const p = (dst + done) / PAGE_SIZE;
    let error = 0;
    // The source is read before the entry is looked at (mfill_atomic_pte_copy), so EFAULT wins over EEXIST.
    if (source !== null && !source(done, page)) error = -Errno.EFAULT;
    else if (pt.flags(p) !== 0) error = -Errno.EEXIST;
    if (error !== 0) return done > 0 ? done : error;
    const frame = source === null ? frames.allocate() : frames.allocateUninitialized();
    if (frame === NO_FRAME) return done > 0 ? done : -Errno.ENOMEM;
    if (source === null) {
      pt.set(p, frame, PTE_PRESENT | PTE_ANON | PTE_COW | as.accessBits(seg.value, PTE_COW));
    } else {
      frames.memory(frame).set(page, frames.offset(frame));
      as.ensureAnon(seg);
      pt.set(p, frame, PTE_PRESENT | PTE_ANON | as.accessBits(seg.value, PTE_ANON));
    }
    done += PAGE_SIZE;
  }
  return done;
}
