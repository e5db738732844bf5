import type { AddressSpace } from '@tskern/mman';
import type { Task } from './task';

/**
 * argv and envp as execve copied them from the caller (fs/exec.c
 * copy_strings): each string's bytes without its NUL.
 */
export interface ExecStrings {
  readonly argv: readonly Uint8Array[];
  readonly envp: readonly Uint8Array[];
  /**
   * The caller's soft RLIMIT_STACK when execve was made, in bytes (Infinity
   * when unlimited): it sizes the argument space (bprm_stack_limits) and the
   * new program's stack, as fs/exec.c takes it into bprm->rlim_stack.
   */
  readonly stackLimit: number;
}

/**
 * A new program image a binary format built for `execve`, in an address
 * space of its own: until the task table commits it, the caller's old image
 * is untouched, so a failure up to then is an errno the caller sees.
 */
export interface ExecImage {
  /** The fresh address space holding the image, its stack and its heap start. */
  readonly mm: AddressSpace;
  /** The `[stack]` mapping. */
  readonly stack: { start: number; end: number };
  /** The architecture's user context the program starts from (pc = entry, sp = the initial stack). */
  readonly userContext: unknown;
  /** The path of the file that runs, as d_path names it (mm->exe_file, /proc/[pid]/exe). */
  readonly exePath: string;
  /** The file name execve was given (bprm->filename): comm is its last component. */
  readonly filename: string;
  /** The auxiliary vector put on the stack, AT_NULL left out (mm->saved_auxv: a core's NT_AUXV). */
  readonly auxv?: readonly (readonly [number, number])[];
  /** Called once the image is the task's (or discarded): the format lets go of its open files. */
  release(): void;
}

/**
 * A load that failed after Linux's point of no return (load_elf_binary
 * past begin_new_exec): the process is killed with SIGSEGV; `errno` is what
 * Linux's loader returned.
 */
export interface ExecFatal {
  readonly kind: 'fatal';
  readonly errno: number;
}

/**
 * The binary formats execve tries (Linux's `formats` list, fs/exec.c
 * search_binary_handler), provided by the composition root so that the task
 * and syscall layers never see ELF: `load` opens `path` for the caller
 * (open_exec's lookup and permission checks), calls `strings` once the file
 * is open (where Linux copies argv and envp: EFAULT, E2BIG come after the
 * open's errors), and builds the image. An errno leaves the caller as it was.
 */
export interface BinaryFormat {
  load(task: Task, path: string, strings: () => ExecStrings | number): ExecImage | ExecFatal | number;
}
