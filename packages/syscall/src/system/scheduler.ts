import { CAP, Errno } from '@tskern/abi';
import type { Task } from '@tskern/tasks';
import { capable } from '@tskern/vfs';
import { systemConfig } from './system-config';

/** Scheduling policies (include/uapi/linux/sched.h). */
export const SCHED = { SCHED_OTHER: 0, SCHED_FIFO: 1, SCHED_RR: 2, SCHED_BATCH: 3, SCHED_IDLE: 5, SCHED_DEADLINE: 6 } as const;
/** MAX_RT_PRIO - 1: the highest real-time priority. */
const MAX_USER_RT_PRIO = 99;
/** cpumask_size() with nr_cpu_ids <= 64: one unsigned long. */
const CPUMASK_SIZE = 8;

/** The task `pid` names (0: the caller), as find_process_by_pid: a thread id; undefined for none (ESRCH). */
function findTask(task: Task, pid: number): Task | undefined {
  if (pid === 0) return task;
  const t = task.kernel.tasks.get(pid);
  return t !== undefined && t.alive ? t : undefined;
}

/** Every CPU of the kernel as a mask. */
function allCpus(task: Task): bigint {
  return (1n << BigInt(systemConfig(task).cpus)) - 1n;
}

/** A task's allowed CPUs (cpus_mask; every CPU unless sched_setaffinity narrowed it). */
export function cpuMaskOf(task: Task): bigint {
  return task.cpuMask ?? allCpus(task);
}

/**
 * sched_getaffinity(2) (kernel/sched/core.c): EINVAL when `len` bytes
 * cannot hold nr_cpu_ids bits or are not a whole number of longs; ESRCH for
 * no such task; writes min(len, cpumask_size()) bytes and returns that count.
 */
export function sysSchedGetaffinity(task: Task, pid: number, len: number, mask: number): number {
  if (len * 8 < systemConfig(task).cpus) return -Errno.EINVAL;
  if ((len & (8 - 1)) !== 0) return -Errno.EINVAL;
  const target = findTask(task, pid);
  if (target === undefined) return -Errno.ESRCH;
  const n = Math.min(len, CPUMASK_SIZE);
  const b = new Uint8Array(CPUMASK_SIZE);
  new DataView(b.buffer).setBigUint64(0, cpuMaskOf(target), true);
  return task.mem.copyOut(mask, b, 0, n) < 0 ? -Errno.EFAULT : n;
}

/**
 * sched_setaffinity(2): the mask is read first (get_user_cpu_mask: a short
 * one is zero-extended, a long one cut to cpumask_size(); EFAULT), then the
 * task (ESRCH), the right to change it (same euid as its euid or uid, or
 * CAP_SYS_NICE: EPERM; and without CAP_SYS_NICE the target may hold no
 * permitted capability the caller lacks, cap_safe_nice), and EINVAL when no
 * CPU of the mask exists.
 */
export function sysSchedSetaffinity(task: Task, pid: number, len: number, mask: number): number {
  const b = new Uint8Array(CPUMASK_SIZE);
  const n = Math.min(len, CPUMASK_SIZE);
  if (n > 0 && task.mem.copyIn(mask, b, 0, n) < 0) return -Errno.EFAULT;
  const target = findTask(task, pid);
  if (target === undefined) return -Errno.ESRCH;
  const c = task.cred;
  if (!capable(c, CAP.CAP_SYS_NICE)) {
    if (c.euid !== target.cred.euid && c.euid !== target.cred.uid) return -Errno.EPERM;
    if ((target.cred.caps.permitted & ~c.caps.permitted) !== 0n) return -Errno.EPERM;
  }
  const wanted = new DataView(b.buffer).getBigUint64(0, true) & allCpus(task);
  if (wanted === 0n) return -Errno.EINVAL;
  target.cpuMask = wanted;
  return 0;
}

/** sched_getscheduler(2): EINVAL for a negative pid, ESRCH for none; every task is SCHED_OTHER. */
export function sysSchedGetscheduler(task: Task, pid: number): number {
  if (pid < 0) return -Errno.EINVAL;
  return findTask(task, pid) === undefined ? -Errno.ESRCH : SCHED.SCHED_OTHER;
}

/** sched_getparam(2): EINVAL for a NULL param or a negative pid, ESRCH for none; sched_priority is 0 for SCHED_OTHER. */
export function sysSchedGetparam(task: Task, pid: number, param: number): number {
  if (param === 0 || pid < 0) return -Errno.EINVAL;
  if (findTask(task, pid) === undefined) return -Errno.ESRCH;
  return task.mem.copyOut(param, new Uint8Array(4), 0, 4) < 0 ? -Errno.EFAULT : 0;
}

/** sched_get_priority_max(2): 99 for SCHED_FIFO and SCHED_RR, 0 for the others, EINVAL for an unknown policy. */
export function sysSchedGetPriorityMax(_task: Task, policy: number): number {
  switch (policy) {
    case SCHED.SCHED_FIFO:
    case SCHED.SCHED_RR:
      return MAX_USER_RT_PRIO;
    case SCHED.SCHED_OTHER:
    case SCHED.SCHED_BATCH:
    case SCHED.SCHED_IDLE:
    case SCHED.SCHED_DEADLINE:
      return 0;
    default:
      return -Errno.EINVAL;
  }
}

/** sched_get_priority_min(2): 1 for SCHED_FIFO and SCHED_RR, 0 for the others, EINVAL for an unknown policy. */
export function sysSchedGetPriorityMin(task: Task, policy: number): number {
  const max = sysSchedGetPriorityMax(task, policy);
  return max === MAX_USER_RT_PRIO ? 1 : max;
}

/**
 * getcpu(2): the CPU the caller runs on — tskern says the lowest it may run
 * on — and NUMA node 0; either pointer may be NULL; EFAULT for a bad one.
 */
export function sysGetcpu(task: Task, cpu: number, node: number): number {
  const mask = cpuMaskOf(task);
  let n = 0;
  while (((mask >> BigInt(n)) & 1n) === 0n) n++;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  if (cpu !== 0 && task.mem.copyOut(cpu, b, 0, 4) < 0) return -Errno.EFAULT;
  if (node !== 0 && task.mem.copyOut(node, new Uint8Array(4), 0, 4) < 0) return -Errno.EFAULT;
  return 0;
}
