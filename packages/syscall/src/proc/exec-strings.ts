import { Errno } from '@tskern/abi';
import type { ExecStrings, Task } from '@tskern/tasks';

/** MAX_ARG_STRLEN (include/uapi/linux/binfmts.h): 32 pages, the NUL included. */
const MAX_ARG_STRLEN = 32 * 4096;
/**
 * The most pointers execve reads before giving up with E2BIG: bprm_stack_limits
 * allows at most 6 MiB (3/4 of _STK_LIM) of strings and pointers together, so
 * more pointers than fit in it can never succeed.
 */
const MAX_POINTERS = (6 * 1024 * 1024) / 8;
const MAX_TOTAL = 6 * 1024 * 1024;

/**
 * count() of fs/exec.c: the pointers of a NULL-terminated user array (a NULL
 * array is empty); EFAULT when a pointer cannot be read, E2BIG when there
 * are more than could ever fit.
 */
function readPointers(task: Task, addr: number): number[] | number {
  const out: number[] = [];
  if (addr === 0) return out;
  const word = new Uint8Array(8);
  const view = new DataView(word.buffer);
  for (;;) {
    if (out.length >= MAX_POINTERS) return -Errno.E2BIG;
    if (task.mem.copyIn(addr + out.length * 8, word, 0, 8) < 0) return -Errno.EFAULT;
    const p = Number(view.getBigUint64(0, true));
    if (p === 0) return out;
    out.push(p);
  }
}

/**
 * copy_strings: each string (strnlen_user with MAX_ARG_STRLEN: EFAULT when
 * unreadable, E2BIG when longer); the exact stack limit is the binary
 * format's check (bprm_stack_limits with RLIMIT_STACK), this only stops a
 * copy that could never fit.
 */
function readStrings(task: Task, pointers: readonly number[], total: { n: number }): Uint8Array[] | number {
  const out: Uint8Array[] = [];
  for (const p of pointers) {
    const s = task.mem.readString(p, MAX_ARG_STRLEN - 1);
    if (s === -Errno.ENAMETOOLONG) return -Errno.E2BIG;
    if (typeof s === 'number') return -Errno.EFAULT;
    total.n += s.length + 1;
    if (total.n > MAX_TOTAL) return -Errno.E2BIG;
    out.push(s);
  }
  return out;
}

/**
 * execve's arguments from the caller's memory, in do_execveat_common's
 * order: count argv, count envp, then copy the environment before the
 * arguments (so a bad envp string is reported before a bad argv string).
 */
export function readExecStrings(task: Task, argvAddr: number, envpAddr: number): ExecStrings | number {
  const argvPointers = readPointers(task, argvAddr);
  if (typeof argvPointers === 'number') return argvPointers;
  const envpPointers = readPointers(task, envpAddr);
  if (typeof envpPointers === 'number') return envpPointers;
  if ((argvPointers.length + envpPointers.length) * 8 >= MAX_TOTAL) return -Errno.E2BIG;
  const total = { n: (argvPointers.length + envpPointers.length) * 8 };
  const envp = readStrings(task, envpPointers, total);
  if (typeof envp === 'number') return envp;
  const argv = readStrings(task, argvPointers, total);
  if (typeof argv === 'number') return argv;
  return { argv, envp };
}
