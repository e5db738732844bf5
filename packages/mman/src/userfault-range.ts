import { Errno, PAGE_MASK } from '@tskern/abi';
import type { UserFaultRegistration } from '@tskern/mm-api';
import type { Segment } from '@tskern/rangemap';
import type { AddressSpace } from './address-space';
import { MAY_WRITE, type Vma } from './vma';

/**
 * validate_range (fs/userfaultfd.c): a page-aligned, non-empty range at or
 * above mmap_min_addr and inside the task's address space; EINVAL otherwise.
 */
export function validateUserFaultRange(as: AddressSpace, start: number, len: number): number {
  const taskSize = as.options.taskSize;
  if ((start & PAGE_MASK) !== 0 || (len & PAGE_MASK) !== 0 || len === 0) return -Errno.EINVAL;
  if (start < as.options.tunables.mmapMinAddr || start >= taskSize || len > taskSize - start) return -Errno.EINVAL;
  return 0;
}

/**
 * vma_can_userfault for missing-page tracking as tskern serves it: private
 * anonymous memory and shared anonymous memory (shmem: MAP_SHARED |
 * MAP_ANONYMOUS); file mappings are EINVAL (Linux also takes tmpfs files
 * and hugetlbfs, which tskern does not tell apart from other files).
 */
export function canUserfault(vma: Vma): boolean {
  if (vma.backing === null) return !vma.shared;
  return vma.shared && vma.backing.anonymous;
}

/** The VMAs overlapping [start, end), in address order. */
function overlapping(as: AddressSpace, start: number, end: number): Segment<Vma>[] {
  const out: Segment<Vma>[] = [];
  for (let seg = as.vmas.lowerBound(start); seg !== undefined && seg.start < end; seg = seg.next()) {
    if (seg.end > start) out.push(seg);
  }
  return out;
}

/**
 * What UFFDIO_REGISTER and UFFDIO_UNREGISTER check first: validate_range,
 * then the VMAs of the range (EINVAL when there is none).
 */
function rangeVmas(as: AddressSpace, start: number, len: number): Segment<Vma>[] | number {
  const bad = validateUserFaultRange(as, start, len);
  if (bad !== 0) return bad;
  const segs = overlapping(as, start, start + len);
  return segs.length === 0 ? -Errno.EINVAL : segs;
}

/**
 * Give [start, end) of every VMA in the range the registration `reg`
 * (splitting at the ends, merging with equal neighbours), or take it away
 * (`reg` null), as userfaultfd_register/unregister's vma_modify loop.
 */
function setRegistration(as: AddressSpace, start: number, end: number, reg: UserFaultRegistration | null, only: UserFaultRegistration | null): void {
  let pos = start;
  while (pos < end) {
    const seg = as.vmas.lowerBound(pos);
    if (seg === undefined || seg.start >= end) return;
    const from = Math.max(seg.start, pos);
    const to = Math.min(seg.end, end);
    const vma = seg.value;
    if (vma.uffd !== reg && (only === null || vma.uffd === only)) {
      let piece = seg;
      if (piece.start < from) piece = as.splitVma(piece, from);
      if (piece.end > to) as.splitVma(piece, to);
      piece.value = piece.value.with({ uffd: reg });
      as.mergeAround(piece);
    }
    pos = to;
  }
}

/**
 * UFFDIO_REGISTER's checks and its change (userfaultfd_register): the range
 * valid (EINVAL), at least one VMA in it (EINVAL; holes between VMAs are
 * allowed), each VMA one that can be tracked (EINVAL), mapped with
 * VM_MAYWRITE (EPERM: UFFDIO_COPY fills pages even without PROT_WRITE), and
 * not registered with another userfaultfd (EBUSY). Then every VMA of the
 * range carries `reg`. 0 or -errno; nothing changes on an error.
 */
export function registerUserFaults(as: AddressSpace, start: number, len: number, reg: UserFaultRegistration): number {
  const segs = rangeVmas(as, start, len);
  if (typeof segs === 'number') return segs;
  const end = start + len;
  for (const seg of segs) {
    const vma = seg.value;
    if (!canUserfault(vma)) return -Errno.EINVAL;
    if ((vma.maxProt & MAY_WRITE) === 0) return -Errno.EPERM;
    if (vma.uffd !== null && vma.uffd !== reg) return -Errno.EBUSY;
  }
  setRegistration(as, start, end, reg, null);
  as.check();
  return 0;
}

/**
 * UFFDIO_UNREGISTER (userfaultfd_unregister): the range valid with a VMA in
 * it (EINVAL), every VMA one that can be tracked and not registered with
 * another userfaultfd (EINVAL: only the registering one may unregister);
 * then the range is registered with nothing. 0 or -errno.
 */
export function unregisterUserFaults(as: AddressSpace, start: number, len: number, reg: UserFaultRegistration): number {
  const segs = rangeVmas(as, start, len);
  if (typeof segs === 'number') return segs;
  const end = start + len;
  for (const seg of segs) {
    const vma = seg.value;
    if (!canUserfault(vma)) return -Errno.EINVAL;
    if (vma.uffd !== null && vma.uffd !== reg) return -Errno.EINVAL;
  }
  setRegistration(as, start, end, null, reg);
  as.check();
  return 0;
}

/** userfaultfd_release: every VMA registered with `reg` is registered with nothing (and may merge again). */
export function releaseUserFaults(as: AddressSpace, reg: UserFaultRegistration): void {
  if (as.released) return;
  const ranges: [number, number][] = [];
  for (let seg = as.vmas.first(); seg !== undefined; seg = seg.next()) if (seg.value.uffd === reg) ranges.push([seg.start, seg.end]);
  for (const [s, e] of ranges) setRegistration(as, s, e, null, reg);
  as.check();
}
