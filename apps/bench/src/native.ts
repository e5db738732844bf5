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

  /** Run a timed case with the same iterations per batch as tskern; null (with the reason logged) if it fails. */
  time(caseName: string, iters: number, param = 0, options: NativeOptions = {}): Timing | null {
    const o = { ...DEFAULT_TIMING, ...options };
    const out = this.exec([caseName, String(iters), String(o.minBatches), String(o.maxBatches), String(param), String(o.budgetMs), String(o.tolerance)]);
    if (out === null) return null;
    return { nsPerOp: Number(out['nsPerOp']), iters: Number(out['iters']), batches: Number(out['batches']), spread: Number(out['spread']) };
  }

  /** Run a memory case: bytes per unit (mapping, page), or null. */
  bytes(caseName: string, param: number): number | null {
    const out = this.exec([caseName, '1', '1', '1', String(param)]);
    if (out === null) return null;
    const v = Number(out['bytesPerUnit']);
    return Number.isFinite(v) && v >= 0 ? v : null;
  }

  private exec(args: string[]): Record<string, unknown> | null {
    if (this.bin === null) return null;
    try {
      const text = execFileSync(this.bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      return JSON.parse(text.trim()) as Record<string, unknown>;
    } catch (e) {
      process.stderr.write(`native-bench ${args.join(' ')}: ${(e as Error).message.split('\n')[0]}\n`);
      return null;
    }
  }
}
