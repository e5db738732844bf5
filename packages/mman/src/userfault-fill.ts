import { Errno, PAGE_SIZE } from '@tskern/abi';
import { isFrame, NO_FRAME } from '@tskern/pagealloc';
import type { Segment } from '@tskern/rangemap';
import type { AddressSpace } from './address-space';
import { markAnonPage } from './anon-page';
import { PTE_ANON, PTE_COW, PTE_PRESENT } from './pte';
import { canUserfault } from './userfault-range';
import type { Vma } from './vma';

/**
 * Reads `PAGE_SIZE` bytes of the source at byte `offset` of the copy into
 * `dst`; false when the source cannot be read (EFAULT).
 */
export type UserFaultSource = (offset: number, dst: Uint8Array) => boolean;

/**
 * mfill_atomic (mm/userfaultfd.c), the body of UFFDIO_COPY (`source` given)
 * and UFFDIO_ZEROPAGE (`source` null): fill the missing pages of
 * [dst, dst + len) page by page. The whole range must lie in one VMA that
 * is registered with a userfaultfd (ENOENT) and can be (EINVAL). The source
 * is read first (EFAULT), then a page already present — in the page table,
 * or in a shared object's page cache — stops the fill (EEXIST), as does no
 * memory (ENOMEM). Private anonymous memory: a copied page is the VMA's
 * anonymous memory, writable when the VMA is (mfill_atomic_install_pte); a
 * zero page is mapped read-only, as the shared zero page, so a later store
 * copies it. Shared anonymous memory (shmem_mfill_atomic_pte): the page goes
 * into the object, zero-filled or copied, and is mapped as the object's.
 * Returns the bytes filled, or the -errno that stopped the fill before any
 * page was.
 */
export function fillUserFaultPages(as: AddressSpace, dst: number, len: number, source: UserFaultSource | null): number {
  if (as.released) return -Errno.ESRCH; // mmget_not_zero failed: the mm is gone
  const seg = as.vmas.find(dst);
  if (seg === undefined || dst + len > seg.end || seg.value.uffd === null) return -Errno.ENOENT;
  if (!canUserfault(seg.value)) return -Errno.EINVAL;
  const page = new Uint8Array(PAGE_SIZE);
  let done = 0;
  while (done < len) {
    if (source !== null && !source(done, page)) return done > 0 ? done : -Errno.EFAULT;
    const r = fillPage(as, seg, dst + done, source === null ? null : page);
    if (r < 0) return done > 0 ? done : r;
    done += PAGE_SIZE;
  }
  return done;
}

/** One page of the fill: 0, or -EEXIST / -ENOMEM. */
function fillPage(as: AddressSpace, seg: Segment<Vma>, addr: number, bytes: Uint8Array | null): number {
  const pt = as.pt;
  const frames = as.frames;
  const p = addr / PAGE_SIZE;
  if (pt.flags(p) !== 0) return -Errno.EEXIST;
  const backing = seg.value.backing;
  if (backing !== null) {
    const offset = seg.value.objectOffset(seg.start, addr);
    if (backing.mappable.isResident(offset)) return -Errno.EEXIST;
    const frame = backing.mappable.translate(offset, true); // a zeroed page of the object
    if (!isFrame(frame)) return -Errno.ENOMEM;
    if (bytes !== null) frames.memory(frame).set(bytes, frames.offset(frame));
    frames.incRef(frame);
    pt.set(p, frame, PTE_PRESENT | as.accessBits(seg.value, 0));
    return 0;
  }
  const frame = bytes === null ? frames.allocate() : frames.allocateUninitialized();
  if (frame === NO_FRAME) return -Errno.ENOMEM;
  markAnonPage(frames, frame);
  if (bytes === null) {
    pt.set(p, frame, PTE_PRESENT | PTE_ANON | PTE_COW | as.accessBits(seg.value, PTE_COW));
    return 0;
  }
  frames.memory(frame).set(bytes, frames.offset(frame));
  as.ensureAnon(seg);
  pt.set(p, frame, PTE_PRESENT | PTE_ANON | as.accessBits(seg.value, PTE_ANON));
  return 0;
}
