/**
 * The raw fuzzer's worker thread: runs epochs, reports each one, and for each
 * new kind of failure records the epoch up to it and minimises the actions.
 * The main thread watches `progress` ([epoch, call index]) for hangs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { callBudget } from './call-budget';
import { minimizeActions, replay, runEpoch, type Action, type Failure } from './raw';

export interface RawWorkerData {
  readonly module: string;
  readonly seed: number;
  readonly epochs: readonly { epoch: number; calls: number }[];
  readonly checkEvery: number;
  readonly maxProcs: number;
  readonly callBudgetMs: number;
  /** The kernel's frame bytes when the limit was calibrated (not `--call-budget-ms`): a slow call re-measures the host. */
  readonly calibratedFrameBytes?: number;
  readonly progress: SharedArrayBuffer;
  /** Signatures already minimised (by earlier workers of this run). */
  readonly known: readonly string[];
  readonly maxMinimize: number;
  readonly skip: readonly number[];
  readonly minimizeMs: number;
}

export type RawWorkerMessage =
  | { type: 'epoch'; epoch: number; calls: number; ms: number; failure?: Failure; failedAt?: number }
  | { type: 'repro'; epoch: number; index: number; failure: Failure; actions: Action[]; originalLength: number; reproduced: boolean }
  | { type: 'done' };

console.log = () => {};
console.info = () => {};
console.debug = () => {};

const d = workerData as RawWorkerData;
const progress = new Int32Array(d.progress);
const known = new Set(d.known);
const post = (m: RawWorkerMessage): void => parentPort!.postMessage(m);
let minimised = 0;

for (const { epoch, calls } of d.epochs) {
  Atomics.store(progress, 0, epoch);
  const beat = (i: number): void => {
    Atomics.store(progress, 1, i);
  };
  const frameBytes = d.calibratedFrameBytes;
  const recalibrate = frameBytes === undefined ? undefined : () => callBudget(frameBytes).budgetMs;
  const opts = {
    seed: d.seed, epoch, calls, checkEvery: d.checkEvery, maxProcs: d.maxProcs, callBudgetMs: d.callBudgetMs, skip: new Set(d.skip),
    ...(recalibrate ? { recalibrate } : {}),
  };
  const r = runEpoch({ ...opts, record: false, progress: beat });
  post({ type: 'epoch', epoch, calls: r.calls, ms: r.ms, ...(r.failure ? { failure: r.failure, failedAt: r.failedAt! } : {}) });
  if (r.failure && !known.has(r.failure.signature) && minimised < d.maxMinimize) {
    known.add(r.failure.signature);
    minimised++;
    const rec = runEpoch({ ...opts, record: true, stopAfter: r.failedAt!, progress: beat });
    const actions = rec.actions ?? [];
    let counter = 0;
    const reproduced = replay(actions, d.callBudgetMs, () => Atomics.store(progress, 1, counter++))?.signature === r.failure.signature;
    const min = reproduced ? minimizeActions(actions, r.failure.signature, d.minimizeMs, () => Atomics.store(progress, 1, counter++), d.callBudgetMs) : actions;
    post({ type: 'repro', epoch, index: r.failedAt!, failure: r.failure, actions: min, originalLength: actions.length, reproduced });
  }
}
post({ type: 'done' });
