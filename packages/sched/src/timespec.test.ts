import { describe, expect, it } from 'vitest';
import { NEVER_NS, timespecToNs } from './timespec';
import { Scheduler } from './scheduler';
import { VirtualClock } from './virtual-clock';

describe('timespecToNs', () => {
  it('converts valid timespecs, refuses negative or out-of-range fields, saturates far times', () => {
    expect(timespecToNs(2, 5)).toBe(2_000_000_005);
    expect(timespecToNs(0n, 999_999_999n)).toBe(999_999_999);
    expect(timespecToNs(-1, 0)).toBeNull();
    expect(timespecToNs(0, 1_000_000_000)).toBeNull();
    expect(timespecToNs(0, -1)).toBeNull();
    expect(timespecToNs(2n ** 62n, 0)).toBe(NEVER_NS);
  });

  it('a saturated deadline is no deadline: the entity is reported, not woken at the end of time', () => {
    const s = new Scheduler<string>(new VirtualClock());
    s.makeRunnable('t');
    s.next();
    s.block('t', { deadline: NEVER_NS, reason: 'nanosleep' });
    expect(s.next()).toMatchObject({ kind: 'deadlock', report: { blocked: [{ id: 't', deadline: null }] } });
  });
});
