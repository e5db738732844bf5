import { describe, expect, it } from 'vitest';
import { WAIT } from '@tskern/abi';
import { spawnP, testTable, THREAD } from './testing/task-kit';

function parentAndChild() {
  const { t } = testTable({ frames: 256 });
  const parent = spawnP(t);
  return { t, parent, child: t.fork(parent) };
}

describe('child exit: the wait queue, signal deaths, WNOWAIT', () => {
  it('wakes a parent waiting on childExit when a child becomes a zombie, not before', () => {
    const { t, parent, child } = parentAndChild();
    const woken: string[] = [];
    parent.group.childExit.add(undefined, () => woken.push('parent') > 0);
    const thread = t.clone(child, { flags: THREAD, exitSignal: 0 });
    if (typeof thread === 'number') throw new Error(`clone: ${thread}`);
    t.exit(thread, 0); // a thread of the child ends: no wake
    expect(woken).toEqual([]);
    t.exitGroup(child, 3);
    expect(woken).toEqual(['parent']);
    expect(child.group.waitStatus).toBe(3 << 8);
  });

  it('killGroup leaves the status of a death by a signal; WNOWAIT reports without reaping', () => {
    const { t, parent, child } = parentAndChild();
    const woken: string[] = [];
    parent.group.childExit.add(undefined, () => woken.push('parent') > 0);
    t.killGroup(child, 11);
    expect(woken).toEqual(['parent']);
    expect(child.group.waitStatus).toBe(11);
    expect(t.wait(parent, -1, WAIT.WNOWAIT)).toBe(child.group);
    expect(t.wait(parent, -1, 0)).toBe(child.group);
    expect(t.wait(parent, -1, 0)).toBeLessThan(0); // ECHILD: reaped
  });
});
