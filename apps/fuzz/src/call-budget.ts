/**
 * The raw fuzzer's "slow call" limit, calibrated against the host. The
 * largest thing one call may legitimately do is fill every frame of the
 * kernel (a MAP_POPULATE of 4 GiB populates the whole 1 GiB arena), and each
 * of those pages costs tskern at least what it costs the host to fault a
 * fresh page in (the arena's memory is itself lazily mapped by the host). On
 * a slow or loaded host that alone can pass a fixed 5 s, which is the host's
 * cost, not a tskern bug (a VM whose host backs memory on first touch can
 * take 40 µs per page: 10 s for 1 GiB). So the limit is the larger of the
 * floor and SLOW_FACTOR times what touching that many fresh pages costs this
 * host, measured on a 64 MiB sample when the run starts and scaled. A call
 * over the limit is measured again against the host as it is then, and by
 * the CPU time it used, so a busy machine (or a fuzzer run at low priority)
 * does not make a call "slow" by making it wait (RawMachine.run).
 */

const HOST_PAGE = 4096;

/**
 * How many times the host's own page-touch cost a call may take before it is
 * "slow": the host's fault, plus tskern's own work per page (allocate, zero,
 * map: a few µs), plus slack for a loaded machine.
 */
export const SLOW_FACTOR = 4;

/** The sample the host's page-touch cost is measured on. */
const SAMPLE_BYTES = 64 << 20;

/** Default floor of the limit (`--call-budget-ms` replaces the whole calibration). */
export const DEFAULT_CALL_BUDGET_MS = 5_000;

/** Milliseconds this host takes to fault in and write one byte of each page of `bytes` of fresh memory (the best of `rounds`). */
export function hostTouchMs(bytes: number, rounds = 2): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const buf = new Uint8Array(bytes); // fresh zero pages from the host, mapped on first touch
    const t0 = performance.now();
    for (let i = 0; i < bytes; i += HOST_PAGE) buf[i] = 1;
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export interface CallBudget {
  readonly budgetMs: number;
  /** How the limit was chosen, for the run's log. */
  readonly reason: string;
}

/**
 * The slow-call limit for a kernel of `frameBytes` of frames: `explicitMs`
 * when given (`--call-budget-ms`), else max(DEFAULT_CALL_BUDGET_MS,
 * SLOW_FACTOR x the host's time to touch `frameBytes` of fresh pages), that
 * time extrapolated from a sample of at most 64 MiB.
 */
export function callBudget(frameBytes: number, explicitMs?: number, touch: (bytes: number) => number = hostTouchMs): CallBudget {
  if (explicitMs !== undefined) return { budgetMs: explicitMs, reason: `--call-budget-ms ${explicitMs}` };
  const sample = Math.min(frameBytes, SAMPLE_BYTES);
  const hostMs = (touch(sample) * frameBytes) / sample;
  const budgetMs = Math.max(DEFAULT_CALL_BUDGET_MS, Math.ceil(SLOW_FACTOR * hostMs));
  const mib = Math.round(frameBytes / (1 << 20));
  return {
    budgetMs,
    reason: `the host would touch ${mib} MiB of fresh pages in ${hostMs.toFixed(0)} ms (measured on ${Math.round(sample / (1 << 20))} MiB); limit max(${DEFAULT_CALL_BUDGET_MS}, ${SLOW_FACTOR} x that)`,
  };
}
