import { Errno, execArgumentSpace, MAX_ARG_STRLEN, RLIMIT } from '@tskern/abi';
import type { ExecStrings, Task } from '@tskern/tasks';
import { limitNumber, limitsOf } from './rlimits';

/**
 * The most pointers count() reads before answering E2BIG: more than the
 * largest argument space (any RLIMIT_STACK) could hold can never fit, and
 * reading on would only walk the caller's memory (Linux counts on to
 * MAX_ARG_STRINGS, checking for a fatal signal as it goes).
 */
const MOST_POINTERS = execArgumentSpace(Infinity) / 8;

/**
 * count() of fs/exec.c: the pointers of a NULL-terminated user array (a NULL
 * array is empty); EFAULT when a pointer cannot be read, E2BIG once there
 * are more than MOST_POINTERS.
 */
function readPointers(task: Task, addr: number): number[] | number {
  const out: number[] = [];
  if (addr === 0) return out;
  const word = new Uint8Array(8);
  const view = new DataView(word.buffer);
  for (;;) {
    if (out.length >= MOST_POINTERS) return -Errno.E2BIG;
    if (task.mem.copyIn(addr + out.length * 8, word, 0, 8) < 0) return -Errno.EFAULT;
    const p = Number(view.getBigUint64(0, true));
    if (p === 0) return out;
    out.push(p);
  }
}

/**
 * copy_strings: each string (strnlen_user with MAX_ARG_STRLEN: EFAULT when
 * unreadable, E2BIG when longer), and E2BIG once the strings pass the room
 * left (`room.n` bytes, which this spends), as copy_strings checks bprm->p
 * against bprm->argmin.
 */
function readStrings(task: Task, pointers: readonly number[], room: { n: number }): Uint8Array[] | number {
  const out: Uint8Array[] = [];
  for (const p of pointers) {
    const s = task.mem.readString(p, MAX_ARG_STRLEN - 1);
    if (s === -Errno.ENAMETOOLONG) return -Errno.E2BIG;
    if (typeof s === 'number') return -Errno.EFAULT;
    room.n -= s.length + 1;
    if (room.n < 0) return -Errno.E2BIG;
    out.push(s);
  }
  return out;
}

/**
 * execve's arguments from the caller's memory, in do_execveat_common's
 * order: count argv, count envp, size the argument space from the caller's
 * RLIMIT_STACK (bprm_stack_limits: E2BIG when the pointers alone fill it,
 * an empty argv counting as one), then copy the environment before the
 * arguments (so a bad envp string is reported before a bad argv string).
 * The file name's copy, which Linux also charges, is the binary format's
 * (it knows the name it was given and checks the total again).
 */
export function readExecStrings(task: Task, argvAddr: number, envpAddr: number): ExecStrings | number {
  const stackLimit = limitNumber(limitsOf(task).cur[RLIMIT.RLIMIT_STACK]!);
  const space = execArgumentSpace(stackLimit);
  const argvPointers = readPointers(task, argvAddr);
  if (typeof argvPointers === 'number') return argvPointers;
  const envpPointers = readPointers(task, envpAddr);
  if (typeof envpPointers === 'number') return envpPointers;
  const pointerBytes = (Math.max(argvPointers.length, 1) + envpPointers.length) * 8;
  if (space <= pointerBytes) return -Errno.E2BIG;
  const room = { n: space - pointerBytes };
  const envp = readStrings(task, envpPointers, room);
  if (typeof envp === 'number') return envp;
  const argv = readStrings(task, argvPointers, room);
  if (typeof argv === 'number') return argv;
  return { argv, envp, stackLimit };
}
