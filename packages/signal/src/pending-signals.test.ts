import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Errno } from '@tskern/abi';
import { PendingSignals, SigpendingCounter } from './pending-signals';
import { SI, type SigInfo, kernelSigInfo, userSigInfo } from './siginfo';
import { SIG, SIGRTMIN } from './signal-numbers';
import { SignalSet } from './signal-set';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 100);
const queued = (sig: number, value: number): SigInfo => ({ kind: 'rt', signo: sig, errno: 0, code: SI.SI_QUEUE, pid: 1, uid: 0, value });

describe('PendingSignals', () => {
  it('coalesces a standard signal that is already pending', () => {
    const p = new PendingSignals();
    const acct = new SigpendingCounter(10);
    expect(p.enqueue(userSigInfo(SIG.SIGUSR1, 5, 1000), acct)).toBe('queued');
    expect(p.enqueue(userSigInfo(SIG.SIGUSR1, 6, 1000), acct)).toBe('coalesced');
    expect(p.dequeue(SIG.SIGUSR1)).toMatchObject({ pid: 5 });
    expect(p.has(SIG.SIGUSR1)).toBe(false);
    expect(acct.count).toBe(0);
  });

  it('queues every real-time instance with its siginfo, in order', () => {
    const p = new PendingSignals();
    const acct = new SigpendingCounter(10);
    for (const v of [1, 2, 3]) p.enqueue(queued(SIGRTMIN + 1, v), acct);
    expect(p.queuedCount(SIGRTMIN + 1)).toBe(3);
    expect([1, 2, 3].map(() => (p.dequeue(SIGRTMIN + 1) as { value: number }).value)).toEqual([1, 2, 3]);
    expect(p.has(SIGRTMIN + 1)).toBe(false);
  });

  it('answers EAGAIN past RLIMIT_SIGPENDING for sigqueue, keeps kill pending without info', () => {
    const p = new PendingSignals();
    const acct = new SigpendingCounter(1);
    expect(p.enqueue(queued(40, 1), acct)).toBe('queued');
    expect(p.enqueue(queued(40, 2), acct)).toBe(-Errno.EAGAIN);
    expect(p.enqueue(userSigInfo(41, 9, 0), acct)).toBe('info-lost');
    expect(p.has(41)).toBe(true);
    expect(p.dequeue(41)).toEqual({ kind: 'kill', signo: 41, errno: 0, code: SI.SI_USER, pid: 0, uid: 0 });
    // standard signals and kernel-raised ones pass the limit (override_rlimit)
    expect(p.enqueue(kernelSigInfo(SIG.SIGALRM), acct)).toBe('queued');
    expect(acct.count).toBe(2);
  });

  it('discards signals and releases their slots', () => {
    const p = new PendingSignals();
    const acct = new SigpendingCounter(10);
    p.enqueue(queued(40, 1), acct);
    p.enqueue(queued(40, 2), acct);
    p.enqueue(userSigInfo(SIG.SIGCHLD, 1, 0), acct);
    p.discard(SignalSet.of(40));
    expect(p.signals.toArray()).toEqual([SIG.SIGCHLD]);
    p.clear();
    expect(p.signals.isEmpty()).toBe(true);
    expect(acct.count).toBe(0);
  });

  it('matches a model: standard signals once, real-time ones per send, accounting balanced (property)', () => {
    const op = fc.oneof(
      fc.record({ send: fc.integer({ min: 1, max: 64 }) }),
      fc.record({ take: fc.integer({ min: 1, max: 64 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const p = new PendingSignals();
        const acct = new SigpendingCounter(1000);
        const model = new Map<number, number>();
        for (const o of ops) {
          if ('send' in o) {
            const n = model.get(o.send) ?? 0;
            model.set(o.send, o.send < SIGRTMIN ? 1 : n + 1);
            p.enqueue(queued(o.send, n), acct);
          } else if (p.has(o.take)) {
            p.dequeue(o.take);
            const n = model.get(o.take)! - 1;
            if (n === 0) model.delete(o.take);
            else model.set(o.take, n);
          }
          expect(p.signals.toArray()).toEqual([...model.keys()].sort((a, b) => a - b));
          expect(acct.count).toBe([...model.values()].reduce((a, b) => a + b, 0));
        }
      }),
      { numRuns: runs },
    );
  });
});
