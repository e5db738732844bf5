/**
 * Timing: warm-up, then batches of the same number of iterations until the
 * per-operation times are stable, reporting the median. The native program
 * (tooling/native-bench/bench.c, run_timed) follows the same rule.
 */

/** Runs `iters` operations and returns the nanoseconds they took (setup may stay outside the timed part). */
export type Batch = (iters: number) => number;

export interface Timing {
  /** Median of the batches' per-operation times, in ns. */
  readonly nsPerOp: number;
  readonly iters: number;
  readonly batches: number;
  /** Interquartile range of the batches over the median. */
  readonly spread: number;
}

export interface TimingOptions {
  /** Iterations per batch; calibrated to `targetBatchMs` when absent. */
  iters?: number;
  /** Calibration target per batch (default 30 ms). */
  targetBatchMs?: number;
  /** Most iterations per batch (default 1e6). */
  maxIters?: number;
  /** At least this many batches (default 7)... */
  minBatches?: number;
  /** ...and at most this many (default 31)... */
  maxBatches?: number;
  /** ...stopping early once the spread is within this (default 0.03)... */
  tolerance?: number;
  /** ...or once the batches have taken this long, after the minimum (default 1200 ms). */
  budgetMs?: number;
}

export const DEFAULT_TIMING = { targetBatchMs: 30, maxIters: 1_000_000, minBatches: 7, maxBatches: 31, tolerance: 0.03, budgetMs: 1200 };

/** Nanoseconds since `t0` (a `process.hrtime.bigint()` reading). */
export function since(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0);
}

/** Linear-interpolated quantile of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Median and relative interquartile spread. */
export function summarize(values: readonly number[]): { median: number; spread: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const spread = median > 0 ? (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / median : 0;
  return { median, spread };
}

/**
 * Iterations per batch so that a batch takes at least half of `targetMs`,
 * on warm code: the count grows (2x to 8x a step, by the estimate) until a
 * batch is long enough and a second batch at the same count confirms it.
 * Cold code (tskern's paths run in the interpreter until the optimizing
 * compiler, on a busy machine a slow background thread, catches up) can be
 * ten times slower than warm code, so one long batch proves nothing. A slow
 * batch from noise only ever makes a count look long enough. The runs double
 * as warm-up.
 */
export function calibrate(batch: Batch, targetMs: number, maxIters: number): number {
  const target = targetMs * 1e6;
  const grow = (iters: number, t: number) => Math.min(maxIters, Math.ceil(iters * Math.min(8, Math.max(2, target / t))));
  let iters = 1;
  for (let round = 0; round < 40 && iters < maxIters; round++) {
    const t = Math.max(batch(iters), 1);
    if (t < target / 2) {
      iters = grow(iters, t);
      continue;
    }
    const again = Math.max(batch(iters), 1);
    if (again >= target / 2) return iters;
    iters = grow(iters, again);
  }
  return iters;
}

/** Time `batch`: calibrate (unless `iters` is given), one warm-up batch, then batches until stable. */
export function measure(batch: Batch, options: TimingOptions = {}): Timing {
  const o = { ...DEFAULT_TIMING, ...options };
  let iters = options.iters ?? calibrate(batch, o.targetBatchMs, o.maxIters);
  batch(iters); // warm-up
  for (let attempt = 0; ; attempt++) {
    const t = batches(batch, iters, o);
    // Calibration fooled by a slow moment leaves batches far shorter than the
    // target, where a collection or a descheduling weighs much more: scale up
    // from the median and measure again.
    const batchNs = t.nsPerOp * iters;
    if (options.iters !== undefined || attempt >= 2 || iters >= o.maxIters || batchNs >= (o.targetBatchMs * 1e6) / 4) return t;
    iters = Math.min(o.maxIters, Math.ceil((iters * o.targetBatchMs * 1e6) / Math.max(batchNs, 1)));
  }
}

/** Batches of `iters` until the spread is within tolerance (after the minimum), the budget is spent or the maximum ran. */
function batches(batch: Batch, iters: number, o: typeof DEFAULT_TIMING): Timing {
  const perOp: number[] = [];
  let total = 0;
  let s = { median: NaN, spread: 0 };
  while (perOp.length < o.maxBatches) {
    const t = batch(iters);
    total += t;
    perOp.push(t / iters);
    s = summarize(perOp);
    if (perOp.length >= o.minBatches && (s.spread <= o.tolerance || total >= o.budgetMs * 1e6)) break;
  }
  return { nsPerOp: s.median, iters, batches: perOp.length, spread: s.spread };
}
