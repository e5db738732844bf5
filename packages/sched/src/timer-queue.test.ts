import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimerQueue } from './timer-queue';

const runs = Number(process.env.TSKERN_PROPERTY_RUNS ?? 100);

describe('TimerQueue', () => {
  it('fires due timers in deadline order, equal deadlines first-in first-out', () => {
    const q = new TimerQueue<string>();
    q.add(30, 'c');
    q.add(10, 'a1');
    q.add(20, 'b');
    q.add(10, 'a2');
    q.add(40, 'late');
    const fired: string[] = [];
    expect(q.fireDue(30, (p) => fired.push(p))).toBe(4);
    expect(fired).toEqual(['a1', 'a2', 'b', 'c']);
    expect(q.nextDeadline()).toBe(40);
  });

  it('cancels by handle, once', () => {
    const q = new TimerQueue<number>();
    const h = q.add(5, 1);
    q.add(6, 2);
    expect(q.cancel(h)).toBe(true);
    expect(h.pending).toBe(false);
    expect(q.cancel(h)).toBe(false);
    const fired: number[] = [];
    q.fireDue(100, (p) => fired.push(p));
    expect(fired).toEqual([2]);
  });

  it('fires a due timer added while firing in the same call', () => {
    const q = new TimerQueue<string>();
    q.add(1, 'first');
    const fired: string[] = [];
    q.fireDue(10, (p) => {
      fired.push(p);
      if (p === 'first') q.add(2, 'second');
    });
    expect(fired).toEqual(['first', 'second']);
  });

  it('property: what fires is exactly the uncancelled due timers, sorted by (deadline, order added)', () => {
    const op = fc.oneof(
      fc.record({ add: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ cancel: fc.nat(40) }),
      fc.record({ fire: fc.integer({ min: 0, max: 50 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const q = new TimerQueue<number>();
        const model: { deadline: number; seq: number; live: boolean }[] = [];
        const handles: ReturnType<typeof q.add>[] = [];
        for (const o of ops) {
          if ('add' in o) {
            handles.push(q.add(o.add, model.length));
            model.push({ deadline: o.add, seq: model.length, live: true });
          } else if ('cancel' in o) {
            const i = o.cancel % Math.max(1, handles.length);
            if (handles[i] === undefined) continue;
            expect(q.cancel(handles[i])).toBe(model[i]!.live);
            model[i]!.live = false;
          } else {
            const want = model
              .filter((t) => t.live && t.deadline <= o.fire)
              .sort((a, b) => a.deadline - b.deadline || a.seq - b.seq)
              .map((t) => t.seq);
            const got: number[] = [];
            q.fireDue(o.fire, (p) => got.push(p));
            expect(got).toEqual(want);
            for (const s of want) model[s]!.live = false;
          }
          expect(q.size).toBe(model.filter((t) => t.live).length);
        }
      }),
      { numRuns: runs },
    );
  });
});
