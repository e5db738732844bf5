import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler';
import { VirtualClock } from './virtual-clock';
import { WaitQueue } from './wait-queue';
import { waitOn } from './wait-source';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 100);

describe('Scheduler properties', () => {
  it('no lost wake-ups: consumers of a semaphore never all sleep while a token is left', () => {
    // Each step either posts a token (waking one sleeper) or lets the runtime
    // run the next entity, which takes a token or blocks on the queue (with a
    // timeout on some). Whenever the scheduler goes idle or reports a
    // deadlock, no token may be left.
    const step = fc.oneof(fc.constant<'post'>('post'), fc.constant<'run'>('run'), fc.constant<'interrupt'>('interrupt'));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(step, { maxLength: 80 }), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), (n, steps, timed) => {
        const clock = new VirtualClock();
        const s = new Scheduler<number>(clock);
        const q = new WaitQueue('sem');
        let tokens = 0;
        let interrupts = 0;
        for (let id = 0; id < n; id++) s.makeRunnable(id);
        const runOne = (): boolean => {
          const d = s.next();
          if (d.kind !== 'run') {
            expect(tokens).toBe(0);
            return false;
          }
          if (tokens > 0) {
            tokens--;
            s.makeRunnable(d.id); // take it and go round again
          } else {
            s.block(d.id, { on: [waitOn(q)], deadline: timed[d.id] ? clock.monotonicNs() + 100 : null, reason: 'sem_wait' });
          }
          return true;
        };
        for (const st of steps) {
          if (st === 'post') {
            tokens++;
            q.wakeOne();
          } else if (st === 'interrupt') {
            if (s.wake(interrupts++ % n)) expect(s.state((interrupts - 1) % n)).toBe('runnable');
          } else {
            runOne();
          }
        }
        // Drain: the run must reach a state where nothing runs, with no token left.
        for (let i = 0; i < 1000 && runOne(); i++) {
          if (tokens === 0 && s.blocked().length === n) break;
        }
        expect(tokens === 0 || s.blocked().length < n).toBe(true);
      }),
      { numRuns: runs },
    );
  });

  it('wake-one fairness: waiters are woken in the order they blocked', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(50), { minLength: 1, maxLength: 12 }), fc.nat(), (order, seed) => {
        const s = new Scheduler<number>(new VirtualClock());
        const q = new WaitQueue('q');
        for (const id of order) s.makeRunnable(id);
        // Block in run order, which is the order made runnable.
        for (let i = 0; i < order.length; i++) {
          const d = s.next();
          if (d.kind !== 'run') throw new Error('expected to run');
          s.block(d.id, { on: [waitOn(q)], reason: 'futex' });
        }
        // One waiter leaves early (a signal): the rest keep their order.
        const gone = order[seed % order.length]!;
        s.wake(gone);
        expect(s.next()).toMatchObject({ id: gone, cause: 'interrupt' });
        s.remove(gone);
        const woken: number[] = [];
        while (q.wakeOne() === 1) {
          const d = s.next();
          if (d.kind !== 'run') throw new Error('expected to run');
          woken.push(d.id);
        }
        expect(woken).toEqual(order.filter((id) => id !== gone));
      }),
      { numRuns: runs },
    );
  });
});
