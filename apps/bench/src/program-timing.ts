/**
 * Timing a whole program run: the fixed cost of a run (process start, ELF
 * load, exit; on tskern the execve and the reaping) is measured by runs with
 * 0 iterations and subtracted from runs with N iterations, after two warm-up
 * runs. N grows until the
 * iterations take about `targetMs` beyond the fixed cost, so they weigh more
 * than its noise; then the median of `runs` runs of each is taken.
 */
import type { ProgramRun, ProgramRunner } from './programs';
import { summarize, type Timing } from './timing';

export interface ProgramTimingOptions {
  /** Iterations of the first run, the one whose checksum the sides compare. */
  readonly firstIters: number;
  /** What the iterations of a timed run should take beyond the fixed cost (default 150 ms). */
  readonly targetMs?: number;
  /** Most iterations per run. */
  readonly maxIters: number;
  /** Warm up by runs of growing N for at least this long (default 0: one run of `firstIters`, one of 0, one again). */
  readonly warmupMs?: number;
  /** Runs of each kind for the medians (default 3). */
  readonly runs?: number;
  /** Stop growing N once the side has spent this long after the warm-up (default 900 ms). */
  readonly budgetMs?: number;
}

export interface ProgramTiming {
  /** Median ns per iteration, the 0-iteration median subtracted; `iters` per run, `batches` runs. */
  readonly timing: Timing;
  /** The median ns of a 0-iteration run (the fixed cost subtracted). */
  readonly fixedNs: number;
  /** The first run's output (at `firstIters`, the same on every side). */
  readonly first: ProgramRun;
  /** The output of the last run with `timing.iters` iterations. */
  readonly last: ProgramRun;
}

export function timeProgram(run: ProgramRunner, o: ProgramTimingOptions): ProgramTiming {
  const target = (o.targetMs ?? 150) * 1e6;
  const budget = (o.budgetMs ?? 900) * 1e6;
  const runs = o.runs ?? 3;
  // The fastest cost per iteration seen (noise only ever adds time; cold code
  // is slower), against the fastest fixed cost: what N is grown from.
  let fastest = Infinity;
  const fixed: number[] = [];
  const timed = (n: number): ProgramRun => {
    const r = run(n);
    if (n === 0) fixed.push(r.ns);
    else if (fixed.length > 0 && r.ns > Math.min(...fixed)) fastest = Math.min(fastest, (r.ns - Math.min(...fixed)) / n);
    return r;
  };
  // Warm-up, not counted against the budget: tskern's first runs execute
  // cold code (its interpreter and kernel paths before V8's optimizing
  // compiler, a background thread that a loaded machine starves, has them),
  // several times slower than warm, for about a million instructions. So
  // runs repeat, N growing fourfold while a run is shorter than the target,
  // until `warmupMs` of runs have passed.
  const first = timed(o.firstIters);
  timed(0);
  let n = o.firstIters;
  let last = timed(n);
  let warm = first.ns + fixed[0]! + last.ns;
  const warmup = (o.warmupMs ?? 0) * 1e6;
  while (warm < warmup) {
    if (last.ns < target) n = Math.min(o.maxIters, n * 4);
    last = timed(n);
    warm += last.ns;
  }
  if (warmup > 0) warm += timed(0).ns;
  // Grow N until a run's iterations take the target beyond the fixed cost.
  let spent = 0;
  for (let step = 0; step < 4 && spent < budget; step++) {
    const want = Number.isFinite(fastest) ? Math.ceil((target * 1.2) / fastest) : n * 16;
    const next = Math.min(o.maxIters, Math.max(n, Math.min(n * 64, want)));
    if (next === n && last.ns - Math.min(...fixed) >= target / 2) break;
    n = next;
    last = timed(n);
    spent += last.ns;
    if (n >= o.maxIters) break;
  }
  const full = [last.ns];
  const fixedRuns = [timed(0).ns];
  while (full.length < runs) {
    last = timed(n);
    full.push(last.ns);
    fixedRuns.push(timed(0).ns);
  }
  const fixedNs = summarize(fixedRuns).median;
  const perIter = full.map((t) => (t - fixedNs) / n);
  const s = summarize(perIter);
  return { timing: { nsPerOp: s.median, iters: n, batches: full.length, spread: s.spread }, fixedNs, first, last };
}
