/**
 * The common shape of a timed case: time it on tskern, then run the native
 * program with the same iterations per batch, and make the row.
 */
import type { BenchContext } from './context';
import { gcFunction } from './gc';
import { measure, type Batch, type Timing, type TimingOptions } from './timing';
import { unavailableNote } from './tskern';
import { caseResult, type CaseResult, type Target } from './types';

export interface TimedCase {
  name: string;
  /** Case name and parameter of bench.c, or null when there is no native counterpart. */
  native: { name: string; param?: number } | null;
  /** Builds the tskern batch (setup included); may throw Unavailable. */
  tskern: () => Batch;
  timing?: TimingOptions;
  target: Target | null;
  /** Per-operation ns are shown divided by this (1e3: µs). */
  scale: number;
  unit: string;
  series?: { family: string; n: number };
}

/** tskern and Linux timings of one case, before they become a row. */
export interface TimedPair {
  tskern: Timing | null;
  linux: Timing | null;
  note?: string;
}

const collect = gcFunction();

export function timePair(ctx: BenchContext, c: TimedCase): TimedPair {
  ctx.log(`  ${c.name}: tskern`);
  collect(); // start clean: no garbage of the previous case to collect during this one
  let tskern: Timing | null = null;
  let note: string | undefined;
  try {
    const batch = c.tskern();
    tskern = ctx.profile(c.name, () => measure(batch, c.timing));
  } catch (e) {
    note = unavailableNote(e);
  }
  let linux: Timing | null = null;
  if (c.native !== null) {
    ctx.log(', Linux');
    // Without a tskern calibration, the native side gets the fixed count or a guess.
    const iters = tskern?.iters ?? c.timing?.iters ?? 1000;
    linux = ctx.native.time(c.native.name, iters, c.native.param ?? 0, c.timing ?? {});
  }
  ctx.log('\n');
  return { tskern, linux, ...(note !== undefined ? { note } : {}) };
}

/** Time a case on both sides and make its row (time per operation; ratio = tskern time / Linux time). */
export function timedCase(ctx: BenchContext, c: TimedCase): CaseResult {
  const p = timePair(ctx, c);
  return caseResult({
    name: c.name,
    unit: c.unit,
    tskern: p.tskern === null ? null : p.tskern.nsPerOp / c.scale,
    reference: p.linux === null ? null : p.linux.nsPerOp / c.scale,
    referenceName: 'Linux',
    target: c.target,
    ...(p.note !== undefined ? { note: p.note } : p.linux === null && c.native !== null ? { note: ctx.native.whyMissing(c.native.name, c.native.param ?? 0) } : {}),
    ...(c.series !== undefined ? { series: c.series } : {}),
    timing: timings(p.tskern, p.linux),
  });
}

/** The timing details of a row, leaving out missing sides. */
export function timings(tskern: Timing | null, reference: Timing | null): { tskern?: Timing; reference?: Timing } {
  return { ...(tskern !== null ? { tskern } : {}), ...(reference !== null ? { reference } : {}) };
}
