import { PAGE_SIZE } from '@tskern/abi';
import { AddressSpace } from './address-space';
import { copyGuards } from './guard';
import { PTE_ANON, PTE_COW, PTE_PRESENT } from './pte';
import { AnonVma, VM_DONTCOPY, VM_LOCKED_MASK, VM_WIPEONFORK, type Vma } from './vma';

/**
 * The child's address space for fork(2), as kernel/fork.c:dup_mmap: every VMA
 * but MADV_DONTFORK ones is copied and registered with its object; private
 * pages are shared with the child and marked copy-on-write in both (so the
 * parent's writable pages become COW too); shared pages are shared as they
 * are; MADV_WIPEONFORK memory starts empty in the child.
 *
 * The VMA tree is cloned node for node (VMAs are immutable, so the child
 * shares them), which keeps fork O(VMAs + resident pages) with no searching.
 */
export function forkAddressSpace(parent: AddressSpace): AddressSpace {
  // anon_vma_fork: each child VMA that has anonymous memory gets an identity of its own.
  // dup_mmap: the child's VMAs lose VM_LOCKED/VM_LOCKONFAULT (memory locks are not inherited).
  const child = new AddressSpace(
    parent.options,
    parent.vmas.clone((v: Vma) => {
      // dup_userfaultfd: without UFFD_FEATURE_EVENT_FORK (which tskern does not offer) the child's VMAs are not registered.
      const unregistered = v.uffd === null ? v : v.with({ uffd: null });
      const unlocked = (unregistered.flags & VM_LOCKED_MASK) === 0 ? unregistered : unregistered.with({ flags: unregistered.flags & ~VM_LOCKED_MASK });
      return unlocked.anon === null ? unlocked : unlocked.with({ anon: new AnonVma(true) });
    }),
  );
  // dup_mm copies the break; mm_init keeps no def_flags of mlockall(MCL_FUTURE).
  Object.assign(child.programBreak, parent.programBreak);
  const ppt = parent.pt;
  const cpt = child.pt;
  const frames = parent.frames;
  let dontCopy = false;
  for (let seg = child.vmas.first(); seg !== undefined; seg = seg.next()) {
    const vma = seg.value;
    if ((vma.flags & VM_DONTCOPY) !== 0) {
      dontCopy = true;
      continue;
    }
    child.attach(seg.start, seg.end, vma);
    // vma_needs_copy: only VMAs with anonymous memory copy their page tables;
    // the child faults the rest in again (the same data: file pages, or zeros).
    if ((vma.flags & VM_WIPEONFORK) !== 0 || ppt.resident === 0 || vma.anon === null) continue;
    const shared = vma.shared;
    ppt.forEachPresent(seg.start / PAGE_SIZE, seg.end / PAGE_SIZE, (page, frame, flags) => {
      frames.incRef(frame);
      if (shared) {
        cpt.set(page, frame, flags);
        return;
      }
      const cow = (flags & (PTE_PRESENT | PTE_ANON)) | PTE_COW;
      const access = parent.accessBits(vma, cow);
      ppt.setFlags(page, cow | access);
      cpt.set(page, frame, cow | access);
    });
  }
  copyGuards(parent, child);
  if (dontCopy) {
    for (let seg = child.vmas.first(); seg !== undefined; ) {
      const next = seg.next();
      if ((seg.value.flags & VM_DONTCOPY) !== 0) child.vmas.remove(seg);
      seg = next;
    }
  }
  child.check();
  parent.check();
  return child;
}
