import { invariant } from '@tskern/assert';
import { putU64 } from './bytes';
import { AUXV, ELF64_PHDR_SIZE, USER_HZ } from './constants';
import type { ExecArgs } from './exec-args';
import { PAGE } from './layout';

/** One auxiliary vector entry: [AT_* type, value]. */
export type AuxvEntry = readonly [number, number];

/** What create_elf_tables puts in the auxiliary vector beyond the loaded image's addresses. */
export interface AuxvParams {
  /** AT_PHDR, AT_PHNUM, AT_BASE, AT_ENTRY: from the loaded image (LoadedElf's fields). */
  readonly phdr: number;
  readonly phnum: number;
  readonly interpreterBase: number;
  readonly programEntry: number;
  /** ELF_HWCAP (riscv: one bit per single-letter extension, bit 'a' - 'a' for A...). */
  readonly hwcap: number;
  /** ELF_HWCAP2, when the architecture has one (riscv64 has none: omitted). */
  readonly hwcap2?: number;
  readonly uid: number;
  readonly euid: number;
  readonly gid: number;
  readonly egid: number;
  /** AT_SECURE: set-user-ID or capability-raising exec (bprm->secureexec). */
  readonly secure: boolean;
  /** AT_FLAGS (AT_FLAGS_PRESERVE_ARGV0 for binfmt_misc's P flag); 0 otherwise. */
  readonly flags?: number;
  /** ARCH_DLINFO's entries, placed first (riscv: AT_SYSINFO_EHDR, the cache sizes, AT_MINSIGSTKSZ). */
  readonly arch?: readonly AuxvEntry[];
  /** ELF_PLATFORM, copied above the random bytes (riscv: none). */
  readonly platform?: string;
}

/** The new program's stack as create_elf_tables leaves it. */
export interface InitialStack {
  /** The stack pointer at entry: argc is at sp (16-byte aligned). */
  readonly sp: number;
  /** The bytes from sp to the stack top, to be written at sp. */
  readonly bytes: Uint8Array;
  readonly argc: number;
  /** The address of each argv and envp string (what argv[i] and envp[i] hold). */
  readonly argv: readonly number[];
  readonly envp: readonly number[];
  /** mm->arg_start/arg_end and env_start/env_end (/proc/[pid]/cmdline and environ). */
  readonly argStart: number;
  readonly argEnd: number;
  readonly envStart: number;
  readonly envEnd: number;
  /** AT_EXECFN: the file name string. */
  readonly execfn: number;
  /** AT_RANDOM: the 16 random bytes. */
  readonly random: number;
  /** AT_PLATFORM's string, or 0. */
  readonly platform: number;
  /** The auxiliary vector as written, AT_NULL excluded (mm->saved_auxv: /proc/[pid]/auxv). */
  readonly auxv: readonly AuxvEntry[];
}

/**
 * Lay out the initial stack below `stackTop` exactly as Linux does on a
 * downward-growing stack without randomisation:
 * - the top word stays zero (bprm->p starts at the top less a pointer);
 * - below it the file name (AT_EXECFN), then the environment strings, then
 *   the argument strings, so in memory argv[0] is lowest (fs/exec.c
 *   copy_strings works from the last string down);
 * - below them ELF_PLATFORM's string if any, then the 16 bytes of
 *   AT_RANDOM (arch_align_stack is the identity on riscv);
 * - then, from a 16-byte-aligned sp up: argc, the argv pointers, NULL, the
 *   envp pointers, NULL, the auxv pairs ending with AT_NULL
 *   (create_elf_tables: STACK_ROUND of everything below the random bytes).
 * `random` is 16 bytes from the kernel's random source (get_random_bytes).
 */
export function buildInitialStack(args: ExecArgs, aux: AuxvParams, random: Uint8Array, stackTop: number): InitialStack {
  invariant(random.length === 16, 'AT_RANDOM takes 16 bytes');
  invariant(stackTop % PAGE === 0, 'the stack top is a page boundary');
  let p = stackTop - 8;
  const strings: { addr: number; bytes: Uint8Array }[] = [];
  const push = (bytes: Uint8Array): number => {
    p -= bytes.length;
    strings.push({ addr: p, bytes });
    return p;
  };
  const execfn = push(args.execfn);
  const envp = [...args.envp].reverse().map(push).reverse();
  const argv = [...args.argv].reverse().map(push).reverse();
  const argStart = p;
  const envStart = envp.length > 0 ? envp[0]! : execfn;

  let platform = 0;
  if (aux.platform !== undefined) platform = push(new TextEncoder().encode(`${aux.platform}\0`));
  const randomAddr = push(random);

  const auxv: AuxvEntry[] = [
    ...(aux.arch ?? []),
    [AUXV.AT_HWCAP, aux.hwcap],
    [AUXV.AT_PAGESZ, PAGE],
    [AUXV.AT_CLKTCK, USER_HZ],
    [AUXV.AT_PHDR, aux.phdr],
    [AUXV.AT_PHENT, ELF64_PHDR_SIZE],
    [AUXV.AT_PHNUM, aux.phnum],
    [AUXV.AT_BASE, aux.interpreterBase],
    [AUXV.AT_FLAGS, aux.flags ?? 0],
    [AUXV.AT_ENTRY, aux.programEntry],
    [AUXV.AT_UID, aux.uid],
    [AUXV.AT_EUID, aux.euid],
    [AUXV.AT_GID, aux.gid],
    [AUXV.AT_EGID, aux.egid],
    [AUXV.AT_SECURE, aux.secure ? 1 : 0],
    [AUXV.AT_RANDOM, randomAddr],
    ...(aux.hwcap2 !== undefined ? [[AUXV.AT_HWCAP2, aux.hwcap2] as const] : []),
    [AUXV.AT_EXECFN, execfn],
    ...(platform !== 0 ? [[AUXV.AT_PLATFORM, platform] as const] : []),
  ];
  const auxWords = (auxv.length + 1) * 2;
  const items = argv.length + 1 + (envp.length + 1) + 1;
  const sp = Math.floor((p - auxWords * 8 - items * 8) / 16) * 16;

  const bytes = new Uint8Array(stackTop - sp);
  for (const s of strings) bytes.set(s.bytes, s.addr - sp);
  let at = 0;
  const word = (v: number): void => {
    putU64(bytes, at, v);
    at += 8;
  };
  word(argv.length);
  for (const a of argv) word(a);
  word(0);
  for (const e of envp) word(e);
  word(0);
  for (const [type, value] of auxv) {
    word(type);
    word(value);
  }
  word(0);
  word(0);
  return {
    sp, bytes, argc: argv.length, argv, envp,
    argStart, argEnd: envStart, envStart, envEnd: execfn,
    execfn, random: randomAddr, platform, auxv,
  };
}
