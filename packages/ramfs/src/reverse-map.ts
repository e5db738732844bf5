import type { MappingSpace } from '@tskern/mm-api';

interface Registration {
  readonly space: MappingSpace;
  readonly start: number;
  readonly end: number;
  readonly offset: number;
  readonly writable: boolean;
}

/**
 * Who maps a file: the (address space, address range, file offset)
 * registrations from Mappable.addMapping, so that truncate and hole punching
 * can make every mapping of the affected pages fault again. Linux keeps this
 * in `address_space.i_mmap` (an interval tree); a list is enough while files
 * have few mappings.
 */
export class ReverseMap {
  private regs: Registration[] = [];

  add(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): void {
    this.regs.push({ space, start, end, offset, writable });
  }

  /** Remove the registration `add` made with the same arguments; false when there is none. */
  remove(space: MappingSpace, start: number, end: number, offset: number, writable: boolean): boolean {
    const i = this.regs.findIndex(
      (r) => r.space === space && r.start === start && r.end === end && r.offset === offset && r.writable === writable,
    );
    if (i < 0) return false;
    this.regs.splice(i, 1);
    return true;
  }

  get size(): number {
    return this.regs.length;
  }

  /** Shared writable mappings exist (Linux's i_mmap_writable). */
  get hasWritableMappings(): boolean {
    return this.regs.some((r) => r.writable);
  }

  /**
   * unmap_mapping_range: ask every space mapping file bytes [from, to) to drop
   * those pages' translations (`to` may be Infinity), private copies too when
   * `evenCows`.
   */
  invalidate(from: number, to: number, evenCows: boolean): void {
    // Copy first: an address space may deregister while it invalidates.
    for (const r of [...this.regs]) {
      const lo = Math.max(from, r.offset);
      const hi = Math.min(to, r.offset + (r.end - r.start));
      if (lo < hi) r.space.invalidate(r.start + (lo - r.offset), r.start + (hi - r.offset), evenCows);
    }
  }
}
