import { PAGE_SIZE } from '@tskern/abi';
import type { FrameId } from '@tskern/pagealloc';
import type { AddressSpace } from './address-space';
import { PTE_ANON } from './pte';
import { VM_DROPPABLE } from './vma';

/**
 * Reclaim MAP_DROPPABLE memory of `as`: unmap and free up to `limit` frames
 * of its VM_DROPPABLE mappings that `wanted` picks (the frames charged to
 * the control group under pressure), as memory reclaim does for them. A
 * droppable folio is never swap-backed (folio_add_new_anon_rmap leaves
 * PG_swapbacked clear under VM_DROPPABLE), so shrink_folio_list treats it as
 * lazily freed and try_to_unmap_one discards it even when dirty, never
 * writing it to swap. The next access faults in a zeroed page; mincore shows
 * the page gone until then. Returns how many frames were freed (a frame
 * still mapped elsewhere counts only once its last mapping goes).
 */
export function reclaimDroppable(as: AddressSpace, wanted: (frame: FrameId) => boolean, limit: number): number {
  if (as.released || as.pt.resident === 0 || limit <= 0) return 0;
  let freed = 0;
  const pt = as.pt;
  const frames = as.frames;
  for (const seg of as.vmas.segmentsIn(0, as.options.taskSize)) {
    if ((seg.value.flags & VM_DROPPABLE) === 0) continue;
    pt.forEachPresent(seg.start / PAGE_SIZE, seg.end / PAGE_SIZE, (page, frame, flags) => {
      if (freed >= limit || (flags & PTE_ANON) === 0 || !wanted(frame)) return;
      const last = frames.refCount(frame) === 1;
      pt.clear(page);
      frames.decRef(frame);
      if (last) freed++;
    });
    if (freed >= limit) break;
  }
  return freed;
}
