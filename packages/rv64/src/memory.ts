// The CPU's only view of memory. The kernel implements it over its page
// tables (with a software TLB); tests implement it over a flat buffer. The
// CPU never caches translations itself, so mprotect/munmap take effect on the
// next access (decoded instructions excepted: see Rv64Cpu.invalidateCode).

/**
 * Why an access failed, as the signal Linux would send: SIGSEGV with
 * SEGV_MAPERR (nothing mapped) or SEGV_ACCERR (mapped without the
 * permission), SIGBUS with BUS_ADRALN (a misaligned atomic, which Linux does
 * not emulate) or BUS_ADRERR (beyond the end of a file mapping). Or no
 * signal at all: `retry` means the kernel made the thread wait before the
 * access can succeed (VM_FAULT_RETRY, as a userfaultfd's missing page); the
 * driver parks the thread and, once it is woken, runs the instruction again.
 */
export type MemoryFaultKind = 'maperr' | 'accerr' | 'adraln' | 'adrerr' | 'retry';

/** What the faulting access was doing. Instruction fetch needs execute permission. */
export type MemoryAccess = 'read' | 'write' | 'execute';

/**
 * Thrown by a CpuMemory method when an access fails; the CPU catches it and
 * returns it to its driver as a `fault` exit, with the instruction not
 * retired. Faults are rare, so a throw keeps the common path free of checks.
 */
export class CpuMemoryFault extends Error {
  constructor(
    readonly kind: MemoryFaultKind,
    /** The first byte address that failed (si_addr). */
    readonly address: number,
    readonly access: MemoryAccess,
  ) {
    super(`${kind} ${access} at 0x${address.toString(16)}`);
    this.name = 'CpuMemoryFault';
  }
}

/**
 * Little-endian guest memory. Addresses are non-negative numbers below 2^53
 * (riscv64 user space is below 2^47); an address the CPU computed from a
 * register whose upper bits make it negative or huge is passed as is, and
 * the memory must fault on it (SEGV_MAPERR, as for a kernel address).
 * Accesses of any alignment must work: Linux emulates misaligned loads and
 * stores for user space (arch/riscv/kernel/traps_misaligned.c). A failing
 * access throws CpuMemoryFault and must not have written anything, except a
 * misaligned access that crosses into a failing page (Linux's emulation
 * stores byte by byte too).
 */
export interface CpuMemory {
  /** One byte, zero-extended. */
  load8(address: number): number;
  /** Two bytes, zero-extended. */
  load16(address: number): number;
  /** Four bytes, as a signed 32-bit integer. */
  load32(address: number): number;
  store8(address: number, value: number): void;
  store16(address: number, value: number): void;
  /** Four bytes; value is taken modulo 2^32. */
  store32(address: number, value: number): void;
  /** Two bytes of instruction stream, zero-extended; needs execute permission. */
  fetch16(address: number): number;
  /**
   * The memory's software TLB, when it has one the compiled blocks may probe
   * inline (jit-memory.ts): a hit is then a compare and a DataView access
   * with no call, and only a miss calls the methods above.
   */
  readonly tlb?: CpuTlb;
}

/**
 * One direct-mapped way of a software TLB: slot `page & mask` translates
 * `page` (a virtual page number) when `tag[slot]` equals it, to the page's
 * frame `frame[slot]`, a DataView of exactly its 4096 bytes (so the offset
 * in the page is the offset in the view, a small integer). The tag is an int32 so the
 * compiled probe stays in integer arithmetic: an empty slot holds -1, and a
 * page of 2^30 or more (an address of 2^42 or more, beyond any riscv64 user
 * space tskern maps) is never cached here. The owner keeps these arrays for
 * its whole life and changes them in place, dropping a slot before the
 * translation it caches stops being valid (munmap, mprotect, a COW break):
 * compiled code holds them, never a copy, so it can never use a stale entry.
 */
export interface CpuTlbWay {
  readonly tag: Int32Array;
  readonly frame: DataView[];
}

/**
 * A software TLB the CPU may read directly: a way for loads, one for stores
 * (a page may be readable but not yet writable, as under copy-on-write).
 * Only hits are taken inline; everything else (a miss, a page-crossing
 * access, a fault) goes through the CpuMemory methods, so the semantics stay
 * theirs.
 */
export interface CpuTlb {
  /** Slots per way minus one (a power of two minus one). */
  readonly mask: number;
  readonly read: CpuTlbWay;
  readonly write: CpuTlbWay;
}
