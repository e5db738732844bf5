import { Errno, execArgumentSpace, MAX_ARG_STRLEN } from '@tskern/abi';
import type { ScriptLine } from './script';

/** An argument as execve receives it: text (encoded UTF-8) or the bytes copied from user memory, without the NUL. */
export type ExecString = string | Uint8Array;

const encoder = new TextEncoder();

/** The bytes of `s` with its terminating NUL. */
function withNul(s: ExecString): Uint8Array {
  const bytes = typeof s === 'string' ? encoder.encode(s) : s;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/**
 * The argument strings of an execve, as fs/exec.c copies them into the new
 * stack (bprm->p going down from the top): the file name (AT_EXECFN), the
 * environment, the arguments. Every string counts against a quarter of the
 * stack limit (at most 3/4 of 8 MiB, at least ARG_MAX) less the room for
 * the pointers, and none may exceed MAX_ARG_STRLEN: -E2BIG.
 */
export class ExecArgs {
  private constructor(
    /** Each argument with its NUL, argv[0] first. */
    readonly argv: readonly Uint8Array[],
    readonly envp: readonly Uint8Array[],
    /** The name execve was given (bprm->filename): AT_EXECFN points at it. */
    readonly execfn: Uint8Array,
    /** Bytes the strings may take (bprm->p - bprm->argmin at the start). */
    readonly limit: number,
  ) {}

  /**
   * do_execveat_common: count the pointers (bprm_stack_limits), copy the
   * file name, the environment, the arguments; an empty argv gets one ""
   * (so no program sees argc 0). `stackLimit` is RLIMIT_STACK's soft value.
   */
  static collect(filename: ExecString, argv: readonly ExecString[], envp: readonly ExecString[], stackLimit: number): ExecArgs | number {
    let limit = execArgumentSpace(stackLimit);
    const pointers = (Math.max(argv.length, 1) + envp.length) * 8;
    if (limit <= pointers) return -Errno.E2BIG;
    limit -= pointers;
    const copied = argv.map(withNul);
    const args = new ExecArgs(copied.length === 0 ? [withNul('')] : copied, envp.map(withNul), withNul(filename), limit);
    return args.fits() ? args : -Errno.E2BIG;
  }

  /** Bytes the strings take now. */
  get size(): number {
    let n = this.execfn.length;
    for (const s of this.envp) n += s.length;
    for (const s of this.argv) n += s.length;
    return n;
  }

  /**
   * binfmt_script's rewrite: argv[0] goes (remove_arg_zero), and the
   * interpreter, its optional argument and the script's path (`scriptPath`,
   * bprm->interp: the name the script was executed by) come first. -E2BIG
   * when they do not fit.
   */
  withInterpreter(line: ScriptLine, scriptPath: ExecString): ExecArgs | number {
    const head = [withNul(line.interpreter)];
    if (line.argument !== null) head.push(withNul(line.argument));
    head.push(withNul(scriptPath));
    const next = new ExecArgs([...head, ...this.argv.slice(1)], this.envp, this.execfn, this.limit);
    return next.fits() ? next : -Errno.E2BIG;
  }

  /** Whether every string is within MAX_ARG_STRLEN and all of them within the limit. */
  private fits(): boolean {
    const all = [this.execfn, ...this.envp, ...this.argv];
    return all.every((s) => s.length <= MAX_ARG_STRLEN) && this.size <= this.limit;
  }
}
