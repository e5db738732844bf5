import type { Mappable, MappingIdentity } from '@tskern/mm-api';

/** VMA flags beyond protections (a subset of Linux's VM_* that tskern honours). */
export const VM_DONTCOPY = 1 << 0; // MADV_DONTFORK: not inherited by fork
export const VM_WIPEONFORK = 1 << 1; // MADV_WIPEONFORK: the child gets zero-filled memory
export const VM_GROWSDOWN = 1 << 2; // the stack
export const VM_LOCKED = 1 << 3; // MAP_LOCKED
export const VM_SEQ_READ = 1 << 4; // MADV_SEQUENTIAL
export const VM_RAND_READ = 1 << 5; // MADV_RANDOM
export const VM_DONTDUMP = 1 << 6; // MADV_DONTDUMP
export const VM_NORESERVE = 1 << 7; // MAP_NORESERVE
export const VM_HUGEPAGE = 1 << 8; // MADV_HUGEPAGE (no effect but on merging, as Linux)
export const VM_NOHUGEPAGE = 1 << 9; // MADV_NOHUGEPAGE

/** Maximum protections a mapping may ever get (Linux's VM_MAY*). */
export const MAY_READ = 1;
export const MAY_WRITE = 2;
export const MAY_EXEC = 4;

/** The object a VMA maps: a file, a shm object or shared anonymous memory. */
export interface VmaBacking {
  readonly mappable: Mappable;
  readonly identity: MappingIdentity;
  /** Shared anonymous memory: maps shows `/dev/zero (deleted)`, never merges with a neighbour. */
  readonly anonymous: boolean;
}

/**
 * A virtual memory area: what the program asked for over one address range
 * (the range itself is the segment's key in the address space's range map).
 * Compare Linux's `struct vm_area_struct` and gVisor's `mm.vma`.
 *
 * A Vma is immutable: a change makes a new one (`with`). That lets every
 * private anonymous VMA with the same attributes share one object (`Vma.of`
 * interns them), so 65,530 anonymous mappings cost 65,530 tree nodes and a
 * handful of Vmas.
 */
export class Vma {
  private constructor(
    /** PROT_READ | PROT_WRITE | PROT_EXEC. */
    readonly prot: number,
    /** MAY_READ | MAY_WRITE | MAY_EXEC: the ceiling for mprotect (EACCES above it). */
    readonly maxProt: number,
    /** MAP_SHARED: stores reach the object and every other sharer. */
    readonly shared: boolean,
    /** The mapped object, or null for private anonymous memory. */
    readonly backing: VmaBacking | null,
    /** Object offset (bytes) of the VMA's first page (0 without a backing object). */
    readonly offset: number,
    /** VM_* flags. */
    readonly flags: number,
    /** A name for maps when there is no backing (`[stack]`), else null. */
    readonly name: string | null,
  ) {}

  private static readonly interned = new Map<string, Vma>();

  /** The VMA with these attributes (private anonymous ones are shared objects). */
  static of(
    prot: number,
    maxProt: number,
    shared: boolean,
    backing: VmaBacking | null,
    offset: number,
    flags: number,
    name: string | null,
  ): Vma {
    if (backing !== null || shared) return new Vma(prot, maxProt, shared, backing, offset, flags, name);
    const key = `${prot}:${maxProt}:${flags}:${name ?? ''}`;
    let vma = Vma.interned.get(key);
    if (vma === undefined) {
      vma = new Vma(prot, maxProt, false, null, 0, flags, name);
      Vma.interned.set(key, vma);
    }
    return vma;
  }

  /** This VMA with some attributes changed. */
  with(change: { prot?: number; flags?: number }): Vma {
    return Vma.of(change.prot ?? this.prot, this.maxProt, this.shared, this.backing, this.offset, change.flags ?? this.flags, this.name);
  }

  /** The VMA describing the part that starts `delta` bytes into this one. */
  slice(delta: number): Vma {
    if (this.backing === null) return this;
    return new Vma(this.prot, this.maxProt, this.shared, this.backing, this.offset + delta, this.flags, this.name);
  }

  /** The object offset that address `address` maps, in a VMA starting at `start`. */
  objectOffset(start: number, address: number): number {
    return this.offset + (address - start);
  }
}

/**
 * Whether `b` (starting where `a` of length `aLength` ends) can merge into
 * `a`: the same object at contiguous offsets, the same protections, flags and
 * sharing. As mm/vma.c:is_mergeable_vma; shared anonymous objects are distinct
 * shmem files in Linux, so two of them never merge, and a piece of one only
 * merges with another piece of the same object.
 */
export function canMerge(a: Vma, aLength: number, b: Vma): boolean {
  if (a.prot !== b.prot || a.maxProt !== b.maxProt || a.shared !== b.shared || a.flags !== b.flags) return false;
  if (a.name !== b.name) return false;
  if (a.backing === null || b.backing === null) return a.backing === b.backing;
  if (a.backing.identity !== b.backing.identity) return false;
  return a.offset + aLength === b.offset;
}
