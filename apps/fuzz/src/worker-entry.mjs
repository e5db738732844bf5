// Worker-thread entry: registers tsx so that a TypeScript worker module (and
// the workspace packages under the @tskern/source condition) load from
// source. workerData.module names the module (default ./worker.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData?.module ?? './worker.ts');
