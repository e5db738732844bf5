import { Errno } from '@tskern/abi';
import type { ChargeKind, MappingSpace, MemoryCharger } from '@tskern/mm-api';
import { Cgroup, CONTROLLERS, type ControllerName } from './cgroup';
import type { CgroupHost } from './cgroup-host';
import type { MemoryEvents } from './memory-counter';

/** SWAP_CLUSTER_MAX: reclaim asks for at least this many pages at a time (try_to_free_mem_cgroup_pages). */
const RECLAIM_BATCH = 32;
/** MAX_RECLAIM_RETRIES of try_charge. */
const MAX_RECLAIM_RETRIES = 16;
/** OOM_SCORE_ADJ_MIN: a process that may never be OOM-killed. */
const OOM_SCORE_ADJ_MIN = -1000;

/** One frame's charge: the group it is charged to and what it holds. */
interface Charge {
  readonly group: Cgroup;
  readonly kind: ChargeKind;
}

/**
 * The cgroup v2 hierarchy of a kernel (cgrp_dfl_root): the groups, which
 * process is in which, and the memory controller's charges. One per kernel;
 * every process starts in the root group and a forked child in its
 * parent's. It is the kernel's MemoryCharger: faults charge frames here
 * (mem_cgroup_charge) and the frame allocator uncharges them when they are
 * freed (`uncharge`, as __folio_put -> mem_cgroup_uncharge).
 */
export class CgroupHierarchy implements MemoryCharger {
  readonly root: Cgroup;
  private readonly membership = new Map<number, Cgroup>();
  private readonly charges = new Map<number, Charge>();
  private nextIno: number;

  constructor(private readonly host: CgroupHost, firstIno = 1) {
    this.nextIno = firstIno;
    this.root = new Cgroup('', null, this.nextIno++);
  }

  /** The group process `pid` is in (the root for a process it has not seen). */
  groupOf(pid: number): Cgroup {
    return this.membership.get(pid) ?? this.root;
  }

  /**
   * A process started: a forked one joins its parent's group
   * (cgroup_post_fork), any other (spawned at boot) the root. The root
   * keeps no list: it holds every live process no other group holds.
   */
  processStarted(pid: number, parentPid?: number): void {
    const group = parentPid === undefined ? this.root : this.groupOf(parentPid);
    if (group.isRoot) return;
    this.membership.set(pid, group);
    group.procs.add(pid);
  }

  /** A process ended (cgroup_exit): it leaves its group's cgroup.procs. Its charges stay where they are. */
  processExited(pid: number): void {
    const group = this.membership.get(pid);
    if (group === undefined) return;
    group.procs.delete(pid);
    this.membership.delete(pid);
  }

  /** cgroup.procs of `group`: its live processes in pid order. */
  procs(group: Cgroup): number[] {
    const pids = group.isRoot ? [...this.host.processes()].filter((pid) => !this.membership.has(pid)) : [...group.procs].filter((pid) => this.host.processOf(pid) === pid);
    return pids.sort((a, b) => a - b);
  }

  /**
   * A write of `tid` to `group`'s cgroup.procs (cgroup_procs_write,
   * __cgroup_procs_write): its whole process moves there. 0 is the
   * writer's own process. ESRCH for no such process; EBUSY for a group
   * (not the root) that enables controllers for its children: v2's "no
   * internal processes" rule (cgroup_migrate_vet_dst); ENODEV for a
   * removed group. The process's charged memory stays where it was charged.
   */
  moveProcess(group: Cgroup, tid: number, writerPid: number | undefined): number {
    if (group.removed) return -Errno.ENODEV;
    const pid = tid === 0 ? (writerPid === undefined ? undefined : this.host.processOf(writerPid)) : this.host.processOf(tid);
    if (pid === undefined) return -Errno.ESRCH;
    if (!group.isRoot && group.subtreeControl.size !== 0) return -Errno.EBUSY;
    this.membership.get(pid)?.procs.delete(pid);
    if (group.isRoot) this.membership.delete(pid);
    else {
      group.procs.add(pid);
      this.membership.set(pid, group);
    }
    return 0;
  }

  /**
   * mkdir in `parent` (cgroup_mkdir): a new empty group. EEXIST when the
   * name is taken, ENOENT in a removed group.
   */
  makeGroup(parent: Cgroup, name: string): Cgroup | number {
    if (parent.removed) return -Errno.ENOENT;
    if (parent.children.has(name)) return -Errno.EEXIST;
    const group = new Cgroup(name, parent, this.nextIno++);
    parent.children.set(name, group);
    return group;
  }

  /**
   * rmdir (cgroup_destroy_locked): EBUSY while the group has a process or
   * a child group. Frames charged to it stay charged to it (and so to its
   * ancestors) until they are freed, as a dying memcg's.
   */
  removeGroup(group: Cgroup): number {
    if (group.parent === null) return -Errno.EBUSY;
    if (this.procs(group).length !== 0) return -Errno.EBUSY;
    if (group.children.size !== 0) return -Errno.EBUSY;
    group.procs.clear();
    group.removed = true;
    group.parent.children.delete(group.name);
    return 0;
  }

  /**
   * A write to cgroup.subtree_control (cgroup_subtree_control_write):
   * space-separated "+name"/"-name" tokens. A name that is no controller,
   * or a token without a sign, is EINVAL; enabling a controller the group
   * does not have (not in its cgroup.controllers) ENOENT; enabling any in a
   * group other than the root that holds processes EBUSY (no internal
   * processes); disabling one a child still enables for its own children
   * EBUSY. All or nothing.
   */
  writeSubtreeControl(group: Cgroup, text: string): number {
    if (group.removed) return -Errno.ENODEV;
    const enable = new Set<ControllerName>();
    const disable = new Set<ControllerName>();
    for (const tok of text.split(/\s+/)) {
      if (tok === '') continue;
      const name = CONTROLLERS.find((c) => c === tok.slice(1));
      if (name === undefined) return -Errno.EINVAL;
      if (tok[0] === '+') {
        enable.add(name);
        disable.delete(name);
      } else if (tok[0] === '-') {
        disable.add(name);
        enable.delete(name);
      } else return -Errno.EINVAL;
    }
    const available = group.controllers();
    for (const c of enable) if (!available.includes(c)) return -Errno.ENOENT;
    const enabling = [...enable].some((c) => !group.subtreeControl.has(c));
    if (enabling && !group.isRoot && this.procs(group).length !== 0) return -Errno.EBUSY;
    for (const c of disable) {
      if (!group.subtreeControl.has(c)) continue;
      for (const child of group.children.values()) if (child.subtreeControl.has(c)) return -Errno.EBUSY;
    }
    for (const c of enable) group.subtreeControl.add(c);
    for (const c of disable) group.subtreeControl.delete(c);
    return 0;
  }

  // ---- the memory controller ----

  /** Pages charged, by the frames' charge records (for tests and memory.stat). */
  chargedFrames(): number {
    return this.charges.size;
  }

  /**
   * mem_cgroup_charge: charge `frame` to the memory group of `space`'s
   * owner (nothing is recorded for the root group). A frame already charged
   * stays with its group. Over memory.max
   * of the group or an ancestor, try_charge reclaims from the group over
   * its limit (MAP_DROPPABLE memory is all tskern can reclaim without swap),
   * then calls the OOM killer on it; false when nothing can be freed or
   * killed (VM_FAULT_OOM). Passing memory.high reclaims from the group
   * above it too, but never fails the charge (reclaim_high).
   */
  charge(space: MappingSpace, frame: number, kind: ChargeKind): boolean {
    // Until the root enables the memory controller, every process's memory group is the root.
    if (this.root.subtreeControl.size === 0 || this.charges.has(frame)) return true;
    const owner = this.host.ownerOf(space);
    const group = owner === undefined ? this.root : this.groupOf(owner).memoryGroup();
    // The root group has no limit and no memory.current (CFTYPE_NOT_ON_ROOT):
    // its pages are not recorded, so a kernel that never makes a group pays
    // nothing per page (Linux skips the root's page counter too: mem_cgroup_is_root).
    if (group.isRoot) return true;
    if (!this.tryCharge(group, owner)) return false;
    this.charges.set(frame, { group, kind });
    for (let g: Cgroup | null = group; g !== null; g = g.parent) {
      g.memory.usage++;
      if (kind === 'anon') g.memory.anon++;
      else g.memory.file++;
    }
    this.reclaimHigh(group);
    return true;
  }

  /** The frame is freed: its charge goes (mem_cgroup_uncharge). */
  uncharge(frame: number): void {
    const c = this.charges.get(frame);
    if (c === undefined) return;
    this.charges.delete(frame);
    for (let g: Cgroup | null = c.group; g !== null; g = g.parent) {
      g.memory.usage--;
      if (c.kind === 'anon') g.memory.anon--;
      else g.memory.file--;
    }
  }

  /** The inode number of the group `frame` is charged to, 0 for none (page_cgroup_ino, what /proc/kpagecgroup reads). */
  chargedGroupIno(frame: number): number {
    return this.charges.get(frame)?.group.ino ?? 0;
  }

  /** Whether `frame` carries a charge (the frame allocator asks before each free). */
  isCharged(frame: number): boolean {
    return this.charges.has(frame);
  }

  /** How many charge records exist (the frame allocator skips its lookup when none do). */
  get chargeCount(): number {
    return this.charges.size;
  }

  /** The first of `group` and its ancestors that one more page would put over memory.max. */
  private overLimit(group: Cgroup, pages: number): Cgroup | undefined {
    for (let g: Cgroup | null = group; g !== null; g = g.parent) if (g.memory.usage + pages > g.memory.max) return g;
    return undefined;
  }

  /**
   * try_charge_memcg for one page: reclaim, then the OOM killer, until it
   * fits. One victim per charge: once another process was killed, the
   * charge goes through over the limit (Linux's charge retries until the
   * victim's memory is freed, and no second victim is chosen while one is
   * dying); when the victim is the faulting process itself, the charge
   * fails (task_is_dying: nomem).
   */
  private tryCharge(group: Cgroup, owner: number | undefined): boolean {
    let retries = MAX_RECLAIM_RETRIES;
    let killed = false;
    for (;;) {
      const over = this.overLimit(group, 1);
      if (over === undefined) return true;
      this.event(over, 'max');
      const want = Math.max(RECLAIM_BATCH, over.memory.usage + 1 - over.memory.max);
      if (retries-- > 0 && this.reclaim(over, want) > 0) continue;
      if (killed) return true;
      // mem_cgroup_oom: kill the worst process of the group over its limit, then retry.
      this.event(over, 'oom');
      const victim = this.selectVictim(over);
      if (victim === undefined) return false;
      this.event(over, 'oom_kill');
      this.host.kill(victim);
      if (victim === owner) return false;
      killed = true;
    }
  }

  /** reclaim_high: above memory.high, reclaim the excess of each group over it; the charge stands. */
  private reclaimHigh(group: Cgroup): void {
    for (let g: Cgroup | null = group; g !== null; g = g.parent) {
      if (g.memory.usage <= g.memory.high) continue;
      this.event(g, 'high');
      this.reclaim(g, g.memory.usage - g.memory.high);
    }
  }

  /** try_to_free_mem_cgroup_pages: free up to `pages` droppable frames charged to `group` or a descendant. */
  reclaim(group: Cgroup, pages: number): number {
    return this.host.reclaimDroppable((frame) => {
      const c = this.charges.get(frame);
      return c !== undefined && group.contains(c.group);
    }, pages);
  }

  /**
   * select_bad_process for a memcg OOM (mem_cgroup_scan_tasks over the
   * group's subtree): the process with the highest oom_badness, its
   * resident pages plus oom_score_adj thousandths of the group's limit
   * (totalpages = mem_cgroup_get_max). oom_score_adj -1000 and init are
   * never chosen.
   */
  private selectVictim(group: Cgroup): number | undefined {
    const total = Number.isFinite(group.memory.max) ? group.memory.max : group.memory.usage;
    let chosen: number | undefined;
    let best = -Infinity;
    const visit = (g: Cgroup): void => {
      for (const pid of this.procs(g)) {
        const f = this.host.oomFigures(pid);
        if (f === undefined || f.unkillable || f.scoreAdj === OOM_SCORE_ADJ_MIN) continue;
        // oom_badness: points = rss + adj * totalpages / 1000, and never below 1 for a killable task.
        const points = Math.max(1, f.residentPages + Math.trunc((f.scoreAdj * total) / 1000));
        if (points > best) {
          best = points;
          chosen = pid;
        }
      }
      for (const c of g.children.values()) visit(c);
    };
    visit(group);
    return chosen;
  }

  /**
   * memcg_memory_event: count the event in `group`'s memory.events.local
   * and in memory.events of it and each ancestor below the root.
   */
  private event(group: Cgroup, name: keyof MemoryEvents): void {
    group.memory.localEvents[name]++;
    for (let g: Cgroup | null = group; g !== null && g.parent !== null; g = g.parent) g.memory.events[name]++;
  }

  /**
   * A write to memory.max (memory_max_write): the new limit, then reclaim
   * down to it and, while still over, the OOM killer, until it fits or no
   * process is left to kill.
   */
  setMax(group: Cgroup, pages: number): void {
    group.memory.max = pages;
    let retries = MAX_RECLAIM_RETRIES;
    while (group.memory.usage > group.memory.max) {
      if (retries-- > 0 && this.reclaim(group, group.memory.usage - group.memory.max) > 0) continue;
      this.event(group, 'oom');
      const victim = this.selectVictim(group);
      if (victim === undefined) break;
      this.event(group, 'oom_kill');
      this.host.kill(victim);
      if (this.host.oomFigures(victim) !== undefined) break; // not gone at once: its memory frees when it exits
    }
  }

  /** A write to memory.high (memory_high_write): the new limit, then reclaim of the excess. */
  setHigh(group: Cgroup, pages: number): void {
    group.memory.high = pages;
    if (group.memory.usage > pages) this.reclaim(group, group.memory.usage - pages);
  }
}
