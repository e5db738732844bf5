import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Errno } from '@tskern/abi';
import { privateFutexKey, sharedFutexKey } from './futex-key';
import { FutexTable } from './futex-table';
import type { FutexWaiter } from './futex-waiter';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 100);
const space = {};
const k = (addr: number) => privateFutexKey(space, addr);

describe('FutexTable', () => {
  it('wakes in arrival order, at most n, and tells each waiter', () => {
    const t = new FutexTable();
    const heard: number[] = [];
    const ws = [0, 1, 2].map((i) => t.wait(k(0x100), undefined, () => heard.push(i)));
    expect(t.wake(k(0x100), 2)).toBe(2);
    expect(heard).toEqual([0, 1]);
    expect(ws.map((w) => w.state)).toEqual(['woken', 'woken', 'waiting']);
    expect(t.wake(k(0x104), 10)).toBe(0);
    expect(t.wake(k(0x100), 10)).toBe(1);
    expect(t.keyCount).toBe(0);
  });

  it('wakes one even when asked for 0, as futex_wake checks the count after waking', () => {
    const t = new FutexTable();
    t.wait(k(8));
    t.wait(k(8));
    expect(t.wake(k(8), 0)).toBe(1);
    expect(t.waiters(k(8))).toBe(1);
  });

  it('matches bitsets: FUTEX_WAKE_BITSET skips waiters whose bitset does not meet it', () => {
    const t = new FutexTable();
    const a = t.wait(k(0), 0b01);
    const b = t.wait(k(0), 0b10);
    expect(t.wake(k(0), 5, 0b10)).toBe(1);
    expect([a.state, b.state]).toEqual(['waiting', 'woken']);
  });

  it('keeps private keys of different spaces and shared keys of different objects apart', () => {
    const t = new FutexTable();
    const obj = {};
    t.wait(privateFutexKey({}, 0x1000));
    t.wait(sharedFutexKey(obj, 0x10));
    expect(t.wake(privateFutexKey(space, 0x1000), 1)).toBe(0);
    expect(t.wake(sharedFutexKey(obj, 0x10), 1)).toBe(1);
  });

  it('timeout and cancel take a waiter out once; a later wake does not count it', () => {
    const t = new FutexTable();
    const reasons: string[] = [];
    const w1 = t.wait(k(4), undefined, (_, r) => reasons.push(r));
    const w2 = t.wait(k(4), undefined, (_, r) => reasons.push(r));
    expect(w1.timeout()).toBe(true);
    expect(w1.cancel()).toBe(false);
    expect(w2.cancel()).toBe(true);
    expect(reasons).toEqual(['timedout', 'cancelled']);
    expect(t.wake(k(4), 1)).toBe(0);
    expect(t.keyCount).toBe(0);
  });

  it('notifies after the whole wake: a waiter that queues again is not woken twice', () => {
    const t = new FutexTable();
    let again: FutexWaiter | null = null;
    t.wait(k(0), undefined, () => {
      again = t.wait(k(0));
    });
    expect(t.wake(k(0), 10)).toBe(1);
    expect(again!.state).toBe('waiting');
  });

  it('requeues: wakes nrWake, moves nrRequeue to the tail of the target', () => {
    const t = new FutexTable();
    const target = t.wait(k(0x20));
    const ws = [0, 1, 2, 3].map(() => t.wait(k(0x10)));
    expect(t.requeue(k(0x10), k(0x20), 1, 2)).toBe(3);
    expect(ws.map((w) => w.state)).toEqual(['woken', 'waiting', 'waiting', 'waiting']);
    expect(t.waiters(k(0x10))).toBe(1);
    expect(t.waiters(k(0x20))).toBe(3);
    expect(ws[1]!.key.offset).toBe(0x20);
    expect(t.wake(k(0x20), 1)).toBe(1);
    expect(target.state).toBe('woken'); // the old waiter of the target goes first
    expect(t.requeue(k(0x10), k(0x20), -1, 0)).toBe(-Errno.EINVAL);
    expect(t.requeue(k(0x10), k(0x10), 0, 5)).toBe(1);
    expect(t.waiters(k(0x10))).toBe(1);
  });

  it('matches a FIFO model over random waits, wakes, requeues and timeouts (property)', () => {
    const key = fc.integer({ min: 0, max: 2 });
    const op = fc.oneof(
      fc.record({ wait: key, bits: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ wake: key, n: fc.integer({ min: -1, max: 3 }), bits: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ from: key, to: key, nw: fc.integer({ min: 0, max: 2 }), nr: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ timeout: fc.nat(20) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const t = new FutexTable();
        const model: { w: FutexWaiter; key: number; bits: number }[] = [];
        const all: FutexWaiter[] = [];
        for (const o of ops) {
          if ('wait' in o) {
            const w = t.wait(k(o.wait), o.bits);
            model.push({ w, key: o.wait, bits: o.bits });
            all.push(w);
          } else if ('wake' in o) {
            const limit = Math.max(o.n, 1);
            const hit = model.filter((m) => m.key === o.wake && (m.bits & o.bits) !== 0).slice(0, limit);
            expect(t.wake(k(o.wake), o.n, o.bits)).toBe(hit.length);
            for (const h of hit) model.splice(model.indexOf(h), 1);
            for (const h of hit) expect(h.w.state).toBe('woken');
          } else if ('from' in o) {
            const on = model.filter((m) => m.key === o.from).slice(0, o.nw + o.nr);
            expect(t.requeue(k(o.from), k(o.to), o.nw, o.nr)).toBe(on.length);
            on.forEach((m, i) => {
              if (i < o.nw) model.splice(model.indexOf(m), 1);
              else if (o.from !== o.to) {
                model.splice(model.indexOf(m), 1);
                model.push({ ...m, key: o.to });
              }
            });
          } else if (all.length > 0) {
            const w = all[o.timeout % all.length]!;
            const was = model.findIndex((m) => m.w === w);
            expect(w.timeout()).toBe(was >= 0);
            if (was >= 0) model.splice(was, 1);
          }
          for (const key of [0, 1, 2]) expect(t.waiters(k(key))).toBe(model.filter((m) => m.key === key).length);
        }
        t.check();
      }),
      { numRuns: runs },
    );
  });
});
