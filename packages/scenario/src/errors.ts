/**
 * The three ways a scenario run can stop early.
 *
 * - `ScenarioError`: the scenario itself is wrong (syntax, unbound name, an
 *   operation on an exited process, ...). The spec's "scenario error": the
 *   runner prints `LINE: scenario error: WHY` and the file ends with status 2.
 * - `ScenarioCrash`: the kernel threw while a line ran. A thrown exception is
 *   a tskern bug (KernelHost never throws for bad input), so it is not turned
 *   into a result; callers report it with its stack.
 * - `ScenarioTimeout`: the run passed its deadline (checked between lines).
 */

/** An error of the scenario, at a 1-based line. `message` is the exact stderr line. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(
    readonly line: number,
    readonly why: string,
  ) {
    super(`${line}: scenario error: ${why}`);
  }
}

/** The kernel (or the runner's use of it) threw while running `line`. */
export class ScenarioCrash extends Error {
  override readonly name = 'ScenarioCrash';
  /** The transcript printed before the crash (set by `runScenario`). */
  transcript = '';
  constructor(
    readonly line: number,
    override readonly cause: unknown,
    fileName?: string,
  ) {
    super(
      `${fileName ? `${fileName}:` : ''}${line}: tskern threw while running this line: ${describeThrown(cause)}`,
    );
  }
}

/** The run passed its deadline before `line`. */
export class ScenarioTimeout extends Error {
  override readonly name = 'ScenarioTimeout';
  transcript = '';
  constructor(readonly line: number) {
    super(`timed out before line ${line}`);
  }
}

/** A one-line description of a thrown value. */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
