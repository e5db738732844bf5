import { describe, expect, it } from 'vitest';
import { callBudget, DEFAULT_CALL_BUDGET_MS, hostTouchMs, SLOW_FACTOR } from './call-budget';
import { RawFailure, RawMachine } from './raw';

describe('the slow-call limit', () => {
  it('is the floor on a fast host, grows with the host page-touch cost on a slow one, and an explicit limit wins', () => {
    const sizes: number[] = [];
    const fast = callBudget(1 << 30, undefined, (bytes) => (sizes.push(bytes), 40));
    expect(fast.budgetMs).toBe(DEFAULT_CALL_BUDGET_MS);
    expect(sizes).toEqual([64 << 20]); // a sample, scaled to all the kernel's frames
    expect(callBudget(1 << 30, undefined, () => 900).budgetMs).toBe(SLOW_FACTOR * 900 * 16);
    expect(callBudget(16 << 20, undefined, () => 2000).budgetMs).toBe(SLOW_FACTOR * 2000);
    expect(callBudget(1 << 30, 1234, () => 900)).toEqual({ budgetMs: 1234, reason: '--call-budget-ms 1234' });
  });

  it('measures the host touching fresh pages', () => {
    expect(hostTouchMs(1 << 20, 1)).toBeGreaterThanOrEqual(0);
  });

  it('a call over the limit is slow only if it is still over the limit the host earns when re-measured', () => {
    // A limit of -1 ms makes every call "over"; the re-measured limit decides (seed 60604: a 4 GiB
    // MAP_POPULATE took 28 s while the load average had grown to 13 after a calibration at 7 s).
    let asked = 0;
    const busyHost = new RawMachine(-1, undefined, () => (asked++, 60_000));
    expect(() => busyHost.run({ t: 'spawn', uid: 0, c: 0 })).not.toThrow();
    expect(asked).toBe(1);
    const fixed = new RawMachine(-1);
    expect(() => fixed.run({ t: 'spawn', uid: 0, c: 0 })).toThrow(RawFailure);
    const stillSlow = new RawMachine(-1, undefined, () => -1);
    expect(() => stillSlow.run({ t: 'spawn', uid: 0, c: 0 })).toThrow(/took \d+ ms, \d+ ms of CPU \(limit -1 ms\)/);
  });
});
