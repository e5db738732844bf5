import type { WaitQueue } from './wait-queue';

/**
 * Something a blocked entity waits on: a wait queue with the waiter's data.
 * `register` queues a waiter whose wake calls `wake` and returns how to take
 * it off again. Lets one block wait on queues of different data types.
 */
export interface WaitSource {
  readonly name: string;
  register(wake: () => boolean): () => void;
}

/** Wait on `queue` with `data` (a futex bitset, poll events; nothing for plain queues). */
export function waitOn<D>(queue: WaitQueue<D>, data: D): WaitSource;
export function waitOn(queue: WaitQueue<undefined>): WaitSource;
export function waitOn<D>(queue: WaitQueue<D>, data?: D): WaitSource {
  return {
    name: queue.name,
    register(wake) {
      const handle = queue.add(data as D, wake);
      return () => {
        queue.remove(handle);
      };
    },
  };
}
