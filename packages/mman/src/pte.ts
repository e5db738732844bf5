/**
 * Page-table entry flags. An entry is present when its flags are nonzero.
 *
 * The page table holds what is resolved (frame + effective access), never
 * what the program asked for: that is the VMA's job. Keeping the two apart
 * means invalidation only ever touches the page table (as gVisor's pmas
 * beside its vmas).
 */
export const PTE_PRESENT = 1;
/** Loads allowed (any of PROT_READ/WRITE/EXEC on x86-64 makes a page readable). */
export const PTE_READ = 2;
/** Stores allowed now; off on copy-on-write pages until the write fault. */
export const PTE_WRITE = 4;
/**
 * The frame is private to this mapping: an anonymous page or a COW copy (it
 * may still be shared with fork relatives, then the refcount says so). Absent
 * on private mappings means the frame is the file's page-cache frame.
 */
export const PTE_ANON = 8;
/** A store must first copy the frame (or take it over when unique). */
export const PTE_COW = 16;
/**
 * Instruction fetches allowed: set exactly when the VMA has VM_EXEC
 * (PROT_EXEC). riscv64 has no READ_IMPLIES_EXEC, so a fetch from a page
 * without it is SIGSEGV/SEGV_ACCERR (arch/riscv/mm/fault.c:access_error).
 */
export const PTE_EXEC = 32;
/**
 * A clean page of a write-notify object (Mappable.writeNotify) in a shared
 * mapping: stores are withheld until a write fault has told the object,
 * which marks the page dirty (do_shared_fault/wp_page_shared with
 * page_mkwrite). Cleared by that fault.
 */
export const PTE_CLEAN = 64;
/** The flags that say what an entry is, beside the access bits recomputed from the VMA. */
export const PTE_KIND = PTE_PRESENT | PTE_ANON | PTE_COW | PTE_CLEAN;
