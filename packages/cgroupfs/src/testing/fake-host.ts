import type { MappingSpace } from '@tskern/mm-api';
import type { CgroupHost, OomFigures } from '../cgroup-host';

/** A process of the fake host: its OOM figures and the address space it owns. */
export interface FakeProcess {
  residentPages: number;
  scoreAdj: number;
  space?: MappingSpace;
}

/**
 * A CgroupHost for tests: processes are entries of `table` (by pid),
 * `kill` removes one and records it, and reclaim calls `reclaimer` (a test
 * gives it mman's reclaimDroppable over its spaces).
 */
export class FakeCgroupHost implements CgroupHost {
  readonly table = new Map<number, FakeProcess>();
  readonly killed: number[] = [];
  reclaimer: (wanted: (frame: number) => boolean, limit: number) => number = () => 0;
  /** Called after a kill (a test frees the victim's memory there). */
  onKill: (pid: number) => void = () => {};

  processes(): Iterable<number> {
    return this.table.keys();
  }

  processOf(tid: number): number | undefined {
    return this.table.has(tid) ? tid : undefined;
  }

  ownerOf(space: MappingSpace): number | undefined {
    for (const [pid, p] of this.table) if (p.space === space) return pid;
    return undefined;
  }

  oomFigures(pid: number): OomFigures | undefined {
    const p = this.table.get(pid);
    return p === undefined ? undefined : { residentPages: p.residentPages, scoreAdj: p.scoreAdj, unkillable: pid === 1 };
  }

  kill(pid: number): void {
    this.killed.push(pid);
    this.table.delete(pid);
    this.onKill(pid);
  }

  reclaimDroppable(wanted: (frame: number) => boolean, limit: number): number {
    return this.reclaimer(wanted, limit);
  }
}
