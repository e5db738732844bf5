/**
 * Running one scenario for the suite: a fresh kernel, the scenario runner,
 * and every way it can end turned into a value (a thrown exception from the
 * kernel is a tskern bug to report, not a reason to stop the suite).
 */
import { describeThrown, runScenario, ScenarioCrash, ScenarioTimeout, type ScenarioKernel, type ScratchKind } from '@tskern/scenario';

export type Outcome =
  /** The scenario ran (to its end, or to a scenario error). */
  | { readonly kind: 'ran'; readonly transcript: string; readonly status: 0 | 1 | 2; readonly stderr: string }
  /** The kernel threw at `line` (0: while creating the kernel or the scratch directory). */
  | { readonly kind: 'crash'; readonly transcript: string; readonly line: number; readonly message: string; readonly stack: string }
  /** The scenario took longer than the timeout (`line`: the line it had reached, when known). */
  | { readonly kind: 'timeout'; readonly transcript: string; readonly line: number | undefined; readonly ms: number }
  /** Nothing can run at all (the kernel does not load, an option is not supported): the suite stops. */
  | { readonly kind: 'fatal'; readonly message: string };

export interface RunJob {
  /** The scenario's path relative to scenarios/ (for messages). */
  readonly rel: string;
  readonly text: string;
}

export interface RunSettings {
  readonly timeoutMs: number;
  readonly scratch?: ScratchKind;
}

function stackOf(e: unknown): string {
  return e instanceof Error && e.stack ? e.stack : describeThrown(e);
}

/** Run one scenario on a kernel from `createKernel`, synchronously. */
export function runOne(job: RunJob, createKernel: () => ScenarioKernel, settings: RunSettings): Outcome {
  let kernel: ScenarioKernel;
  try {
    kernel = createKernel();
  } catch (e) {
    return { kind: 'crash', transcript: '', line: 0, message: `createKernel threw ${describeThrown(e)}`, stack: stackOf(e) };
  }
  try {
    const r = runScenario(job.text, {
      kernel,
      fileName: job.rel,
      deadline: Date.now() + settings.timeoutMs,
      ...(settings.scratch ? { scratch: settings.scratch } : {}),
    });
    return { kind: 'ran', transcript: r.transcript, status: r.status, stderr: r.stderr };
  } catch (e) {
    if (e instanceof ScenarioCrash) {
      return { kind: 'crash', transcript: e.transcript, line: e.line, message: describeThrown(e.cause), stack: stackOf(e.cause) };
    }
    if (e instanceof ScenarioTimeout) return { kind: 'timeout', transcript: e.transcript, line: e.line, ms: settings.timeoutMs };
    return { kind: 'fatal', message: describeThrown(e) };
  }
}

/** Runs scenarios one after the other. */
export interface Executor {
  run(job: RunJob): Promise<Outcome>;
  close(): Promise<void>;
}

/** Runs scenarios in this thread: simple and debuggable, but a kernel stuck in a loop hangs it. */
export class InProcessExecutor implements Executor {
  constructor(
    private readonly createKernel: () => ScenarioKernel,
    private readonly settings: RunSettings,
  ) {}

  run(job: RunJob): Promise<Outcome> {
    return Promise.resolve(runOne(job, this.createKernel, this.settings));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
