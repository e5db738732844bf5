import { Worker } from 'node:worker_threads';
import type { CpuTickSource } from './cpu-accounting';

/** Ticks per second: CONFIG_HZ=250, the common distribution kernel's. */
const HZ = 250;

/**
 * The timer thread: it counts the ticks of the host's monotonic clock since
 * it started, so a late wake-up on a loaded host loses no tick (the count
 * catches up), as jiffies catch up after a missed timer interrupt.
 */
const TICKER = `
const { workerData } = require('node:worker_threads');
const ticks = new Int32Array(workerData.buffer);
const nap = new Int32Array(new SharedArrayBuffer(4));
const period = 1000 / workerData.hz;
const start = performance.now();
for (;;) {
  Atomics.wait(nap, 0, 0, period);
  Atomics.store(ticks, 0, Math.floor((performance.now() - start) / period));
}
`;

let shared: CpuTickSource | undefined;

/**
 * The host's tick source for `ProgramDriver`'s `cpuTicks` (250 Hz): one
 * timer thread per process, started on first use and unref'd, so it keeps
 * no process alive.
 */
export function hostCpuTicks(): CpuTickSource {
  if (shared !== undefined) return shared;
  const buffer = new SharedArrayBuffer(4);
  const worker = new Worker(TICKER, { eval: true, workerData: { buffer, hz: HZ } });
  worker.unref();
  shared = { ticks: new Int32Array(buffer) };
  return shared;
}
