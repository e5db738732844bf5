import type { MappingSpace } from './mapping-space';

/** What the frame a fault maps holds: private anonymous memory, or a page of a file's (or shmem's) cache. */
export type ChargeKind = 'anon' | 'file';

/**
 * The memory controller as the fault path sees it (mm/memcontrol.c's
 * mem_cgroup_charge, which do_anonymous_page, wp_page_copy and the page-cache
 * insert call). The memory manager calls it for each frame a fault maps that
 * is not yet charged; the implementation (the kernel's cgroup hierarchy)
 * finds the control group owning `space` (mm->owner's memcg) and charges the
 * frame there, reclaiming or OOM-killing when that passes memory.max. The
 * charge belongs to the frame, not the process: it stays with the group when
 * the process moves on and is dropped when the frame is freed.
 */
export interface MemoryCharger {
  /**
   * Charge `frame` (just mapped by a fault in `space`) to `space`'s group.
   * True when charged (or already charged: a shared page is charged once, to
   * the first group that brought it in); false when the group stays over its
   * limit after reclaim and the OOM killer found no victim (VM_FAULT_OOM).
   */
  charge(space: MappingSpace, frame: number, kind: ChargeKind): boolean;
}
