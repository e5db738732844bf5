/**
 * The worker thread of WorkerExecutor: loads the kernel module once, then
 * runs each scenario it is sent on a fresh kernel and posts the outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ScenarioKernel } from '@tskern/scenario';
import { runOne, type RunJob, type RunSettings } from './outcome';

interface KernelModule {
  createKernel(): ScenarioKernel;
}

const port = parentPort!;
const { kernelModule } = workerData as { kernelModule: string };

const loaded: Promise<() => ScenarioKernel> = import(kernelModule).then((mod: Partial<KernelModule>) => {
  if (typeof mod.createKernel !== 'function') throw new Error(`${kernelModule} exports no createKernel()`);
  return mod.createKernel.bind(mod);
});

port.on('message', (msg: { job: RunJob; settings: RunSettings }) => {
  void loaded.then((createKernel) => port.postMessage({ outcome: runOne(msg.job, createKernel, msg.settings) }));
});

// A module that does not load is an unhandled rejection: the worker's 'error' event.
void loaded.then(() => port.postMessage({ ready: true }));
