import type { Native } from './native';
import type { CaseResult } from './types';

/** What a case group gets. */
export interface BenchContext {
  readonly native: Native;
  /** Progress on stderr. */
  log(text: string): void;
  /** Run a tskern measurement, under the CPU profiler with --profile. */
  profile<T>(name: string, fn: () => T): T;
}

/** A group of cases (one file under cases/). */
export interface CaseGroup {
  readonly name: string;
  run(ctx: BenchContext): CaseResult[];
}
