import { PROT } from '@tskern/abi';

/** Any of these makes a page readable on x86-64 (no execute-only or write-only pages). */
export const PROT_READ_MASK = PROT.PROT_READ | PROT.PROT_WRITE | PROT.PROT_EXEC;
export const PROT_WRITE_BIT = PROT.PROT_WRITE;
/** VM_EXEC: instruction fetches allowed. */
export const PROT_EXEC_BIT = PROT.PROT_EXEC;
/** The protection bits mprotect(2) and mmap(2) accept (arch_validate_prot on x86-64; PROT_SEM is 0x8). */
export const PROT_VALID = PROT.PROT_READ | PROT.PROT_WRITE | PROT.PROT_EXEC | 0x8;
