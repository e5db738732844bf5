/**
 * The tskern side of a differential run: one scenario on a fresh kernel, with
 * the problems the Linux transcript can never show (a crash, a timeout, a
 * broken invariant, frames leaked after every process exited) appended to the
 * transcript as marker lines, so that they compare as differences too.
 */
import { setInvariantChecks } from '@tskern/assert';
import { createKernel, type Kernel } from '@tskern/kernel';
import { framesLeftAfterCleanup } from './cleanup';
import { describeThrown, runScenario, ScenarioCrash, ScenarioTimeout } from '@tskern/scenario';

export interface TskernRunOptions {
  /** Switch the kernel's expensive invariant checks on (and run mm.check() at the end). */
  readonly invariants: boolean;
  /** Stop the scenario (between lines) after this many milliseconds. */
  readonly timeoutMs: number;
  /** After the scenario, exit every process and expect 0 frames in use. */
  readonly leakCheck: boolean;
}

export const DEFAULT_TSKERN_OPTIONS: TskernRunOptions = { invariants: true, timeoutMs: 10_000, leakCheck: true };

export interface TskernOutcome {
  /** `LINE: RESULT\n` lines, then marker lines (`LINE: scenario error: ...`, `LINE: CRASH ...`, `END: ...`). */
  readonly transcript: string;
  /** Set when tskern itself misbehaved (crash, timeout, invariant, leak): a tskern bug whatever Linux says. */
  readonly problem?: string;
  /** The stack of a thrown exception. */
  readonly detail?: string;
}

function stackOf(e: unknown): string | undefined {
  return e instanceof Error ? e.stack : undefined;
}

/** The first line of an error message, numbers masked: a signature. */
export function problemClass(message: string): string {
  return message.split('\n')[0]!.replace(/0x[0-9a-f]+/gi, '#').replace(/\d+/g, '#').slice(0, 160);
}

function checkAll(kernel: Kernel): void {
  for (const p of kernel.tasks.tasks()) if (p.alive) p.mm.check();
}

/** Run one scenario on a fresh tskern kernel. Never throws. */
export function runOnTskern(text: string, options: TskernRunOptions = DEFAULT_TSKERN_OPTIONS): TskernOutcome {
  setInvariantChecks(options.invariants);
  let kernel: Kernel;
  try {
    kernel = createKernel();
  } catch (e) {
    const msg = `createKernel threw: ${describeThrown(e)}`;
    return { transcript: `0: CRASH ${msg}\n`, problem: problemClass(msg) };
  }
  let transcript: string;
  try {
    const r = runScenario(text, { kernel, deadline: Date.now() + options.timeoutMs });
    transcript = r.transcript;
    if (r.status === 2) transcript += r.stderr; // `LINE: scenario error: WHY`
  } catch (e) {
    if (e instanceof ScenarioCrash) {
      const msg = describeThrown(e.cause);
      return { transcript: (e.transcript ?? '') + `${e.line}: CRASH ${msg}\n`, problem: problemClass(msg), detail: stackOf(e.cause) ?? '' };
    }
    if (e instanceof ScenarioTimeout) {
      return { transcript: (e.transcript ?? '') + `${e.line}: TIMEOUT\n`, problem: 'timeout' };
    }
    const msg = describeThrown(e);
    return { transcript: `0: CRASH ${msg}\n`, problem: problemClass(msg) };
  }
  try {
    if (options.invariants) checkAll(kernel);
    if (options.leakCheck) {
      const used = framesLeftAfterCleanup(kernel);
      if (used !== 0) return { transcript: transcript + `END: LEAK ${used} frames in use after every process exited\n`, problem: 'leak: frames in use after every process exited' };
    }
  } catch (e) {
    const msg = describeThrown(e);
    return { transcript: transcript + `END: CRASH after the scenario: ${msg}\n`, problem: problemClass(msg), detail: stackOf(e) ?? '' };
  }
  return { transcript };
}
