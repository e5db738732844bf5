/**
 * A worker thread running scenarios on tskern (one fresh kernel each) for the
 * differential fuzzer, so the main thread can watch for hangs and the Linux
 * runner can work at the same time.
 */
import { parentPort } from 'node:worker_threads';
import { runOnTskern, type TskernRunOptions } from './tskern-side';

export interface WorkerJob {
  readonly id: number;
  readonly text: string;
  readonly options: TskernRunOptions;
}

// Kernel code that prints must not disturb anything.
console.log = () => {};
console.info = () => {};
console.debug = () => {};

parentPort!.on('message', (job: WorkerJob) => {
  parentPort!.postMessage({ id: job.id, outcome: runOnTskern(job.text, job.options) });
});
parentPort!.postMessage({ ready: true });
