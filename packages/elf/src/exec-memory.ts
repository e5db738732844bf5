/**
 * How a mapping request places itself: `hint` lets mmap choose (the address
 * is a hint), `fixed` replaces what is there (MAP_FIXED), `fixed-noreplace`
 * fails with -EEXIST when something is there (MAP_FIXED_NOREPLACE).
 */
export type MapPlacement = 'hint' | 'fixed' | 'fixed-noreplace';

/**
 * The memory operations a load plan needs from the kernel, on the new
 * program's address space (the memory manager implements them; a test, a
 * fake). Every call answers a non-negative number or -errno.
 */
export interface ExecMemory<F = unknown> {
  /**
   * vm_mmap(file, addr, length, prot, MAP_PRIVATE | placement, offset): a
   * private file mapping through the page cache. `offset` is page-aligned,
   * `length` a whole number of pages. Returns the address.
   */
  mapFile(file: F, addr: number, length: number, prot: number, placement: MapPlacement, offset: number): number;
  /**
   * vm_brk_flags(addr, length, exec ? VM_EXEC : 0): anonymous zero pages at
   * exactly `addr`, readable and writable (and executable when asked),
   * replacing what is there. Returns 0.
   */
  mapAnonymous(addr: number, length: number, exec: boolean): number;
  /** vm_munmap. Returns 0. */
  unmap(addr: number, length: number): number;
  /** clear_user: zero `length` bytes at `addr`. Returns 0 or -EFAULT. */
  zero(addr: number, length: number): number;
  /** copy_to_user: store `bytes` at `addr`. Returns 0 or -EFAULT. */
  write(addr: number, bytes: Uint8Array): number;
}
