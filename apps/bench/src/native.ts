/**
 * The Linux side: tooling/native-bench/bench.c, built with `gcc -O2` into
 * tooling/native-bench/build/ when missing or older than its source, then run
 * once per case with the iteration count tskern used.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TIMING, type Timing } from './timing';

const dir = fileURLToPath(new URL('../../../tooling/native-bench/', import.meta.url));
const source = `${dir}bench.c`;
const binary = `${dir}build/bench`;

export interface NativeOptions {
  minBatches?: number;
  maxBatches?: number;
  budgetMs?: number;
  tolerance?: number;
}

/** The native program, or why there is none. */
export class Native {
  private constructor(
    private readonly bin: string | null,
    /** Why the native program is missing (gcc failed...). */
    readonly problem: string | null,
  ) {}

  /** The last error of each case (by name and parameter) whose run failed. */
  private readonly failures = new Map<string, string>();

  /** Build the program if needed. Never throws: without it every reference is missing. */
  static build(log: (text: string) => void): Native {
    try {
      if (!existsSync(binary) || statSync(binary).mtimeMs < statSync(source).mtimeMs) {
        log(`building ${binary} (gcc -O2)\n`);
        mkdirSync(`${dir}build`, { recursive: true });
        execFileSync('gcc', ['-O2', '-Wall', '-o', binary, source], { stdio: ['ignore', 'inherit', 'inherit'] });
      }
      return new Native(binary, null);
    } catch (e) {
      return new Native(null, `native build failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  get available(): boolean {
    return this.bin !== null;
  }

  /**
   * Run a timed case with the same iterations per batch as tskern; null if it
   * failed three times (each error logged, the last one kept for the row's
   * note, see `whyMissing`). A run that timed out is retried with a quarter of
   * the iterations: Linux's side of a case can be far slower per operation
   * than tskern's (fork), and per-operation times do not depend on the count.
   */
  time(caseName: string, iters: number, param = 0, options: NativeOptions = {}): Timing | null {
    const o = { ...DEFAULT_TIMING, ...options };
    let n = iters;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const args = [caseName, String(n), String(o.minBatches), String(o.maxBatches), String(param), String(o.budgetMs), String(o.tolerance)];
      const out = this.exec(args, attempt);
      if (out.ok) {
        return { nsPerOp: Number(out.json['nsPerOp']), iters: Number(out.json['iters']), batches: Number(out.json['batches']), spread: Number(out.json['spread']) };
      }
      if (out.timedOut) n = Math.max(1, Math.floor(n / 4));
    }
    return null;
  }

  /** Run a memory case: its JSON output (bytesPerUnit and the runs' spread), or null after three failed attempts. */
  memory(caseName: string, param: number): Record<string, unknown> | null {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const out = this.exec([caseName, '1', '1', '1', String(param)], attempt);
      if (out.ok) return out.json;
    }
    return null;
  }

  /** Why the reference of a case is missing: no program, or the last run's error. */
  whyMissing(caseName: string, param = 0): string {
    if (this.problem !== null) return this.problem;
    const e = this.failures.get(`${caseName} ${param}`);
    return e === undefined ? 'native run failed' : `native run failed: ${e}`;
  }

  private exec(args: string[], attempt: number): { ok: true; json: Record<string, unknown> } | { ok: false; timedOut: boolean } {
    if (this.bin === null) return { ok: false, timedOut: false };
    const key = `${args[0]} ${args[4] ?? '0'}`;
    try {
      const text = execFileSync(this.bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
      const json = JSON.parse(text.trim()) as Record<string, unknown>;
      this.failures.delete(key);
      return { ok: true, json };
    } catch (e) {
      const why = describeFailure(e);
      this.failures.set(key, why);
      process.stderr.write(`\nnative-bench ${args.join(' ')} (attempt ${attempt} of ${ATTEMPTS}): ${why}\n`);
      return { ok: false, timedOut: (e as { code?: string }).code === 'ETIMEDOUT' };
    }
  }
}

const ATTEMPTS = 3;
const TIMEOUT_MS = 60_000;

/** One line on why a run of the program failed: timeout, signal, or exit status with the program's own message. */
export function describeFailure(e: unknown): string {
  const x = e as { code?: string; signal?: string | null; status?: number | null; stderr?: string | Buffer; message?: string };
  const stderr = String(x.stderr ?? '').trim().split('\n').filter((l) => l !== '').pop();
  if (x.code === 'ETIMEDOUT') return `timed out after ${TIMEOUT_MS / 1000} s`;
  if (x.signal) return `killed by ${x.signal}${stderr ? ` (${stderr})` : ''}`;
  if (typeof x.status === 'number') return `exit status ${x.status}${stderr ? `: ${stderr}` : ''}`;
  return (x.message ?? String(e)).split('\n')[0]!;
}
