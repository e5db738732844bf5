import { PAGE_SIZE } from '@tskern/abi';
import { AddressSpace } from './address-space';
import { PTE_ANON, PTE_COW, PTE_PRESENT } from './pte';
import { VM_DONTCOPY, VM_WIPEONFORK } from './vma';

/**
 * The child's address space for fork(2), as kernel/fork.c:dup_mmap: every VMA
 * but MADV_DONTFORK ones is copied and registered with its object; private
 * pages are shared with the child and marked copy-on-write in both (so the
 * parent's writable pages become COW too); shared pages are shared as they
 * are; MADV_WIPEONFORK memory starts empty in the child.
 */
export function forkAddressSpace(parent: AddressSpace): AddressSpace {
  const child = new AddressSpace(parent.options);
  const ppt = parent.pt;
  const cpt = child.pt;
  const frames = parent.frames;
  for (const seg of parent.vmas.segmentsIn(0, parent.options.taskSize)) {
    const vma = seg.value;
    if ((vma.flags & VM_DONTCOPY) !== 0) continue;
    const copy = vma.slice(0);
    child.vmas.insert(seg.start, seg.end, copy);
    child.attach(seg.start, seg.end, copy);
    if ((vma.flags & VM_WIPEONFORK) !== 0) continue;
    ppt.forEachPresent(seg.start / PAGE_SIZE, seg.end / PAGE_SIZE, (page, frame, flags) => {
      frames.incRef(frame);
      if (vma.shared) {
        cpt.set(page, frame, flags);
        return;
      }
      const cow = (flags & (PTE_PRESENT | PTE_ANON)) | PTE_COW;
      const access = parent.accessBits(vma, cow);
      ppt.setFlags(page, cow | access);
      cpt.set(page, frame, cow | access);
    });
  }
  child.check();
  parent.check();
  return child;
}
