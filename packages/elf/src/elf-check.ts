import { Errno, PATH_MAX } from '@tskern/abi';
import { ELF64_EHDR_SIZE, PF, PT } from './constants';
import {
  decodeElfHeader, elfArchMatches, hasElfMagic, isLoadableType, readProgramHeaders,
  type ElfHeader, type ProgramHeader,
} from './elf-header';
import { readExact, type ExecFile } from './exec-file';

/** A binary whose header and program headers passed the checks. */
export interface ElfBinary<F = unknown> {
  readonly file: ExecFile<F>;
  readonly header: ElfHeader;
  readonly phdrs: readonly ProgramHeader[];
}

/** PT_GNU_STACK's answer: the stack's execute permission (EXSTACK_DEFAULT, _ENABLE_X, _DISABLE_X). */
export type StackExec = 'default' | 'executable' | 'non-executable';

/** An ELF executable execve can load: everything checked before the point of no return. */
export interface CheckedElf<F = unknown> {
  readonly program: ElfBinary<F>;
  /** The PT_INTERP path and the dynamic loader it names, or null for a static program. */
  readonly interpreter: (ElfBinary<F> & { readonly path: string }) | null;
  readonly stack: StackExec;
}

/** open_exec for the interpreter: the kernel looks the path up and checks it (-ENOENT, -EACCES...). */
export type OpenExec<F> = (path: string) => ExecFile<F> | number;

/**
 * The checks load_elf_binary makes before begin_new_exec, in its order, so
 * a refusal is execve's return value and the caller keeps running:
 * the magic, e_type (ET_EXEC or ET_DYN), elf_check_arch (`machine` and
 * ELFCLASS64), the program headers (load_elf_phdrs) — all -ENOEXEC, the
 * answer that lets execve try the next binary format; the first PT_INTERP
 * (2 to PATH_MAX bytes, NUL-terminated: -ENOEXEC; a short read: -EIO),
 * opened through `openExec` (its errno as is) and checked (magic, machine,
 * program headers: -ELIBBAD); the last PT_GNU_STACK decides the stack's
 * execute permission.
 *
 * `buf` is the first BINPRM_BUF_SIZE bytes of `file` (zero-padded).
 */
export function checkElfExec<F>(file: ExecFile<F>, buf: Uint8Array, machine: number, openExec: OpenExec<F>): CheckedElf<F> | number {
  if (!hasElfMagic(buf)) return -Errno.ENOEXEC;
  const header = decodeElfHeader(buf);
  if (!isLoadableType(header.type)) return -Errno.ENOEXEC;
  if (!elfArchMatches(buf, header, machine)) return -Errno.ENOEXEC;
  const phdrs = readProgramHeaders(file, header);
  if (phdrs === null) return -Errno.ENOEXEC;
  const program: ElfBinary<F> = { file, header, phdrs };

  let interpreter: CheckedElf<F>['interpreter'] = null;
  const interp = phdrs.find((ph) => ph.type === PT.PT_INTERP);
  if (interp !== undefined) {
    const opened = openInterpreter(file, interp, machine, openExec);
    if (typeof opened === 'number') return opened;
    interpreter = opened;
  }

  let stack: StackExec = 'default';
  for (const ph of phdrs) {
    if (ph.type === PT.PT_GNU_STACK) stack = (ph.flags & PF.PF_X) !== 0 ? 'executable' : 'non-executable';
  }
  return { program, interpreter, stack };
}

function openInterpreter<F>(
  file: ExecFile<F>, ph: ProgramHeader, machine: number, openExec: OpenExec<F>,
): (ElfBinary<F> & { path: string }) | number {
  if (ph.filesz > PATH_MAX || ph.filesz < 2) return -Errno.ENOEXEC;
  const raw = readExact(file, ph.offset, ph.filesz);
  if (typeof raw === 'number') return raw;
  if (raw[ph.filesz - 1] !== 0) return -Errno.ENOEXEC;
  // open_exec takes a C string: the path ends at its first NUL.
  const path = new TextDecoder().decode(raw.subarray(0, raw.indexOf(0)));
  const ifile = openExec(path);
  if (typeof ifile === 'number') return ifile;
  const ibuf = readExact(ifile, 0, ELF64_EHDR_SIZE);
  if (typeof ibuf === 'number') return ibuf;
  if (!hasElfMagic(ibuf)) return -Errno.ELIBBAD;
  const iheader = decodeElfHeader(ibuf);
  if (!elfArchMatches(ibuf, iheader, machine)) return -Errno.ELIBBAD;
  const iphdrs = readProgramHeaders(ifile, iheader);
  if (iphdrs === null) return -Errno.ELIBBAD;
  return { file: ifile, header: iheader, phdrs: iphdrs, path };
}
