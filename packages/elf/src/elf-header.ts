import { u16, u32, u64 } from './bytes';
import {
  EI_CLASS, ELF64_PHDR_SIZE, ELF_MAGIC, ELF_MIN_ALIGN, ELFCLASS64, ET_DYN, ET_EXEC, MAX_PHDRS_BYTES,
} from './constants';
import { readExact, type ExecFile } from './exec-file';

/** The fields of Elf64_Ehdr the loader uses. */
export interface ElfHeader {
  readonly type: number;
  readonly machine: number;
  readonly entry: number;
  readonly phoff: number;
  readonly phentsize: number;
  readonly phnum: number;
}

/** One Elf64_Phdr. */
export interface ProgramHeader {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly align: number;
}

/** Whether `buf` starts with `\x7fELF` (the test every ELF check starts with). */
export function hasElfMagic(buf: Uint8Array): boolean {
  return ELF_MAGIC.every((byte, i) => buf[i] === byte);
}

/** Decode the header fields from the first bytes of the file (no check). */
export function decodeElfHeader(buf: Uint8Array): ElfHeader {
  return {
    type: u16(buf, 16),
    machine: u16(buf, 18),
    entry: u64(buf, 24),
    phoff: u64(buf, 32),
    phentsize: u16(buf, 54),
    phnum: u16(buf, 56),
  };
}

/**
 * elf_check_arch of a 64-bit personality: the machine asked for and
 * ELFCLASS64 (as arch/riscv/include/asm/elf.h). Linux does not look at
 * EI_DATA, EI_VERSION or e_version: a big-endian file fails on e_machine,
 * whose bytes read little-endian are another number.
 */
export function elfArchMatches(buf: Uint8Array, header: ElfHeader, machine: number): boolean {
  return header.machine === machine && buf[EI_CLASS] === ELFCLASS64;
}

/** Whether e_type is one execve loads (ET_EXEC or ET_DYN). */
export function isLoadableType(type: number): boolean {
  return type === ET_EXEC || type === ET_DYN;
}

/**
 * load_elf_phdrs: e_phentsize must be sizeof(Elf64_Phdr), the table non-empty
 * and at most a page (and 64 KiB), and read whole. Returns the headers, or
 * null where Linux's returns NULL (the caller picks the errno: ENOEXEC for
 * the program, ELIBBAD for its interpreter).
 */
export function readProgramHeaders(file: ExecFile, header: ElfHeader): ProgramHeader[] | null {
  if (header.phentsize !== ELF64_PHDR_SIZE) return null;
  const size = ELF64_PHDR_SIZE * header.phnum;
  if (size === 0 || size > MAX_PHDRS_BYTES || size > ELF_MIN_ALIGN) return null;
  const table = readExact(file, header.phoff, size);
  if (typeof table === 'number') return null;
  const phdrs: ProgramHeader[] = [];
  for (let at = 0; at < size; at += ELF64_PHDR_SIZE) {
    phdrs.push({
      type: u32(table, at),
      flags: u32(table, at + 4),
      offset: u64(table, at + 8),
      vaddr: u64(table, at + 16),
      filesz: u64(table, at + 32),
      memsz: u64(table, at + 40),
      align: u64(table, at + 48),
    });
  }
  return phdrs;
}
