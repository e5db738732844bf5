/**
 * Runs scenarios in a worker thread, so that a kernel stuck in a loop can be
 * stopped: past the timeout (plus a grace period for the runner's own
 * between-lines deadline) the worker is terminated, the scenario reported as
 * timed out, and a new worker started for the next one.
 */
import { Worker } from 'node:worker_threads';
import type { Executor, Outcome, RunJob, RunSettings } from './outcome';

export interface WorkerExecutorOptions extends RunSettings {
  /** The module specifier the worker imports `createKernel` from (default `@tskern/kernel`). */
  readonly kernelModule?: string;
  /** Extra time past timeoutMs before the worker is terminated (default 2000 ms). */
  readonly graceMs?: number;
}

type Message = { ready: true } | { outcome: Outcome };

interface Pending {
  resolve(o: Outcome): void;
  /** Set once the worker is ready: loading the kernel module is not the scenario's time. */
  timer: NodeJS.Timeout | undefined;
  /** Starts the timer (when the worker becomes ready, or at once if it is). */
  arm(): void;
  /** The worker running the job: events of an older (terminated) worker are ignored. */
  worker: Worker;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');

export class WorkerExecutor implements Executor {
  private worker: Worker | undefined;
  private ready = false;
  private pending: Pending | undefined;

  constructor(private readonly options: WorkerExecutorOptions) {}

  private start(): Worker {
    const kernelModule = this.options.kernelModule ?? '@tskern/kernel';
    const worker = FROM_SOURCE
      ? new Worker(new URL('./worker-boot.mjs', import.meta.url), {
          workerData: { kernelModule, entry: new URL('./worker.ts', import.meta.url).href },
          execArgv: [...process.execArgv, '--conditions=@tskern/source'],
        })
      : new Worker(new URL('./worker.js', import.meta.url), { workerData: { kernelModule } });
    worker.unref();
    this.ready = false;
    worker.on('message', (m: Message) => {
      if ('ready' in m) {
        this.ready = true;
        if (this.pending?.worker === worker) this.pending.arm();
      } else this.settle(worker, m.outcome);
    });
    worker.on('error', (e: Error) => {
      const wasReady = this.ready;
      this.drop(worker);
      this.settle(
        worker,
        wasReady
          ? { kind: 'crash', transcript: '', line: 0, message: `the worker died: ${e.name}: ${e.message}`, stack: e.stack ?? e.message }
          : { kind: 'fatal', message: `cannot load the kernel (${kernelModule}): ${e.stack ?? e.message}` },
      );
    });
    worker.on('exit', (code) => {
      this.drop(worker);
      this.settle(worker, { kind: 'crash', transcript: '', line: 0, message: `the worker exited with code ${code}`, stack: '' });
    });
    return worker;
  }

  private drop(worker: Worker): void {
    if (this.worker === worker) this.worker = undefined;
  }

  private settle(from: Worker, o: Outcome): void {
    const p = this.pending;
    if (!p || p.worker !== from) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.resolve(o);
  }

  run(job: RunJob): Promise<Outcome> {
    if (this.pending) return Promise.reject(new Error('WorkerExecutor runs one scenario at a time'));
    this.worker ??= this.start();
    const worker = this.worker;
    const settings: RunSettings = {
      timeoutMs: this.options.timeoutMs,
      ...(this.options.scratch ? { scratch: this.options.scratch } : {}),
    };
    return new Promise<Outcome>((resolve) => {
      // The clock starts when the worker has loaded the kernel: on a loaded
      // machine compiling the kernel in a fresh worker takes seconds, which
      // is not the scenario hanging.
      const pending: Pending = {
        resolve,
        worker,
        timer: undefined,
        arm: () => {
          pending.timer ??= setTimeout(() => {
            this.drop(worker);
            void worker.terminate();
            this.settle(worker, { kind: 'timeout', transcript: '', line: undefined, ms: this.options.timeoutMs });
          }, this.options.timeoutMs + (this.options.graceMs ?? 2000));
        },
      };
      this.pending = pending;
      if (this.ready) pending.arm();
      worker.postMessage({ job, settings });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
