import { Signal } from '@tskern/abi';
import type { CgroupHost } from '@tskern/cgroupfs';
import type { MappingSpace } from '@tskern/mm-api';
import { reclaimDroppable, residentBytes, type AddressSpace } from '@tskern/mman';
import { kernelSigInfo } from '@tskern/signal';
import { sendSignal } from '@tskern/syscall';
import type { TaskTable, ThreadGroup } from '@tskern/tasks';

/**
 * The cgroup hierarchy's view of the kernel: processes from the task table
 * (a thread id names its process), the owner of an address space (the
 * process whose tasks run on it: mm->owner), the OOM killer's figures,
 * SIGKILL, and reclaim of MAP_DROPPABLE memory over every live address
 * space. `tasks` is read late: the hierarchy exists before the task table.
 */
export function cgroupHost(tasks: () => TaskTable): CgroupHost {
  const owners = new WeakMap<MappingSpace, ThreadGroup>();
  const liveGroup = (tid: number): ThreadGroup | undefined => {
    const t = tasks().get(tid);
    if (t !== undefined && t.alive) return t.group;
    const g = tasks().group(tid);
    return g !== undefined && g.alive ? g : undefined;
  };
  const spaces = (): Set<AddressSpace> => {
    const out = new Set<AddressSpace>();
    for (const t of tasks().tasks()) if (t.alive) out.add(t.mm);
    return out;
  };
  return {
    processes: () => [...tasks().groups()].filter((g) => g.alive).map((g) => g.tgid),
    processOf: (tid) => liveGroup(tid)?.tgid,
    ownerOf: (space) => {
      const cached = owners.get(space);
      if (cached !== undefined && cached.alive && cached.leader.mm === space) return cached.tgid;
      for (const t of tasks().tasks()) {
        if (!t.alive || t.mm !== space) continue;
        owners.set(space, t.group);
        return t.group.tgid;
      }
      return undefined;
    },
    oomFigures: (pid) => {
      const g = liveGroup(pid);
      if (g === undefined || g.tgid !== pid) return undefined;
      const t = [...g.tasks].find((x) => x.alive);
      if (t === undefined) return undefined;
      // is_global_init: pid 1 is never chosen.
      return { residentPages: residentBytes(t.mm) / t.mm.frames.pageSize, scoreAdj: g.oomScoreAdj, unkillable: g.tgid === 1 };
    },
    kill: (pid) => {
      const g = liveGroup(pid);
      const t = g === undefined ? undefined : [...g.tasks].find((x) => x.alive);
      // __oom_kill_process: SIGKILL from the kernel (SEND_SIG_PRIV) to the whole process.
      if (t !== undefined) sendSignal(t, kernelSigInfo(Signal.SIGKILL), false);
    },
    reclaimDroppable: (wanted, limit) => {
      let freed = 0;
      for (const mm of spaces()) {
        if (freed >= limit) break;
        freed += reclaimDroppable(mm, wanted, limit - freed);
      }
      return freed;
    },
  };
}
