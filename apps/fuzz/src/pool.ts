/**
 * A pool of worker threads running scenarios on tskern. A job that does not
 * answer within `hangMs` (a kernel stuck inside one call: the scenario
 * runner's own deadline is only checked between lines) has its worker
 * terminated and replaced, and answers a `HANG` outcome.
 */
import { Worker } from 'node:worker_threads';
import type { TskernOutcome, TskernRunOptions } from './tskern-side';

interface Pending {
  readonly id: number;
  readonly text: string;
  readonly resolve: (o: TskernOutcome) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  job: Pending | undefined;
  timer: NodeJS.Timeout | undefined;
}

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export class TskernPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    size: number,
    private readonly options: TskernRunOptions,
    private readonly hangMs = 60_000,
  ) {
    for (let i = 0; i < Math.max(1, size); i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(ENTRY);
    const slot: Slot = { worker, ready: Promise.resolve(), job: undefined, timer: undefined };
    slot.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: { ready?: boolean }): void => {
        if (m.ready) {
          worker.off('message', onMessage);
          worker.off('error', reject);
          resolve();
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    slot.ready.catch(() => undefined); // the 'error' handler below fails the job
    worker.on('message', (m: { id?: number; outcome?: TskernOutcome }) => {
      if (m.id === undefined || slot.job === undefined || m.id !== slot.job.id) return;
      const job = slot.job;
      clearTimeout(slot.timer);
      slot.job = undefined;
      job.resolve(m.outcome!);
      this.pump();
    });
    worker.on('error', (e) => {
      // A worker that dies (out of memory, ...) fails its job as a crash.
      const job = slot.job;
      clearTimeout(slot.timer);
      slot.job = undefined;
      if (job) job.resolve({ transcript: `0: CRASH worker died: ${String(e)}\n`, problem: `worker died: ${String(e).slice(0, 120)}` });
      this.replace(slot);
    });
    return slot;
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    void slot.worker.terminate();
    if (i >= 0 && !this.closed) {
      this.slots[i] = this.spawn();
      this.pump();
    }
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job !== undefined) continue;
      const job = this.queue.shift();
      if (job === undefined) return;
      slot.job = job;
      void slot.ready.then(() => {
        if (slot.job !== job) return;
        slot.timer = setTimeout(() => {
          if (slot.job !== job) return;
          slot.job = undefined;
          job.resolve({ transcript: `0: HANG no answer within ${this.hangMs} ms\n`, problem: 'hang' });
          this.replace(slot);
        }, this.hangMs);
        slot.worker.postMessage({ id: job.id, text: job.text, options: this.options });
      });
    }
  }

  run(text: string): Promise<TskernOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, text, resolve });
      this.pump();
    });
  }

  runAll(texts: readonly string[]): Promise<TskernOutcome[]> {
    return Promise.all(texts.map((t) => this.run(t)));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
