import { describe, expect, it } from 'vitest';
import { TickCpuAccounting } from './cpu-accounting';

/** A clock that moves only when told, and a tick counter. */
function world() {
  const ticks = new Int32Array(1);
  const clock = { now: 0 };
  const acct = new TickCpuAccounting(() => clock.now, { ticks });
  return { ticks, clock, acct };
}

describe('TickCpuAccounting', () => {
  it("splits a turn's exact run time in the ratio of the ticks that fell in user and system mode", () => {
    const { ticks, clock, acct } = world();
    const time = { userNs: 0, systemNs: 0 };
    acct.switchIn(time);
    ticks[0] = 3; // three ticks on the CPU
    acct.kernelEntry();
    ticks[0] = 4; // one in the call
    acct.kernelExit();
    clock.now = 8_000_000;
    acct.switchOut();
    expect(time).toEqual({ userNs: 6_000_000, systemNs: 2_000_000 });
  });

  it('charges everything to user time while no tick fell in the kernel, and neither part goes backwards', () => {
    const { ticks, clock, acct } = world();
    const time = { userNs: 0, systemNs: 0 };
    acct.switchIn(time);
    acct.kernelEntry();
    acct.kernelExit();
    clock.now = 1000;
    acct.switchOut();
    expect(time).toEqual({ userNs: 1000, systemNs: 0 });
    // Now a tick in the kernel: the split moves to half and half of the total, but user time keeps what it had.
    acct.switchIn(time);
    acct.kernelEntry();
    ticks[0] = 1;
    acct.kernelExit();
    clock.now = 1500;
    acct.switchOut();
    expect(time.userNs + time.systemNs).toBe(1500);
    expect(time.userNs).toBe(1000);
    expect(time.systemNs).toBe(500);
  });

  it('charges no one for the ticks of an idle host', () => {
    const { ticks, clock, acct } = world();
    const time = { userNs: 0, systemNs: 0 };
    ticks[0] = 100;
    acct.idle();
    acct.switchIn(time);
    ticks[0] = 101;
    acct.kernelEntry();
    clock.now = 4_000_000;
    acct.switchOut();
    expect(time).toEqual({ userNs: 4_000_000, systemNs: 0 });
  });

  it('keeps what a task was charged before it first ran here', () => {
    const { clock, acct } = world();
    const time = { userNs: 700, systemNs: 300 };
    acct.switchIn(time);
    clock.now = 1000;
    acct.switchOut();
    expect(time).toEqual({ userNs: 1700, systemNs: 300 });
  });

  it('starts a turn where the last one ended (one clock read per turn), and at the clock after idling', () => {
    const ticks = new Int32Array(1);
    let now = 0;
    let reads = 0;
    const acct = new TickCpuAccounting(() => (reads++, now), { ticks });
    const a = { userNs: 0, systemNs: 0 };
    const b = { userNs: 0, systemNs: 0 };
    acct.switchIn(a);
    now = 1000;
    acct.switchOut();
    now = 1200; // the switch: charged to the task that runs next
    acct.switchIn(b);
    now = 1500;
    acct.switchOut();
    expect(a.userNs + a.systemNs).toBe(1000);
    expect(b.userNs + b.systemNs).toBe(500);
    expect(reads).toBe(3);
    now = 9000;
    acct.idle();
    now = 9100;
    acct.switchIn(a);
    now = 9400;
    acct.switchOut();
    expect(a.userNs + a.systemNs).toBe(1300);
  });
});
