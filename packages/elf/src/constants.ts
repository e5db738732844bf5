import { DEFAULT_STACK_LIMIT } from '@tskern/abi';

/**
 * The ELF format's own numbers (include/uapi/linux/elf.h) and the limits
 * the Linux loader applies (fs/binfmt_elf.c, include/linux/binfmts.h,
 * fs/exec.c). These are properties of the file format and of the exec path,
 * not syscall flags, so they live with the loader.
 */

/** `\x7fELF` (ELFMAG), the first four bytes of e_ident. */
export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;

/** e_ident indices and values. */
export const EI_CLASS = 4;
export const EI_DATA = 5;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;

/** e_type values the loader accepts. */
export const ET_EXEC = 2;
export const ET_DYN = 3;

/** e_machine of RISC-V (EM_RISCV). */
export const EM_RISCV = 243;
/** e_machine of x86-64 (EM_X86_64). */
export const EM_X86_64 = 62;

/** Program header types. */
export const PT = {
  PT_NULL: 0,
  PT_LOAD: 1,
  PT_DYNAMIC: 2,
  PT_INTERP: 3,
  PT_NOTE: 4,
  PT_PHDR: 6,
  PT_TLS: 7,
  PT_GNU_EH_FRAME: 0x6474e550,
  PT_GNU_STACK: 0x6474e551,
  PT_GNU_RELRO: 0x6474e552,
  PT_GNU_PROPERTY: 0x6474e553,
} as const;

/** Program header flags. */
export const PF = { PF_X: 1, PF_W: 2, PF_R: 4 } as const;

/** sizeof(Elf64_Ehdr) and sizeof(Elf64_Phdr). */
export const ELF64_EHDR_SIZE = 64;
export const ELF64_PHDR_SIZE = 56;

/**
 * BINPRM_BUF_SIZE: the bytes of the file execve reads first (prepare_binprm)
 * and every binary format looks at: the ELF header, the `#!` line.
 */
export const BINPRM_BUF_SIZE = 256;

/** ELF_MIN_ALIGN: the page, the unit of every mapping (ELF_EXEC_PAGESIZE is PAGE_SIZE here). */
export const ELF_MIN_ALIGN = 4096;

/** load_elf_phdrs refuses a header table larger than this (and larger than a page). */
export const MAX_PHDRS_BYTES = 65536;

// MAX_ARG_STRLEN and ARG_MAX are defined once, in abi (the syscall layer copies the strings, the loader places them).
export { ARG_MAX, MAX_ARG_STRLEN } from '@tskern/abi';
/**
 * @deprecated Use `DEFAULT_STACK_LIMIT` from `@tskern/abi` (_STK_LIM, defined
 * once there; arguments never take more than 3/4 of it); this alias goes in
 * the next minor release.
 */
export const STK_LIM = DEFAULT_STACK_LIMIT;

/** CLOCKS_PER_SEC as AT_CLKTCK reports it (USER_HZ). */
export const USER_HZ = 100;

/** Auxiliary vector entry types (include/uapi/linux/auxvec.h, arch/riscv/include/uapi/asm/auxvec.h). */
export const AUXV = {
  AT_NULL: 0,
  AT_IGNORE: 1,
  AT_EXECFD: 2,
  AT_PHDR: 3,
  AT_PHENT: 4,
  AT_PHNUM: 5,
  AT_PAGESZ: 6,
  AT_BASE: 7,
  AT_FLAGS: 8,
  AT_ENTRY: 9,
  AT_NOTELF: 10,
  AT_UID: 11,
  AT_EUID: 12,
  AT_GID: 13,
  AT_EGID: 14,
  AT_PLATFORM: 15,
  AT_HWCAP: 16,
  AT_CLKTCK: 17,
  AT_SECURE: 23,
  AT_BASE_PLATFORM: 24,
  AT_RANDOM: 25,
  AT_HWCAP2: 26,
  AT_RSEQ_FEATURE_SIZE: 27,
  AT_RSEQ_ALIGN: 28,
  AT_EXECFN: 31,
  AT_SYSINFO_EHDR: 33,
  AT_L1I_CACHESIZE: 40,
  AT_L1I_CACHEGEOMETRY: 41,
  AT_L1D_CACHESIZE: 42,
  AT_L1D_CACHEGEOMETRY: 43,
  AT_L2_CACHESIZE: 44,
  AT_L2_CACHEGEOMETRY: 45,
  AT_L3_CACHESIZE: 46,
  AT_L3_CACHEGEOMETRY: 47,
  AT_MINSIGSTKSZ: 51,
} as const;
