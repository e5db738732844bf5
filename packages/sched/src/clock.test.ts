import { describe, expect, it } from 'vitest';
import { ClockId, readClock, timespecFromNs } from './clock';
import { HostClock } from './host-clock';
import { VIRTUAL_EPOCH_NS, VirtualClock } from './virtual-clock';

describe('clocks', () => {
  it('a virtual clock moves only when told, realtime with monotonic, never back', () => {
    const c = new VirtualClock({ monotonicNs: 1000 });
    expect(c.monotonicNs()).toBe(1000);
    expect(c.realtimeNs()).toBe(VIRTUAL_EPOCH_NS);
    c.advance(500);
    c.advanceTo(100);
    expect(c.monotonicNs()).toBe(1500);
    expect(c.realtimeNs()).toBe(VIRTUAL_EPOCH_NS + 500n);
  });

  it('readClock answers the wall and monotonic ids, null for CPU-time and unknown ids', () => {
    const c = new VirtualClock({ monotonicNs: 7, realtimeNs: 3_000_000_005n });
    expect(readClock(c, ClockId.CLOCK_MONOTONIC)).toBe(7n);
    expect(readClock(c, ClockId.CLOCK_BOOTTIME)).toBe(7n);
    expect(readClock(c, ClockId.CLOCK_REALTIME)).toBe(3_000_000_005n);
    expect(readClock(c, ClockId.CLOCK_PROCESS_CPUTIME_ID)).toBeNull();
    expect(readClock(c, 10)).toBeNull();
    expect(timespecFromNs(3_000_000_005n)).toEqual({ sec: 3, nsec: 5 });
  });

  it('the host clock is monotonic and its realtime is near Date.now', () => {
    const c = new HostClock();
    const a = c.monotonicNs();
    const b = c.monotonicNs();
    expect(b).toBeGreaterThanOrEqual(a);
    const diffMs = Number(c.realtimeNs() / 1_000_000n) - Date.now();
    expect(Math.abs(diffMs)).toBeLessThan(60_000);
  });
});
