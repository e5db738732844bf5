import { Errno } from '@tskern/abi';
import { BINPRM_BUF_SIZE } from './constants';
import { checkElfExec, type CheckedElf, type OpenExec } from './elf-check';
import type { ExecArgs } from './exec-args';
import { readBinprmBuf, type ExecFile } from './exec-file';
import { isScript, parseScriptLine } from './script';

/** An execve that found its ELF program: what to load, with which strings, from which file. */
export interface ResolvedExec<F = unknown> {
  readonly elf: CheckedElf<F>;
  /** The strings after any `#!` rewriting. */
  readonly args: ExecArgs;
  /** The ELF file that runs (bprm->file): /proc/[pid]/exe names it, not a script. */
  readonly exe: ExecFile<F>;
  /** The path it was opened by (the last interpreter's, or execve's own). */
  readonly exePath: string;
}

/** exec_binprm gives up after this many interpreter hops (-ELOOP). */
export const MAX_INTERPRETER_DEPTH = 5;

/**
 * fs/exec.c's search for a binary format, with the two tskern has: a `#!`
 * script (binfmt_script: the arguments rewritten, the interpreter opened
 * and searched again, at most MAX_INTERPRETER_DEPTH deep: -ELOOP) and ELF
 * for `machine` (binfmt_elf's checks up to the point of no return). Any
 * other content, an ELF of another machine included, is -ENOEXEC.
 * `file` is the opened `filename`; `openExec` opens interpreters (its
 * errors are returned as they are).
 */
export function resolveExec<F>(
  file: ExecFile<F>, filename: string, args: ExecArgs, machine: number, openExec: OpenExec<F>,
): ResolvedExec<F> | number {
  let current = file;
  let path = filename;
  let strings = args;
  for (let depth = 0; ; depth++) {
    if (depth > MAX_INTERPRETER_DEPTH) return -Errno.ELOOP;
    const buf = readBinprmBuf(current, BINPRM_BUF_SIZE);
    if (typeof buf === 'number') return buf;
    if (isScript(buf)) {
      const line = parseScriptLine(buf);
      if (typeof line === 'number') return line;
      const rewritten = strings.withInterpreter(line, path);
      if (typeof rewritten === 'number') return rewritten;
      strings = rewritten;
      path = new TextDecoder().decode(line.interpreter);
      const next = openExec(path);
      if (typeof next === 'number') return next;
      current = next;
      continue;
    }
    const elf = checkElfExec(current, buf, machine, openExec);
    if (typeof elf === 'number') return elf;
    return { elf, args: strings, exe: current, exePath: path };
  }
}
