import { Errno } from '@tskern/abi';
import type { Task, ThreadGroup } from '@tskern/tasks';

/** Whether some process (running or a zombie not yet reaped) is in process group `pgid` (pid_task(.., PIDTYPE_PGID)). */
function groupExists(task: Task, pgid: number): ThreadGroup | undefined {
  for (const g of task.kernel.tasks.groups()) if (g.pgid === pgid) return g;
  return undefined;
}

/** The process of thread `pid` (0: the caller's), or undefined (find_task_by_vpid). */
function processOf(task: Task, pid: number): ThreadGroup | undefined {
  if (pid === 0) return task.group;
  return task.kernel.tasks.get(pid)?.group ?? task.kernel.tasks.group(pid);
}

/**
 * setpgid(2), in kernel/sys.c's order: pid 0 is the caller, pgid 0 is pid;
 * EINVAL for a negative pgid or a thread that is not its process's leader;
 * ESRCH for no such task or one that is neither the caller nor its child;
 * for a child, EPERM in another session and EACCES once it has exec'd;
 * EPERM for a session leader, and for a pgid other than pid that names no
 * process group of the caller's session.
 */
export function sysSetpgid(task: Task, pidArg: number, pgidArg: number): number {
  const pid = pidArg === 0 ? task.pid : pidArg;
  const pgid = pgidArg === 0 ? pid : pgidArg;
  if (pgid < 0) return -Errno.EINVAL;
  const target = pid > 0 ? task.kernel.tasks.get(pid) : undefined;
  if (target === undefined) return -Errno.ESRCH;
  const p = target.group;
  if (!target.isLeader) return -Errno.EINVAL;
  if (p.parent === task.group) {
    if (p.sid !== task.group.sid) return -Errno.EPERM;
    if (!p.forkNoExec) return -Errno.EACCES;
  } else if (p !== task.group) {
    return -Errno.ESRCH;
  }
  if (p.sessionLeader) return -Errno.EPERM;
  if (pgid !== pid) {
    const g = groupExists(task, pgid);
    if (g === undefined || g.sid !== task.group.sid) return -Errno.EPERM;
  }
  p.pgid = pgid;
  return 0;
}

/** getpgid(2): the process group of `pid` (0: the caller); ESRCH without such a task. */
export function sysGetpgid(task: Task, pid: number): number {
  if (pid < 0) return -Errno.ESRCH;
  const p = processOf(task, pid);
  return p === undefined ? -Errno.ESRCH : p.pgid;
}

/** getpgrp(2): the caller's process group (x86-64 only; asm-generic has getpgid(0)). */
export function sysGetpgrp(task: Task): number {
  return task.group.pgid;
}

/** getsid(2): the session of `pid` (0: the caller); ESRCH without such a task. */
export function sysGetsid(task: Task, pid: number): number {
  if (pid < 0) return -Errno.ESRCH;
  const p = processOf(task, pid);
  return p === undefined ? -Errno.ESRCH : p.sid;
}

/**
 * setsid(2) (ksys_setsid): EPERM when a process group with the caller's pid
 * exists (it leads one already); otherwise the caller leads a new session
 * and a new process group, both its pid, and gets the session id.
 */
export function sysSetsid(task: Task): number {
  const p = task.group;
  if (groupExists(task, p.tgid) !== undefined) return -Errno.EPERM;
  p.sid = p.tgid;
  p.pgid = p.tgid;
  return p.tgid;
}
