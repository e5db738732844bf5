/** memory.max's and memory.high's "max": no limit (PAGE_COUNTER_MAX). */
export const NO_LIMIT = Number.POSITIVE_INFINITY;

/** The counters of memory.events (mm/memcontrol.c's MEMCG_LOW ... MEMCG_OOM_GROUP_KILL). */
export interface MemoryEvents {
  low: number;
  high: number;
  max: number;
  oom: number;
  oom_kill: number;
  oom_group_kill: number;
}

/**
 * One group's memory controller state (struct mem_cgroup): its page
 * counter, limits and event counters. Usage is hierarchical, as the page
 * counters of cgroup v2 are: a page charged to a group counts in it and in
 * every ancestor (page_counter_try_charge walks the parents). Counts are in
 * pages.
 */
export class MemoryCounter {
  /** memory.current, in pages (this group and its descendants). */
  usage = 0;
  /** Pages of private anonymous memory in `usage` (memory.stat anon). */
  anon = 0;
  /** Pages of file and shmem cache in `usage` (memory.stat file). */
  file = 0;
  /** memory.max in pages, or NO_LIMIT. */
  max = NO_LIMIT;
  /** memory.high in pages, or NO_LIMIT. */
  high = NO_LIMIT;
  /** memory.swap.max in pages, or NO_LIMIT (tskern has no swap: nothing is ever charged against it). */
  swapMax = NO_LIMIT;
  /** memory.events: hierarchical (an event counts here and in the ancestors below the root). */
  readonly events: MemoryEvents = { low: 0, high: 0, max: 0, oom: 0, oom_kill: 0, oom_group_kill: 0 };
  /** memory.events.local: this group's own events. */
  readonly localEvents: MemoryEvents = { low: 0, high: 0, max: 0, oom: 0, oom_kill: 0, oom_group_kill: 0 };
}
