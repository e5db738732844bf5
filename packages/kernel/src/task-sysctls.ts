import { inRange, type SysctlEntry } from '@tskern/procfs';
import { PID_MAX_LIMIT, RESERVED_PIDS, type TaskTable } from '@tskern/tasks';

/** MIN_THREADS (kernel/fork.c): threads-max's floor. */
const MIN_THREADS = 20;
/** MAX_THREADS: FUTEX_TID_MASK, the most a tid field can hold. */
const MAX_THREADS = 0x3fffffff;

/**
 * The task table's limits (kernel/pid.c pid_table, kernel/fork.c
 * sysctl_max_threads), both 0644 and enforced by fork and clone (EAGAIN):
 * - kernel.pid_max: ids are given below it, cyclically (proc_dointvec_minmax
 *   RESERVED_PIDS + 1 .. PID_MAX_LIMIT; ids already given are kept).
 * - kernel.threads-max: the most tasks at once (MIN_THREADS .. FUTEX_TID_MASK).
 */
export function taskSysctls(tasks: () => TaskTable): SysctlEntry[] {
  return [
    {
      path: 'kernel/pid_max',
      perm: 0o644,
      value: { kind: 'int', get: () => tasks().pids.pidMax, set: inRange(RESERVED_PIDS + 1, PID_MAX_LIMIT, (v) => ((tasks().pids.pidMax = v), 0)) },
    },
    {
      path: 'kernel/threads-max',
      perm: 0o644,
      value: { kind: 'int', get: () => tasks().threadsMax, set: inRange(MIN_THREADS, MAX_THREADS, (v) => ((tasks().threadsMax = v), 0)) },
    },
  ];
}
