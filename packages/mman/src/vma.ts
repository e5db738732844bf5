import type { Mappable, MappingIdentity, UserFaultRegistration } from '@tskern/mm-api';

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
/**
 * Committed memory is charged for this private writable mapping (Linux's
 * VM_ACCOUNT). It matters to tskern only as Linux's merge rules see it: a
 * VMA keeps it after losing PROT_WRITE once it holds anonymous pages, and
 * VMAs with and without it never merge.
 */
export const VM_ACCOUNT = 1 << 10;
/** mlock2(MLOCK_ONFAULT), mlockall(MCL_ONFAULT): locked, but pages come in on fault, not at once. */
export const VM_LOCKONFAULT = 1 << 11;
/**
 * MAP_DROPPABLE memory (Linux 6.11's VM_DROPPABLE): private anonymous pages
 * the kernel may drop under memory pressure. tskern keeps them (it has no
 * reclaim); the flag keeps such VMAs apart and out of mlock.
 */
export const VM_DROPPABLE = 1 << 12;
/** Linux's VM_LOCKED_MASK: what mlock and munlock change. */
export const VM_LOCKED_MASK = VM_LOCKED | VM_LOCKONFAULT;

let anonIds = 0;

/**
 * The identity of a private mapping's anonymous memory (Linux's anon_vma): a
 * VMA gets one at its first store, shares it with the pieces it splits into
 * (and with a compatible neighbour, as anon_vma_prepare reuses one), and two
 * VMAs with different ones never merge. A fork gives the child's VMA a new one.
 */
export class AnonVma {
  readonly id = ++anonIds;
  /**
   * Made by fork for the child: its anon_vma_chain also links the parent's
   * (vma_had_uncowed_parents), and Linux then never merges it with a VMA
   * that has no anonymous memory.
   */
  constructor(readonly inherited = false) {}
  /** The interned VMAs that carry this identity (dies with it). */
  readonly interned = new VmaInterning();
}

/**
 * Interned private anonymous VMAs by attributes. The last one asked for is
 * compared field by field before any key string is built: a fresh
 * identity's table (one per first store) usually only ever holds one, and
 * an mmap+touch+munmap loop asks for the same one again and again.
 */
class VmaInterning {
  private last: Vma | null = null;
  private byKey: Map<string, Vma> | null = null;

  /** The VMA with these attributes, or undefined (then `add` the new one). */
  find(prot: number, maxProt: number, flags: number, name: string | null, pgoffDelta: number): Vma | undefined {
    const last = this.last;
    if (last !== null && last.prot === prot && last.maxProt === maxProt && last.flags === flags && last.name === name && last.pgoffDelta === pgoffDelta) {
      return last;
    }
    if (this.byKey === null) return undefined;
    const vma = this.byKey.get(keyOf(prot, maxProt, flags, name, pgoffDelta));
    if (vma !== undefined) this.last = vma;
    return vma;
  }

  add(vma: Vma): void {
    if (this.last === null) {
      this.last = vma;
      return;
    }
    if (this.byKey === null) {
      const last = this.last;
      this.byKey = new Map([[keyOf(last.prot, last.maxProt, last.flags, last.name, last.pgoffDelta), last]]);
    }
    this.byKey.set(keyOf(vma.prot, vma.maxProt, vma.flags, vma.name, vma.pgoffDelta), vma);
    this.last = vma;
  }
}

function keyOf(prot: number, maxProt: number, flags: number, name: string | null, pgoffDelta: number): string {
  return `${prot}:${maxProt}:${flags}:${name ?? ''}:${pgoffDelta}`;
}

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
    /** The anonymous memory identity (private mappings that were written), or null. */
    readonly anon: AnonVma | null,
    /**
     * For private anonymous VMAs: Linux's vm_pgoff minus the first page number.
     * 0 for a mapping made in place; a VMA moved by mremap after it held
     * anonymous pages keeps its old vm_pgoff, so it becomes nonzero and the
     * VMA no longer merges with neighbours made in place.
     */
    readonly pgoffDelta: number,
    /**
     * The userfaultfd this range is registered with for missing pages
     * (vm_userfaultfd_ctx with VM_UFFD_MISSING), or null: a missing-page
     * fault asks it first (see fault.ts).
     */
    readonly uffd: UserFaultRegistration | null,
  ) {}

  private static readonly interned = new VmaInterning();

  /** The VMA with these attributes (private anonymous ones are shared objects). */
  static of(
    prot: number,
    maxProt: number,
    shared: boolean,
    backing: VmaBacking | null,
    offset: number,
    flags: number,
    name: string | null,
    anon: AnonVma | null = null,
    pgoffDelta = 0,
    uffd: UserFaultRegistration | null = null,
  ): Vma {
    // A registered VMA is not interned: the intern tables would keep its userfaultfd alive.
    if (backing !== null || shared || uffd !== null) return new Vma(prot, maxProt, shared, backing, offset, flags, name, anon, backing === null && !shared ? pgoffDelta : 0, uffd);
    const table = anon === null ? Vma.interned : anon.interned;
    let vma = table.find(prot, maxProt, flags, name, pgoffDelta);
    if (vma === undefined) {
      vma = new Vma(prot, maxProt, false, null, 0, flags, name, anon, pgoffDelta, null);
      table.add(vma);
    }
    return vma;
  }

  /** This VMA with some attributes changed. */
  with(change: { prot?: number; flags?: number; anon?: AnonVma | null; pgoffDelta?: number; uffd?: UserFaultRegistration | null }): Vma {
    return Vma.of(
      change.prot ?? this.prot,
      this.maxProt,
      this.shared,
      this.backing,
      this.offset,
      change.flags ?? this.flags,
      this.name,
      change.anon === undefined ? this.anon : change.anon,
      change.pgoffDelta ?? this.pgoffDelta,
      change.uffd === undefined ? this.uffd : change.uffd,
    );
  }

  /** The VMA describing the part that starts `delta` bytes into this one. */
  slice(delta: number): Vma {
    if (this.backing === null) return this;
    return new Vma(this.prot, this.maxProt, this.shared, this.backing, this.offset + delta, this.flags, this.name, this.anon, 0, this.uffd);
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
  // is_mergeable_vm_userfaultfd_ctx: only VMAs registered with the same userfaultfd (or neither) merge.
  if (a.uffd !== b.uffd) return false;
  // is_mergeable_anon_vma: at most one of them has anonymous memory (and that
  // one was not inherited through fork), or they share it.
  if (a.anon !== null && b.anon !== null && a.anon !== b.anon) return false;
  if (a.anon !== b.anon && (a.anon ?? b.anon)!.inherited) return false;
  if (a.backing === null || b.backing === null) return a.backing === b.backing && a.pgoffDelta === b.pgoffDelta;
  if (a.backing.identity !== b.backing.identity) return false;
  return a.offset + aLength === b.offset;
}

/**
 * anon_vma_compatible (mm/rmap.c via find_mergeable_anon_vma): `b` starts
 * where `a` ends, maps the same object at contiguous offsets, and differs at
 * most in protections; then `b` may share `a`'s anonymous memory identity.
 */
export function anonCompatible(a: Vma, aLength: number, b: Vma): boolean {
  if (a.flags !== b.flags || a.shared !== b.shared || a.name !== b.name) return false;
  // VM_UFFD_MISSING is a vm_flags bit, which anon_vma_compatible compares.
  if ((a.uffd === null) !== (b.uffd === null)) return false;
  if (a.backing === null || b.backing === null) return a.backing === b.backing && a.pgoffDelta === b.pgoffDelta;
  return a.backing.identity === b.backing.identity && a.offset + aLength === b.offset;
}
