/**
 * `pnpm fuzz --raw`: runs the raw syscall fuzzer's epochs in a worker thread
 * watched for hangs, writes a replayable reproduction (`.json`, with a
 * readable `.txt` listing) for each kind of failure, and prints a summary;
 * `pnpm fuzz --replay FILE.json` replays one.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PAGE_SIZE } from '@tskern/abi';
import { createKernel } from '@tskern/kernel';
import { callBudget } from './call-budget';
import { describe, failureSignature, replay, runEpoch, type Action, type Failure } from './raw';
import type { RawWorkerData, RawWorkerMessage } from './raw-worker';

export interface RawCliOptions {
  readonly seed: number;
  readonly calls: number;
  readonly epochCalls: number;
  readonly checkEvery: number;
  readonly maxProcs: number;
  /** The slow-call limit; calibrated against the host when absent (see call-budget.ts). */
  readonly callBudgetMs?: number | undefined;
  readonly hangMs: number;
  readonly outDir: string;
  readonly strict: boolean;
  readonly onlyEpoch?: number;
  readonly replay?: string;
  /** Syscall numbers the generator never makes. */
  readonly skip: readonly number[];
  /** Time for minimising each failure. */
  readonly minimizeMs: number;
  /** With onlyEpoch: run in this thread and print each action from this call index on before it runs. */
  readonly traceFrom?: number;
}

interface Reported {
  readonly epoch: number;
  readonly index: number;
  readonly failure: Failure;
  file?: string;
  minimizedLength?: number;
  originalLength?: number;
}

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export interface Repro {
  readonly seed: number;
  readonly epoch: number;
  readonly index: number;
  readonly failure: Failure;
  readonly reproduced: boolean;
  readonly originalLength: number;
  /** The call budget of the run (a `slow` failure replays with it). */
  readonly callBudgetMs?: number;
  readonly actions: Action[];
}

/** Bytes of frames of the kernel the fuzzer runs (RawMachine uses createKernel's default). */
function kernelFrameBytes(): number {
  return createKernel().frames.stats().totalFrames * PAGE_SIZE;
}

function writeRepro(outDir: string, r: Repro): string {
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `raw-s${r.seed}-e${r.epoch}-c${r.index}`);
  writeFileSync(`${base}.json`, JSON.stringify(r, null, 1) + '\n');
  const lines = [
    `# raw fuzzer failure: seed ${r.seed}, epoch ${r.epoch}, call ${r.index}`,
    `# ${r.failure.kind}: ${r.failure.message}`,
    `# reproduce the run: pnpm fuzz --raw --seed ${r.seed} --epoch ${r.epoch} --epoch-calls ${r.index + 1}`,
    `# replay these ${r.actions.length} actions (minimised from ${r.originalLength}${r.reproduced ? '' : '; the failure did not reproduce on replay'}): pnpm fuzz --replay ${base}.json`,
    `# each action runs on a fresh kernel in order; then every mm is checked, every process exits, every file is removed and 0 frames must be in use`,
    ...r.actions.map((a, i) => `${String(i).padStart(5)}  ${describe(a)}`),
  ];
  if (r.failure.stack) lines.push('', '# stack:', ...r.failure.stack.split('\n').map((l) => `#   ${l}`));
  writeFileSync(`${base}.txt`, lines.join('\n') + '\n');
  return `${base}.json`;
}

function replayMain(file: string): number {
  const r = JSON.parse(readFileSync(file, 'utf8')) as Repro;
  process.stdout.write(`replaying ${r.actions.length} actions of seed ${r.seed} epoch ${r.epoch} (expected: ${r.failure.signature})\n`);
  const f = replay(r.actions, r.callBudgetMs ?? 60_000);
  if (f === undefined) {
    process.stdout.write('no failure\n');
    return 0;
  }
  process.stdout.write(`${f.kind}: ${f.message}\n${f.stack ?? ''}\n`);
  return 1;
}

/** Run one epoch in this thread, printing each action from `traceFrom` on (to see what a hang was doing). */
function traceMain(o: RawCliOptions & { callBudgetMs: number }): number {
  const epoch = o.onlyEpoch ?? 0;
  const from = o.traceFrom!;
  const r = runEpoch({
    seed: o.seed, epoch, calls: o.epochCalls, checkEvery: o.checkEvery, maxProcs: o.maxProcs, callBudgetMs: o.callBudgetMs, record: false,
    skip: new Set(o.skip),
    onAction: (i, a) => {
      if (i >= from) process.stdout.write(`${i}: ${describe(a)}\n`);
    },
  });
  if (r.failure) process.stdout.write(`${r.failure.kind} at call ${r.failedAt}: ${r.failure.message}\n${r.failure.stack ?? ''}\n`);
  else process.stdout.write(`epoch ${epoch}: ${r.calls} calls, no failure\n`);
  return r.failure ? 1 : 0;
}

export async function runRawMain(options: RawCliOptions): Promise<number> {
  if (options.replay !== undefined) return replayMain(options.replay);
  const budget = callBudget(kernelFrameBytes(), options.callBudgetMs);
  // A call under the slow-call limit must not be taken for a hang.
  const hangMs = Math.max(options.hangMs, 2 * budget.budgetMs);
  process.stderr.write(`fuzz --raw: slow-call limit ${budget.budgetMs} ms (${budget.reason}), hang after ${hangMs} ms\n`);
  const o = { ...options, callBudgetMs: budget.budgetMs, hangMs };
  if (o.traceFrom !== undefined) return traceMain(o);
  const epochs: { epoch: number; calls: number }[] = [];
  if (o.onlyEpoch !== undefined) epochs.push({ epoch: o.onlyEpoch, calls: o.epochCalls });
  else for (let e = 0; e * o.epochCalls < o.calls; e++) epochs.push({ epoch: e, calls: Math.min(o.epochCalls, o.calls - e * o.epochCalls) });
  const total = epochs.reduce((s, e) => s + e.calls, 0);
  const failures: Reported[] = [];
  const known: string[] = [];
  let done = 0;
  let ran = 0;
  let busyMs = 0;
  const t0 = performance.now();
  const log = (l: string): void => void process.stderr.write(l + '\n');

  while (done < epochs.length) {
    const progress = new SharedArrayBuffer(8);
    const view = new Int32Array(progress);
    const data: RawWorkerData = {
      module: './raw-worker.ts', seed: o.seed, epochs: epochs.slice(done), checkEvery: o.checkEvery, maxProcs: o.maxProcs,
      callBudgetMs: o.callBudgetMs, progress, known: [...known], maxMinimize: 8, skip: o.skip, minimizeMs: o.minimizeMs,
      ...(options.callBudgetMs === undefined ? { calibratedFrameBytes: kernelFrameBytes() } : {}),
    };
    const worker = new Worker(ENTRY, { workerData: data });
    await new Promise<void>((resolveRun) => {
      let last = '';
      let lastChange = performance.now();
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        clearInterval(timer);
        void worker.terminate();
        resolveRun();
      };
      const timer = setInterval(() => {
        const now = `${Atomics.load(view, 0)}:${Atomics.load(view, 1)}`;
        if (now !== last) {
          last = now;
          lastChange = performance.now();
          return;
        }
        if (performance.now() - lastChange < o.hangMs) return;
        const epoch = Atomics.load(view, 0);
        const index = Atomics.load(view, 1);
        const message = `no progress for ${o.hangMs} ms at epoch ${epoch} call ${index}`;
        failures.push({ epoch, index, failure: { kind: 'hang', message, signature: failureSignature('hang', 'hang') } });
        log(`fuzz --raw: HANG: ${message}; reproduce: pnpm fuzz --raw --seed ${o.seed} --epoch ${epoch} --epoch-calls ${index + 1}`);
        // Skip the epoch that hung (or whose failure was being minimised).
        while (done < epochs.length && epochs[done]!.epoch <= epoch) done++;
        finish();
      }, 1000);
      worker.on('message', (m: RawWorkerMessage) => {
        if (m.type === 'epoch') {
          done++;
          ran += m.calls;
          busyMs += m.ms;
          if (m.failure) {
            const f: Reported = { epoch: m.epoch, index: m.failedAt!, failure: m.failure };
            failures.push(f);
            if (!known.includes(m.failure.signature)) known.push(m.failure.signature);
            log(`fuzz --raw: FAILURE at seed ${o.seed} epoch ${m.epoch} call ${m.failedAt}: ${m.failure.kind}: ${m.failure.message}`);
          }
          const secs = (performance.now() - t0) / 1000;
          log(`fuzz --raw: epoch ${m.epoch}: ${m.calls} calls in ${(m.ms / 1000).toFixed(1)} s; ${ran}/${total} calls, ${failures.length} failures (${secs.toFixed(1)} s)`);
        } else if (m.type === 'repro') {
          const file = writeRepro(o.outDir, { seed: o.seed, callBudgetMs: o.callBudgetMs, ...m });
          const f = failures.find((x) => x.epoch === m.epoch && x.failure.signature === m.failure.signature);
          if (f) {
            f.file = file;
            f.minimizedLength = m.actions.length;
            f.originalLength = m.originalLength;
          }
          log(`fuzz --raw: reproduction (${m.actions.length} of ${m.originalLength} actions${m.reproduced ? '' : ', NOT reproduced on replay'}): ${file}`);
        } else if (m.type === 'done') finish();
      });
      worker.on('error', (e) => {
        log(`fuzz --raw: worker error: ${e.stack ?? String(e)}`);
        const epoch = Atomics.load(view, 0);
        failures.push({ epoch, index: Atomics.load(view, 1), failure: { kind: 'exception', message: `worker died: ${String(e)}`, signature: failureSignature('exception', 'worker died') } });
        while (done < epochs.length && epochs[done]!.epoch <= epoch) done++;
        finish();
      });
      worker.on('exit', () => finish());
    });
  }

  const secs = (performance.now() - t0) / 1000;
  const bySig = new Map<string, Reported[]>();
  for (const f of failures) bySig.set(f.failure.signature, [...(bySig.get(f.failure.signature) ?? []), f]);
  for (const [sig, list] of bySig) {
    process.stdout.write(`${String(list.length).padStart(6)}× ${sig}\n`);
    for (const f of list.slice(0, 3)) {
      process.stdout.write(`         seed ${o.seed} epoch ${f.epoch} call ${f.index}${f.file ? `: ${f.file} (${f.minimizedLength} of ${f.originalLength} actions)` : ''}\n`);
    }
  }
  process.stdout.write(
    `fuzz --raw: ${ran} calls in ${secs.toFixed(1)} s (${Math.round(ran / Math.max(busyMs / 1000, 1e-9))} calls/s in the fuzzer), seed ${o.seed}, ${failures.length} failures\n`,
  );
  return o.strict && failures.length > 0 ? 1 : 0;
}
