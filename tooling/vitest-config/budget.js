// Work budgets for tests that can do as much work as they are given: property
// tests (fast-check numRuns) and other randomized or large tests. Defaults
// are sized to pass on a loaded 2-core machine inside vitest's default
// timeout; TSKERN_PROPERTY_RUNS multiplies them for long runs, e.g.
//
//   TSKERN_PROPERTY_RUNS=50 pnpm --filter @tskern/rangemap test
//
// The per-test timeout grows with the same factor (see index.js), so a long
// run is never cut short by a timeout meant for the default budget.

/** The factor from TSKERN_PROPERTY_RUNS (a positive number; 1 when unset or invalid). */
export function budgetFactor() {
  const raw = typeof process === 'undefined' ? undefined : process.env.TSKERN_PROPERTY_RUNS;
  if (raw === undefined || raw === '') return 1;
  const f = Number(raw);
  if (!Number.isFinite(f) || f <= 0) throw new Error(`TSKERN_PROPERTY_RUNS must be a positive number, got ${JSON.stringify(raw)}`);
  return f;
}

/** fast-check `numRuns` for a property whose default budget is `base` runs. */
export function propertyRuns(base) {
  return Math.max(1, Math.round(base * budgetFactor()));
}

/** A per-test timeout in ms for a test whose default work needs at most `baseMs` on a loaded machine. */
export function testTimeout(baseMs) {
  return Math.round(baseMs * Math.max(1, budgetFactor()));
}

/** Whether a long run was asked for (TSKERN_PROPERTY_RUNS above 1): switches on tests too heavy for every run. */
export function longRun() {
  return budgetFactor() > 1;
}
