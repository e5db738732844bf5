import type { MappingSpace } from './mapping-space';

/** One address space's registrations, by start address, with their counts. */
interface SpaceRegistrations {
  readonly byStart: Map<number, Registration[]>;
  count: number;
  writable: number;
}

interface Registration {
  readonly space: MappingSpace;
  readonly start: number;
  readonly end: number;
  readonly offset: number;
  readonly writable: boolean;
}

/**
 * Who maps an object: the (MappingSpace, address range, object offset)
 * registrations a Mappable receives through addMapping, so that truncate and
 * hole punching can make every mapping of the affected pages fault again.
 * gVisor calls this `memmap.MappingSet`; Linux keeps it in
 * `address_space.i_mmap` (an interval tree, so a VMA leaves it in
 * logarithmic time). Every Mappable that can invalidate (ramfs and hostfs
 * files, mman's standalone shared anonymous object) keeps one.
 *
 * Registrations are keyed by address space, then by start address: adding and
 * removing one is O(1) however many mappings the file has, so an exit or
 * munmap of N mappings of one shm object costs O(N), not O(N^2) as a list
 * searched per removal did. A space maps one start at most twice at once
 * (while a VMA is split, its left piece is registered before the whole is
 * removed), so the list under a start stays tiny.
 */
export class MappingSet {
  private readonly bySpace = new Map<MappingSpace, SpaceRegistrations>();
  private count = 0;
  private writableCount = 0;

  add(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): void {
    let regs = this.bySpace.get(space);
    if (regs === undefined) {
      regs = { byStart: new Map(), count: 0, writable: 0 };
      this.bySpace.set(space, regs);
    }
    const reg: Registration = { space, start, end, offset, writable };
    const list = regs.byStart.get(start);
    if (list === undefined) regs.byStart.set(start, [reg]);
    else list.push(reg);
    regs.count++;
    this.count++;
    if (writable) {
      regs.writable++;
      this.writableCount++;
    }
  }

  /** Remove the registration `add` made with the same arguments; false when there is none. */
  remove(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): boolean {
    const regs = this.bySpace.get(space);
    const list = regs?.byStart.get(start);
    if (regs === undefined || list === undefined) return false;
    let i = 0;
    while (i < list.length && !(list[i]!.end === end && list[i]!.offset === offset && list[i]!.writable === writable)) i++;
    if (i === list.length) return false;
    if (list.length > 1) list.splice(i, 1);
    else regs.byStart.delete(start);
    if (--regs.count === 0) this.bySpace.delete(space);
    this.count--;
    if (writable) {
      regs.writable--;
      this.writableCount--;
    }
    return true;
  }

  /**
   * Remove every registration of `space` at once (the space is torn down
   * whole: exit, execve), in O(1) however many it has; returns how many.
   */
  removeSpace(space: MappingSpace): number {
    const regs = this.bySpace.get(space);
    if (regs === undefined) return 0;
    this.bySpace.delete(space);
    this.count -= regs.count;
    this.writableCount -= regs.writable;
    return regs.count;
  }

  get size(): number {
    return this.count;
  }

  /** Shared writable mappings exist (Linux's i_mmap_writable). */
  get hasWritableMappings(): boolean {
    return this.writableCount > 0;
  }

  /**
   * unmap_mapping_range: ask every space mapping file bytes [from, to) to drop
   * those pages' translations (`to` may be Infinity), private copies too when
   * `evenCows`.
   */
  invalidate(from: number, to: number, evenCows: boolean): void {
    // Collect first: an address space may deregister while it invalidates.
    const affected: Registration[] = [];
    for (const regs of this.bySpace.values()) {
      for (const list of regs.byStart.values()) {
        for (const r of list) if (Math.max(from, r.offset) < Math.min(to, r.offset + (r.end - r.start))) affected.push(r);
      }
    }
    for (const r of affected) {
      const lo = Math.max(from, r.offset);
      const hi = Math.min(to, r.offset + (r.end - r.start));
      r.space.invalidate(r.start + (lo - r.offset), r.start + (hi - r.offset), evenCows);
    }
  }

  /**
   * page_mkclean over file bytes [from, to): every writable mapping's entries
   * there become read-only and clean (MappingSpace.writeProtect, or an
   * invalidation for a space without it), so the next store through any of
   * them faults. Read-only mappings have nothing to protect.
   */
  writeProtect(from: number, to: number): void {
    // Collect first, as invalidate does: a space may deregister meanwhile.
    const affected: Registration[] = [];
    for (const regs of this.bySpace.values()) {
      for (const list of regs.byStart.values()) {
        for (const r of list) if (r.writable && Math.max(from, r.offset) < Math.min(to, r.offset + (r.end - r.start))) affected.push(r);
      }
    }
    for (const r of affected) {
      const start = r.start + (Math.max(from, r.offset) - r.offset);
      const end = r.start + (Math.min(to, r.offset + (r.end - r.start)) - r.offset);
      if (r.space.writeProtect !== undefined) r.space.writeProtect(start, end);
      else r.space.invalidate(start, end, false);
    }
  }
}
