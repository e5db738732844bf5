// Worker entry when the suite runs from TypeScript source (tsx): loader hooks
// are per thread, so register tsx here before importing the real entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
