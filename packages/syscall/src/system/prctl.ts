import { Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { capabilityPrctl } from '../proc/capabilities';

/** prctl options tskern serves (include/uapi/linux/prctl.h). */
export const PR = {
  PR_SET_PDEATHSIG: 1,
  PR_GET_PDEATHSIG: 2,
  PR_GET_DUMPABLE: 3,
  PR_SET_DUMPABLE: 4,
  PR_SET_NAME: 15,
  PR_GET_NAME: 16,
  PR_SET_CHILD_SUBREAPER: 36,
  PR_GET_CHILD_SUBREAPER: 37,
  PR_SET_NO_NEW_PRIVS: 38,
  PR_GET_NO_NEW_PRIVS: 39,
} as const;

/** TASK_COMM_LEN: comm with its NUL. */
const TASK_COMM_LEN = 16;
/** _NSIG: the highest signal number valid_signal accepts. */
const NSIG = 64;

function putInt(task: Task, addr: number, value: number): number {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, value, true);
  return task.mem.copyOut(addr, b, 0, 4) < 0 ? -Errno.EFAULT : 0;
}

/** strncpy_from_user(comm, name, 15): up to 15 bytes or the NUL; a fault before either is EFAULT. */
function readComm(task: Task, addr: number): string | number {
  const one = new Uint8Array(1);
  let name = '';
  for (let i = 0; i < TASK_COMM_LEN - 1; i++) {
    if (task.mem.copyIn(addr + i, one, 0, 1) < 0) return -Errno.EFAULT;
    if (one[0] === 0) break;
    name += String.fromCharCode(one[0]!);
  }
  return name;
}

/**
 * prctl(2) (kernel/sys.c): the options start-up code uses — the parent-death
 * signal (valid_signal, else EINVAL; delivered when the parent process
 * exits), the dumpable flag (only SUID_DUMP_DISABLE 0 or SUID_DUMP_USER 1
 * may be set), the command name (15 bytes; PR_GET_NAME writes all 16),
 * the child-subreaper flag (stored: orphans still go to the reaper), and
 * no_new_privs (set only with arg2 1 and the other arguments 0; it cannot
 * be cleared), and the capability options (capabilityPrctl). Any other
 * option is EINVAL.
 */
export function sysPrctl(task: Task, option: number, arg2: number, arg3: number, arg4: number, arg5: number): number {
  // The capability module answers its options first (security_task_prctl).
  const caps = capabilityPrctl(task, option, arg2, arg3, arg4, arg5);
  if (caps !== null) return caps;
  switch (option) {
    case PR.PR_SET_PDEATHSIG:
      if (arg2 < 0 || arg2 > NSIG) return -Errno.EINVAL;
      task.pdeathSignal = arg2;
      return 0;
    case PR.PR_GET_PDEATHSIG:
      return putInt(task, arg2, task.pdeathSignal);
    case PR.PR_GET_DUMPABLE:
      return task.group.dumpable;
    case PR.PR_SET_DUMPABLE:
      if (arg2 !== 0 && arg2 !== 1) return -Errno.EINVAL;
      task.group.dumpable = arg2;
      return 0;
    case PR.PR_SET_NAME: {
      const name = readComm(task, arg2);
      if (typeof name === 'number') return name;
      task.comm = name;
      return 0;
    }
    case PR.PR_GET_NAME: {
      const b = new Uint8Array(TASK_COMM_LEN);
      for (let i = 0; i < task.comm.length && i < TASK_COMM_LEN - 1; i++) b[i] = task.comm.charCodeAt(i) & 0xff;
      return task.mem.copyOut(arg2, b, 0, TASK_COMM_LEN) < 0 ? -Errno.EFAULT : 0;
    }
    case PR.PR_SET_CHILD_SUBREAPER:
      task.group.childSubreaper = arg2 !== 0;
      return 0;
    case PR.PR_GET_CHILD_SUBREAPER:
      return putInt(task, arg2, task.group.childSubreaper ? 1 : 0);
    case PR.PR_SET_NO_NEW_PRIVS:
      if (arg2 !== 1 || arg3 !== 0 || arg4 !== 0 || arg5 !== 0) return -Errno.EINVAL;
      task.noNewPrivs = true;
      return 0;
    case PR.PR_GET_NO_NEW_PRIVS:
      if (arg2 !== 0 || arg3 !== 0 || arg4 !== 0 || arg5 !== 0) return -Errno.EINVAL;
      return task.noNewPrivs ? 1 : 0;
    default:
      return -Errno.EINVAL;
  }
}
