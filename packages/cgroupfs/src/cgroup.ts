import { MemoryCounter } from './memory-counter';

/** The controllers tskern's hierarchy has (cgroup_subsys): only the memory controller. */
export const CONTROLLERS = ['memory'] as const;
export type ControllerName = (typeof CONTROLLERS)[number];

/**
 * One control group (struct cgroup): a directory of the cgroup2 hierarchy.
 * It holds processes (by thread-group id), child groups, the controllers it
 * enables for its children (cgroup.subtree_control) and the memory
 * controller's counters. A removed group stays as an object while frames
 * charged to it live (a dying memcg), but is no longer in its parent.
 */
export class Cgroup {
  readonly children = new Map<string, Cgroup>();
  /** The processes (thread-group ids) in this group itself. */
  readonly procs = new Set<number>();
  /** cgroup.subtree_control: the controllers enabled for the children. */
  readonly subtreeControl = new Set<ControllerName>();
  readonly memory = new MemoryCounter();
  /** Set by rmdir: the group is offline. */
  removed = false;

  constructor(
    public name: string,
    readonly parent: Cgroup | null,
    /** The inode number of its directory. */
    readonly ino: number,
  ) {}

  get isRoot(): boolean {
    return this.parent === null;
  }

  /** Its path from the root ("/" for the root), as /proc/[pid]/cgroup shows it. */
  path(): string {
    if (this.parent === null) return '/';
    const up = this.parent.path();
    return `${up === '/' ? '' : up}/${this.name}`;
  }

  /** cgroup.controllers: what the parent enables for it; the root has every controller. */
  controllers(): ControllerName[] {
    return this.parent === null ? [...CONTROLLERS] : CONTROLLERS.filter((c) => this.parent!.subtreeControl.has(c));
  }

  /** Whether `other` is this group or one of its descendants. */
  contains(other: Cgroup): boolean {
    for (let g: Cgroup | null = other; g !== null; g = g.parent) if (g === this) return true;
    return false;
  }

  /** cgroup_is_populated: a process in it or in a descendant. */
  populated(): boolean {
    if (this.procs.size !== 0) return true;
    for (const c of this.children.values()) if (c.populated()) return true;
    return false;
  }

  /**
   * The group whose memory controller governs this one's processes (the
   * memory css a task of this group uses): the nearest of it and its
   * ancestors that the memory controller is enabled on, the root at worst.
   */
  memoryGroup(): Cgroup {
    const parent = this.parent;
    if (parent === null || parent.subtreeControl.has('memory')) return this;
    return parent.memoryGroup();
  }
}
