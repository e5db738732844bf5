import { describe, expect, it } from 'vitest';
import { hostCpuTicks } from './node-cpu-ticks';

describe('hostCpuTicks', () => {
  it('counts up while the process runs, one source per process', async () => {
    const source = hostCpuTicks();
    expect(hostCpuTicks()).toBe(source);
    const first = source.ticks[0]!;
    // A budget, not a timing: a loaded host may start the thread late.
    for (let i = 0; i < 500 && source.ticks[0]! <= first; i++) await new Promise((r) => setTimeout(r, 10));
    expect(source.ticks[0]!).toBeGreaterThan(first);
  });
});
