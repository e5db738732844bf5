import { describe, expect, it } from 'vitest';
import { callBudget, DEFAULT_CALL_BUDGET_MS, hostTouchMs, SLOW_FACTOR } from './call-budget';

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
});
