import { Errno, Signal, WAIT } from '@tskern/abi';
import { waitOn } from '@tskern/sched';
import type { Task, ThreadGroup } from '@tskern/tasks';
import type { SyscallReturn } from '../block';
import { childUsage, putRusage, RUSAGE_SIZE } from '../system/rusage';
import { childInfo } from './wait-status';

/** waitid's idtype (include/uapi/linux/wait.h). */
export const P = { P_ALL: 0, P_PID: 1, P_PGID: 2, P_PIDFD: 3 } as const;

const WAITID_OPTIONS =
  WAIT.WNOHANG | WAIT.WNOWAIT | WAIT.WEXITED | WAIT.WUNTRACED | WAIT.WCONTINUED | WAIT.__WNOTHREAD | WAIT.__WALL | WAIT.__WCLONE;
/** WSTOPPED is WUNTRACED. */
const WSTOPPED = WAIT.WUNTRACED;

/**
 * Store a child's SIGCHLD siginfo at `infop` as waitid does (only si_signo,
 * si_errno, si_code, si_pid, si_uid and si_status; the rest is left alone);
 * all zero when no child was ready (WNOHANG).
 */
function putSiginfo(task: Task, infop: number, child: ThreadGroup | null): number {
  const head = new Uint8Array(12);
  const body = new Uint8Array(12);
  if (child !== null) {
    const { code, status } = childInfo(child.waitStatus);
    const h = new DataView(head.buffer);
    h.setInt32(0, Signal.SIGCHLD, true);
    h.setInt32(8, code, true);
    const b = new DataView(body.buffer);
    b.setInt32(0, child.tgid, true);
    b.setUint32(4, child.leader.cred.uid, true);
    b.setInt32(8, status, true);
  }
  if (task.mem.copyOut(infop, head, 0, 12) < 0 || task.mem.copyOut(infop + 16, body, 0, 12) < 0) return -Errno.EFAULT;
  return 0;
}

/**
 * waitid(2) (kernel/exit.c kernel_waitid): which children (P_ALL, P_PID,
 * P_PGID; tskern has one process group, so P_PGID takes every child;
 * P_PIDFD is EBADF as no pidfd exists), which events (WEXITED; stops and
 * continues never happen here), WNOHANG, WNOWAIT (report, leave the zombie).
 * Returns 0 with the siginfo stored, or sleeps until a child exits.
 */
export function sysWaitid(task: Task, idtype: number, id: number, infop: number, options: number, rusage: number): SyscallReturn {
  const opts = options >>> 0;
  if ((opts & ~WAITID_OPTIONS) !== 0) return -Errno.EINVAL;
  if ((opts & (WAIT.WEXITED | WSTOPPED | WAIT.WCONTINUED)) === 0) return -Errno.EINVAL;
  let pid: number;
  switch (idtype) {
    case P.P_ALL:
      pid = -1;
      break;
    case P.P_PID:
      if (id <= 0) return -Errno.EINVAL;
      pid = id;
      break;
    case P.P_PGID:
      if (id < 0) return -Errno.EINVAL;
      pid = id === 0 ? 0 : -id;
      break;
    case P.P_PIDFD:
      return -Errno.EBADF;
    default:
      return -Errno.EINVAL;
  }
  const attempt = (): SyscallReturn => {
    const exited = (opts & WAIT.WEXITED) !== 0;
    const found = task.kernel.tasks.wait(task, pid, exited ? opts : opts | WAIT.WNOWAIT);
    if (typeof found === 'number' && found < 0) return found;
    const child = typeof found !== 'number' && exited ? found : null;
    if (child === null && (opts & WAIT.WNOHANG) === 0) {
      return { reason: `waitid(${idtype}, ${id})`, on: [waitOn(task.group.childExit)], restart: 'sys', retry: attempt, cancel: () => {} };
    }
    if (infop !== 0) {
      const err = putSiginfo(task, infop, child);
      if (err < 0) return err;
    }
    // The child's usage (wait_task_zombie's getrusage RUSAGE_BOTH); zeros when no child was ready.
    if (rusage !== 0) {
      const err = child !== null ? putRusage(task, rusage, childUsage(child)) : task.mem.copyOut(rusage, new Uint8Array(RUSAGE_SIZE), 0, RUSAGE_SIZE);
      if (err < 0) return -Errno.EFAULT;
    }
    return 0;
  };
  return attempt();
}
