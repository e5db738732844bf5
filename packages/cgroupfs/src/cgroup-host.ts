import type { MappingSpace } from '@tskern/mm-api';

/** What the OOM killer weighs of a process (oom_badness's inputs). */
export interface OomFigures {
  /** Resident pages (get_mm_rss; tskern has no swap and counts no page tables). */
  readonly residentPages: number;
  /** /proc/[pid]/oom_score_adj, -1000 to 1000 (signal->oom_score_adj). */
  readonly scoreAdj: number;
  /** Never killed: init (is_global_init) or a kernel thread. */
  readonly unkillable: boolean;
}

/**
 * What the cgroup hierarchy needs of the rest of the kernel, given by the
 * composition root: processes by thread-group id, the owner of an address
 * space, the OOM killer's figures and SIGKILL, and reclaim of droppable
 * memory. Processes are named by their thread-group id (pid) throughout.
 */
export interface CgroupHost {
  /** Every live process (the root group's cgroup.procs lists those in no other group). */
  processes(): Iterable<number>;
  /** The live process a thread id belongs to (its tgid), or undefined (ESRCH). */
  processOf(tid: number): number | undefined;
  /** The live process whose memory `space` is (mm->owner), or undefined (a space no process owns). */
  ownerOf(space: MappingSpace): number | undefined;
  /** The OOM killer's figures of a live process, or undefined. */
  oomFigures(pid: number): OomFigures | undefined;
  /** Send SIGKILL to the process (the OOM killer's __oom_kill_process). */
  kill(pid: number): void;
  /**
   * Free up to `limit` frames of MAP_DROPPABLE memory that `wanted` picks,
   * in every address space (the memcg LRU walk of reclaim); returns how many
   * were freed.
   */
  reclaimDroppable(wanted: (frame: number) => boolean, limit: number): number;
}
