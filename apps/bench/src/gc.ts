import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * `global.gc` without restarting node: the root script runs plain `tsx`, so
 * --expose-gc is switched on at run time and the function fetched from a
 * fresh context (where V8 installs it).
 */
export function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

export interface MemorySample {
  heapUsed: number;
  arrayBuffers: number;
}

/**
 * Full collections until heapUsed and arrayBuffers both stop moving (V8 frees
 * array buffer memory on background threads after a collection, so a short
 * pause goes between rounds), then the usage.
 */
export function settledMemory(gc: () => void): MemorySample {
  let last: MemorySample = { heapUsed: -1, arrayBuffers: -1 };
  let stable = 0;
  for (let round = 0; round < 20 && stable < 2; round++) {
    gc();
    Atomics.wait(pause, 0, 0, 20);
    const m = process.memoryUsage();
    const now = { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
    stable = Math.abs(now.heapUsed - last.heapUsed) < 4096 && now.arrayBuffers === last.arrayBuffers ? stable + 1 : 0;
    last = now;
  }
  return last;
}
