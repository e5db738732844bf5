import { err, Errno, PAGE_MASK, PAGE_SIZE, PROT, type Status } from '@tskern/abi';
import type { AddressSpace } from './address-space';
import { PROT_VALID } from './prot';
import { MAY_EXEC, MAY_READ, MAY_WRITE, VM_ACCOUNT, VM_GROWSDOWN, VM_NORESERVE } from './vma';

/**
 * mprotect(2), as mm/mprotect.c:do_mprotect_pkey. The range must start inside
 * a VMA; VMAs are changed in address order, and a hole after some of them have
 * changed answers ENOMEM with those changes kept. Raising a protection above
 * what the mapping may have (a read-only file mapped shared) is EACCES.
 * Pieces are split off and merged back with equal neighbours.
 */
export function mprotect(as: AddressSpace, addr: number, len: number, prot: number): Status {
  const grows = prot & (PROT.PROT_GROWSDOWN | PROT.PROT_GROWSUP);
  if (grows === (PROT.PROT_GROWSDOWN | PROT.PROT_GROWSUP)) return err(Errno.EINVAL);
  prot &= ~(PROT.PROT_GROWSDOWN | PROT.PROT_GROWSUP);
  if ((addr & PAGE_MASK) !== 0) return err(Errno.EINVAL);
  if (len === 0) return 0;
  const end = addr + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  if (end <= addr || len < 0) return err(Errno.ENOMEM);
  if ((prot & ~PROT_VALID) !== 0) return err(Errno.EINVAL);
  prot &= PROT.PROT_READ | PROT.PROT_WRITE | PROT.PROT_EXEC;

  if (grows & PROT.PROT_GROWSDOWN) {
    // The first VMA in the range must grow down; the change then starts at
    // its start (do_mprotect_pkey: `start = vma->vm_start`), before any hole check.
    const first = as.vmas.lowerBound(addr);
    if (first === undefined || first.start >= end) return err(Errno.ENOMEM);
    if ((first.value.flags & VM_GROWSDOWN) === 0) return err(Errno.EINVAL);
    addr = first.start;
  } else if (grows & PROT.PROT_GROWSUP) {
    // x86-64 has no VM_GROWSUP VMAs.
    const first = as.vmas.lowerBound(addr);
    if (first === undefined || first.start >= end) return err(Errno.ENOMEM);
    if (first.start > addr) return err(Errno.ENOMEM);
    return err(Errno.EINVAL);
  }
  if (as.vmas.find(addr) === undefined) return err(Errno.ENOMEM);

  const wanted = (prot & PROT.PROT_READ ? MAY_READ : 0) | (prot & PROT.PROT_WRITE ? MAY_WRITE : 0) | (prot & PROT.PROT_EXEC ? MAY_EXEC : 0);
  let pos = addr;
  while (pos < end) {
    const seg = as.vmas.find(pos);
    if (seg === undefined) return finish(as, err(Errno.ENOMEM)); // a hole after earlier VMAs changed
    const vma = seg.value;
    if ((wanted & ~vma.maxProt) !== 0) return finish(as, err(Errno.EACCES));
    const to = Math.min(seg.end, end);
    // mprotect_fixup's accounting: becoming writable charges a private
    // mapping (VM_ACCOUNT); losing PROT_WRITE uncharges private anonymous
    // memory only while it holds no anonymous pages.
    let flags = vma.flags;
    if ((prot & PROT.PROT_WRITE) !== 0) {
      if ((vma.prot & PROT.PROT_WRITE) === 0 && !vma.shared && (flags & (VM_ACCOUNT | VM_NORESERVE)) === 0) flags |= VM_ACCOUNT;
    } else if ((flags & VM_ACCOUNT) !== 0 && vma.backing === null && !vma.shared && vma.anon === null) {
      flags &= ~VM_ACCOUNT;
    }
    if (vma.prot !== prot || vma.flags !== flags) {
      const splits = (seg.start < pos ? 1 : 0) + (seg.end > to ? 1 : 0);
      if (splits > 0 && as.mapCount + splits > as.options.tunables.maxMapCount) return finish(as, err(Errno.ENOMEM));
      let piece = seg;
      if (piece.start < pos) piece = as.splitVma(piece, pos);
      if (piece.end > to) as.splitVma(piece, to);
      // The writable bit is part of the object's registration, so re-register
      // (new first, so the object never sees its last mapping go).
      const before = piece.value;
      piece.value = before.with({ prot, flags });
      as.attach(piece.start, piece.end, piece.value);
      as.detach(piece.start, piece.end, before);
      as.reprotect(piece.start, piece.end, piece.value);
      as.mergeAround(piece);
    }
    pos = to;
  }
  return finish(as, 0);
}

function finish(as: AddressSpace, result: Status): Status {
  as.check();
  return result;
}
