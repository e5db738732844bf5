import { err, Errno, MS, PAGE_MASK, PAGE_SIZE, type Status } from '@tskern/abi';
import type { AddressSpace } from './address-space';
import { VM_LOCKED } from './vma';

/**
 * msync(2), as mm/msync.c. A hole is ENOMEM (MS_ASYNC alone stops there;
 * otherwise the rest is still synced and ENOMEM reported at the end);
 * MS_INVALIDATE on a locked VMA is EBUSY. The page cache is the file, so only
 * MS_SYNC on shared file mappings has work to do: write-back to a backing
 * store (hostfs), whose failure (EIO) is reported.
 */
export function msync(as: AddressSpace, addr: number, len: number, flags: number): Status {
  if ((flags & ~(MS.MS_ASYNC | MS.MS_INVALIDATE | MS.MS_SYNC)) !== 0) return err(Errno.EINVAL);
  if ((addr & PAGE_MASK) !== 0) return err(Errno.EINVAL);
  if ((flags & MS.MS_ASYNC) !== 0 && (flags & MS.MS_SYNC) !== 0) return err(Errno.EINVAL);
  if (len < 0) return err(Errno.ENOMEM);
  const end = addr + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  if (end === addr) return 0;
  let start = addr;
  let unmappedError: Status = 0;
  let seg = as.vmas.lowerBound(start);
  for (;;) {
    if (seg === undefined) return err(Errno.ENOMEM);
    if (start < seg.start) {
      if (flags === MS.MS_ASYNC) return err(Errno.ENOMEM);
      start = seg.start;
      if (start >= end) return err(Errno.ENOMEM);
      unmappedError = err(Errno.ENOMEM);
    }
    const vma = seg.value;
    if ((flags & MS.MS_INVALIDATE) !== 0 && (vma.flags & VM_LOCKED) !== 0) return err(Errno.EBUSY);
    const to = Math.min(end, seg.end);
    if ((flags & MS.MS_SYNC) !== 0 && vma.backing !== null && vma.shared) {
      const error = vma.backing.identity.sync(vma.objectOffset(seg.start, start), to - start);
      if (error !== 0) return error;
    }
    start = seg.end;
    if (start >= end) return unmappedError;
    seg = seg.next();
  }
}
