import { Errno } from '@tskern/abi';
import { SI, checkKillPermission, userSigInfo } from '@tskern/signal';
import type { Task, ThreadGroup } from '@tskern/tasks';
import { sendSignal } from './send-signal';

/** check_kill_permission then send to the process of `target` (group_send_sig_info). */
function signalProcess(task: Task, target: Task, sig: number, code: number, toThread: boolean): number {
  const err = checkKillPermission(sig, task.cred, target.cred, {
    sameThreadGroup: target.group === task.group,
    sameSession: target.group.sid === task.group.sid,
  });
  if (err < 0 || sig === 0) return err;
  return sendSignal(target, userSigInfo(sig, task.pid, task.cred.uid, code), toThread);
}

/** Signal every process in `groups`; ESRCH when none, else 0 if any succeeded, else the last error. */
function signalMany(task: Task, groups: ThreadGroup[], sig: number): number {
  if (groups.length === 0) return -Errno.ESRCH;
  let ok = false;
  let last = 0;
  for (const g of groups) {
    const r = signalProcess(task, g.leader, sig, SI.SI_USER, false);
    if (r === 0) ok = true;
    else last = r;
  }
  return ok ? 0 : last;
}

/**
 * kill(2) (kill_something_info): pid > 0 is the process of that thread id;
 * 0 the caller's process group; -1 every process but pid 1 and the caller's
 * own (EPERM-filtered: ESRCH when none exist, else 0 if any was signalled);
 * < -1 the process group -pid. Signal 0 checks existence and permission only.
 */
export function sysKill(task: Task, pid: number, sig: number): number {
  const tasks = task.kernel.tasks;
  if (pid > 0) {
    const target = tasks.get(pid);
    if (target === undefined) return -Errno.ESRCH;
    return signalProcess(task, target.group.leader, sig, SI.SI_USER, false);
  }
  if (pid === -0x80000000) return -Errno.ESRCH; // -INT_MIN overflows, as kill(2) notes
  const all = [...tasks.groups()].filter((g) => g.alive || g.state === 'zombie');
  if (pid === -1) {
    return signalMany(task, all.filter((g) => g.tgid !== 1 && g !== task.group), sig);
  }
  const pgrp = pid === 0 ? task.group.pgid : -pid;
  return signalMany(task, all.filter((g) => g.pgid === pgrp), sig);
}

/** tkill(2): EINVAL for tid <= 0; the thread `tid` (ESRCH), SI_TKILL. */
export function sysTkill(task: Task, tid: number, sig: number): number {
  if (tid <= 0) return -Errno.EINVAL;
  const target = task.kernel.tasks.get(tid);
  if (target === undefined || !target.alive) return -Errno.ESRCH;
  return signalProcess(task, target, sig, SI.SI_TKILL, true);
}

/** tgkill(2): EINVAL for tid or tgid <= 0; ESRCH unless thread `tid` is in process `tgid`. */
export function sysTgkill(task: Task, tgid: number, tid: number, sig: number): number {
  if (tid <= 0 || tgid <= 0) return -Errno.EINVAL;
  const target = task.kernel.tasks.get(tid);
  if (target === undefined || !target.alive || target.group.tgid !== tgid) return -Errno.ESRCH;
  return signalProcess(task, target, sig, SI.SI_TKILL, true);
}
