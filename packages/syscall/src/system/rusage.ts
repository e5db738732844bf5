import { Errno } from '@tskern/abi';
import { peakResidentBytes } from '@tskern/mman';
import { addUsage, emptyUsage, type Task, type ThreadGroup, type UsageTotals } from '@tskern/tasks';

/** getrusage's `who` (include/uapi/linux/resource.h). */
export const RUSAGE = { RUSAGE_SELF: 0, RUSAGE_CHILDREN: -1, RUSAGE_THREAD: 1 } as const;

/** struct rusage: two timevals and fourteen longs. */
export const RUSAGE_SIZE = 144;

/** A thread's own usage: its CPU time, its address space's high-water mark and faults. */
function threadUsage(task: Task): UsageTotals {
  return { userNs: task.cpuTime.userNs, systemNs: task.cpuTime.systemNs, maxRssBytes: task.alive ? peakResidentBytes(task.mm) : 0, minorFaults: task.alive ? task.mm.minorFaults : 0 };
}

/**
 * RUSAGE_SELF of a process (getrusage's thread_group_cputime plus
 * signal_struct's totals): its exited threads' times and the live ones',
 * the largest resident set of every address space it has had, and the
 * faults (counted per address space: a CLONE_VM sibling's count is shared).
 */
export function processUsage(group: ThreadGroup): UsageTotals {
  const total = emptyUsage();
  addUsage(total, group.usage.exited);
  const spaces = new Set<unknown>();
  for (const t of group.tasks) {
    total.userNs += t.cpuTime.userNs;
    total.systemNs += t.cpuTime.systemNs;
    if (!t.alive || spaces.has(t.mm)) continue;
    spaces.add(t.mm);
    total.maxRssBytes = Math.max(total.maxRssBytes, peakResidentBytes(t.mm));
    total.minorFaults += t.mm.minorFaults;
  }
  return total;
}

/** Usage by `who`, or -EINVAL (kernel/sys.c getrusage). */
export function usageOf(task: Task, who: number): UsageTotals | number {
  switch (who) {
    case RUSAGE.RUSAGE_SELF:
      return processUsage(task.group);
    case RUSAGE.RUSAGE_CHILDREN:
      return task.group.usage.children;
    case RUSAGE.RUSAGE_THREAD:
      return threadUsage(task);
    default:
      return -Errno.EINVAL;
  }
}

function putTimeval(v: DataView, at: number, ns: number): void {
  v.setBigInt64(at, BigInt(Math.floor(ns / 1e9)), true);
  v.setBigInt64(at + 8, BigInt(Math.floor((ns % 1e9) / 1000)), true);
}

/** struct rusage for `u`: utime, stime, ru_maxrss in KiB, ru_minflt; every other count 0 (tskern has no I/O blocks, IPC or context-switch counts). */
export function encodeRusage(u: UsageTotals): Uint8Array {
  const b = new Uint8Array(RUSAGE_SIZE);
  const v = new DataView(b.buffer);
  putTimeval(v, 0, u.userNs);
  putTimeval(v, 16, u.systemNs);
  v.setBigInt64(32, BigInt(Math.floor(u.maxRssBytes / 1024)), true);
  v.setBigInt64(64, BigInt(u.minorFaults), true);
  return b;
}

/** Store `u` at `addr` as struct rusage: 0 or -EFAULT. */
export function putRusage(task: Task, addr: number, u: UsageTotals): number {
  const b = encodeRusage(u);
  return task.mem.copyOut(addr, b, 0, RUSAGE_SIZE) < 0 ? -Errno.EFAULT : 0;
}

/** What wait4 and waitid report of a reaped child: its own usage and its reaped children's (wait_task_zombie's figures). */
export function childUsage(child: ThreadGroup): UsageTotals {
  const u = processUsage(child);
  addUsage(u, child.usage.children);
  return u;
}

/** getrusage(2): RUSAGE_SELF, RUSAGE_CHILDREN or RUSAGE_THREAD, else EINVAL; EFAULT for a bad buffer. */
export function sysGetrusage(task: Task, who: number, addr: number): number {
  const u = usageOf(task, who);
  if (typeof u === 'number') return u;
  return putRusage(task, addr, u);
}
