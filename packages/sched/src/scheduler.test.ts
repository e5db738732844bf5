import { describe, expect, it } from 'vitest';
import type { KernelClock } from './clock';
import { formatDeadlock } from './sched-decision';
import { Scheduler } from './scheduler';
import { VirtualClock } from './virtual-clock';
import { WaitQueue } from './wait-queue';
import { waitOn } from './wait-source';

/** A host-like clock the test moves by hand: no advanceTo, so the scheduler must answer 'idle'. */
class ManualClock implements KernelClock {
  t = 0;
  monotonicNs(): number {
    return this.t;
  }
  realtimeNs(): bigint {
    return BigInt(this.t);
  }
}

describe('Scheduler', () => {
  it('runs runnable entities round robin; yield goes to the tail', () => {
    const s = new Scheduler<string>(new VirtualClock());
    s.makeRunnable('a');
    s.makeRunnable('b');
    expect(s.next()).toEqual({ kind: 'run', id: 'a', cause: 'runnable' });
    s.makeRunnable('a'); // sched_yield
    expect(s.next()).toMatchObject({ id: 'b' });
    expect(s.next()).toMatchObject({ id: 'a' });
    expect(s.state('a')).toBe('running');
    expect([...s.ids()]).toEqual(['a', 'b']);
  });

  it('a wait queue wakes a blocked entity, which leaves its other queues and its timer', () => {
    const s = new Scheduler<number>(new VirtualClock());
    const readable = new WaitQueue('readable');
    const other = new WaitQueue('other');
    s.makeRunnable(1);
    s.next();
    s.block(1, { on: [waitOn(readable), waitOn(other)], deadline: 1000, reason: 'read pipe:[3]' });
    expect(s.state(1)).toBe('blocked');
    expect(readable.wakeOne()).toBe(1);
    expect(other.size).toBe(0);
    expect(s.next()).toEqual({ kind: 'run', id: 1, cause: 'event' });
    expect(s.clock.monotonicNs()).toBe(0);
    s.remove(1);
    expect(s.next()).toEqual({ kind: 'done' });
  });

  it('under a virtual clock, jumps to the earliest deadline when nothing can run', () => {
    const clock = new VirtualClock({ monotonicNs: 100 });
    const s = new Scheduler<string>(clock);
    for (const id of ['late', 'early']) {
      s.makeRunnable(id);
      s.next();
    }
    s.block('late', { deadline: 5000, reason: 'nanosleep' });
    s.block('early', { deadline: 2000, reason: 'nanosleep' });
    expect(s.next()).toEqual({ kind: 'run', id: 'early', cause: 'timeout' });
    expect(clock.monotonicNs()).toBe(2000);
    s.remove('early');
    expect(s.next()).toEqual({ kind: 'run', id: 'late', cause: 'timeout' });
    expect(clock.monotonicNs()).toBe(5000);
  });

  it('under a host clock, answers idle until the next deadline', () => {
    const clock = new ManualClock();
    const s = new Scheduler<string>(clock);
    s.makeRunnable('t');
    s.next();
    s.block('t', { deadline: 300, reason: 'nanosleep' });
    expect(s.next()).toEqual({ kind: 'idle', until: 300 });
    clock.t = 300;
    expect(s.next()).toEqual({ kind: 'run', id: 't', cause: 'timeout' });
  });

  it('answers idle with no deadline while an entity is still running', () => {
    const s = new Scheduler<string>(new VirtualClock());
    s.makeRunnable('a');
    s.makeRunnable('b');
    s.next();
    s.next();
    s.block('b', { on: [waitOn(new WaitQueue())], reason: 'futex' });
    expect(s.next()).toEqual({ kind: 'idle', until: null });
  });

  it('reports a deadlock naming every blocked entity and its reason, instead of hanging', () => {
    const s = new Scheduler<number>(new VirtualClock());
    const q = new WaitQueue();
    for (const id of [1, 2]) {
      s.makeRunnable(id);
      s.next();
    }
    s.block(1, { on: [waitOn(q)], reason: 'wait4(-1)' });
    s.block(2, { on: [waitOn(q)], reason: 'read pipe:[7]' });
    const d = s.next();
    expect(d).toEqual({
      kind: 'deadlock',
      report: {
        at: 0,
        blocked: [
          { id: 1, reason: 'wait4(-1)', deadline: null },
          { id: 2, reason: 'read pipe:[7]', deadline: null },
        ],
      },
    });
    if (d.kind !== 'deadlock') throw new Error('unreachable');
    expect(formatDeadlock(d.report, (id) => `task ${id}`)).toBe(
      'deadlock: every task is blocked and no timer is pending\n  task 1: wait4(-1)\n  task 2: read pipe:[7]',
    );
  });

  it('wake interrupts a blocked entity (a signal) and cancels its timer', () => {
    const clock = new VirtualClock();
    const s = new Scheduler<string>(clock);
    s.makeRunnable('t');
    s.next();
    s.block('t', { deadline: 10_000, reason: 'pause' });
    expect(s.wake('t')).toBe(true);
    expect(s.wake('t')).toBe(false);
    expect(s.next()).toEqual({ kind: 'run', id: 't', cause: 'interrupt' });
    s.remove('t');
    expect(s.next()).toEqual({ kind: 'done' });
    expect(clock.monotonicNs()).toBe(0);
  });

  it('a plain timer fires at its deadline and can wake entities', () => {
    const clock = new VirtualClock();
    const s = new Scheduler<string>(clock);
    const q = new WaitQueue();
    s.makeRunnable('t');
    s.next();
    s.block('t', { on: [waitOn(q)], reason: 'sigsuspend' });
    const cancelled = s.addTimer(50, () => q.wakeAll());
    s.cancelTimer(cancelled);
    s.addTimer(70, () => q.wakeAll());
    expect(s.next()).toEqual({ kind: 'run', id: 't', cause: 'event' });
    expect(clock.monotonicNs()).toBe(70);
  });
});
