/**
 * Teardown: exit of a process holding N one-page shared mappings of one shm
 * object (10 to 60,000), per mapping. Each mapping is registered with the
 * object's reverse map (Linux: the file's i_mmap tree), so exit must drop N
 * registrations of one object; the cost per mapping must stay flat.
 */
import { MAP, PAGE_SIZE, SYS, shmObjectPath } from '@tskern/abi';
import { timedCase } from '../compare';
import type { CaseGroup } from '../context';
import { gcFunction } from '../gc';
import { since } from '../timing';
import { Proc, RW } from '../tskern';
import { caseResult, TARGETS, type CaseResult } from '../types';
import { SHM_OPEN_FLAGS } from './shm';

export const TEARDOWN_COUNTS = [10, 1_000, 10_000, 60_000] as const;

const fmt = (n: number) => n.toLocaleString('en-US');

/** At and above this many mappings a full collection runs (untimed) before each timed exit. */
const COLLECT_FROM = 1_000;

/**
 * Per iteration (untimed): fork a child of a process that has one page of shm
 * open, and map that page N times in the child (one-page mappings of offset 0
 * never merge). Timed: the child's exit_group and the parent's wait4, as
 * bench.c's exit_shm times _exit and waitpid. From 1,000 mappings on, a full
 * collection runs before the timed part, so the garbage of building 60,000
 * mappings is not collected inside the exit (what exit frees is collected
 * later, as V8 does; Linux frees VMAs inside exit).
 */
function exitWith(n: number) {
  const collect = gcFunction();
  return () => {
    const p = Proc.boot();
    const path = p.cstring(shmObjectPath('tskern-bench-teardown'));
    const fd = p.sys(SYS.open, path, SHM_OPEN_FLAGS, 0o600);
    p.sys(SYS.unlink, path);
    p.sys(SYS.ftruncate, fd, PAGE_SIZE);
    return (iters: number) => {
      let ns = 0;
      for (let i = 0; i < iters; i++) {
        const child = p.fork();
        for (let m = 0; m < n; m++) child.sys(SYS.mmap, 0, PAGE_SIZE, RW, MAP.MAP_SHARED, fd, 0);
        if (n >= COLLECT_FROM) collect();
        const t0 = process.hrtime.bigint();
        p.k.syscall(child.pid, SYS.exit_group, 0);
        p.sys(SYS.wait4, child.pid, 0, 0, 0);
        ns += since(t0);
      }
      return ns;
    };
  };
}

export const teardown: CaseGroup = {
  name: 'teardown',
  run: (ctx) => {
    const rows: CaseResult[] = TEARDOWN_COUNTS.map((n) =>
      timedCase(ctx, {
        name: `exit+wait with ${fmt(n)} shm mappings, per mapping`,
        native: { name: 'exit_shm', param: n },
        tskern: exitWith(n),
        // A fixed count: the untimed setup (fork, N mmaps) dwarfs the timed
        // exit, and Linux's fork is far slower than tskern's, so a count
        // calibrated on tskern's exit alone would keep both sides busy for
        // minutes. 10,000 mappings per batch, at least one exit.
        timing: { iters: Math.max(1, Math.round(10_000 / n)), maxBatches: 15 },
        target: null,
        scale: 1e3 * n,
        unit: 'µs/mapping',
        series: { family: 'exit', n },
      }),
    );
    const first = rows[0]!;
    const last = rows[rows.length - 1]!;
    const lo = TEARDOWN_COUNTS[0];
    const hi = TEARDOWN_COUNTS[TEARDOWN_COUNTS.length - 1]!;
    const linux = last.reference !== null && first.reference !== null ? `; Linux: ${(last.reference / first.reference).toFixed(2)}x` : '';
    rows.push(
      caseResult({
        name: `exit per mapping at ${fmt(hi)} vs ${fmt(lo)} shm mappings (self)`,
        unit: 'µs/mapping',
        tskern: last.tskern,
        reference: first.tskern,
        referenceName: `tskern at ${fmt(lo)} mappings`,
        target: TARGETS.flat,
        note: `at ${fmt(lo)} the fixed cost of exit is spread over few mappings${linux}`,
      }),
    );
    return rows;
  },
};
