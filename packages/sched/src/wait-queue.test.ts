import { describe, expect, it } from 'vitest';
import { WaitQueue } from './wait-queue';

describe('WaitQueue', () => {
  it('wakes one, n and all in arrival order, removing the woken', () => {
    const q = new WaitQueue<string>();
    const woken: string[] = [];
    for (const n of ['a', 'b', 'c', 'd']) q.add(n, (d) => woken.push(d) > 0);
    expect(q.wakeOne()).toBe(1);
    expect(q.wake(2)).toBe(2);
    expect(woken).toEqual(['a', 'b', 'c']);
    expect([...q.waiters()]).toEqual(['d']);
    expect(q.wakeAll()).toBe(1);
    expect(q.isEmpty).toBe(true);
  });

  it('wake-one skips a waiter that was already awake, so the wake-up is not lost', () => {
    const q = new WaitQueue();
    const woken: string[] = [];
    q.add(undefined, () => false);
    q.add(undefined, () => woken.push('second') > 0);
    expect(q.wakeOne()).toBe(1);
    expect(woken).toEqual(['second']);
  });

  it('wakes by predicate and removes by handle', () => {
    const q = new WaitQueue<number>();
    const woken: number[] = [];
    const handles = [1, 2, 3, 4, 5].map((n) => q.add(n, (d) => woken.push(d) > 0));
    expect(q.remove(handles[1]!)).toBe(true);
    expect(q.remove(handles[1]!)).toBe(false);
    expect(q.wakeWhere((d) => d % 2 === 1, 2)).toBe(2);
    expect(woken).toEqual([1, 3]);
    expect([...q.waiters()]).toEqual([4, 5]);
    expect(handles[0]!.queued).toBe(false);
  });

  it('does not wake a waiter queued by a wake function in the same call', () => {
    const q = new WaitQueue();
    let count = 0;
    const requeue = (): boolean => {
      count++;
      q.add(undefined, requeue);
      return true;
    };
    q.add(undefined, requeue);
    expect(q.wakeAll()).toBe(1);
    expect(count).toBe(1);
    expect(q.size).toBe(1);
  });
});
