/** The factor from TSKERN_PROPERTY_RUNS (a positive number; 1 when unset). */
export declare function budgetFactor(): number;
/** fast-check `numRuns` for a property whose default budget is `base` runs. */
export declare function propertyRuns(base: number): number;
/** A per-test timeout in ms for a test whose default work needs at most `baseMs` on a loaded machine. */
export declare function testTimeout(baseMs: number): number;
/** Whether a long run was asked for (TSKERN_PROPERTY_RUNS above 1). */
export declare function longRun(): boolean;
